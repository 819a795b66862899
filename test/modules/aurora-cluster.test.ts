// modules/aurora-cluster: an Aurora cluster with a writer and readers over AZs, reader autoscaling or Serverless v2.
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { AuroraCluster, type AuroraClusterProps } from "../../modules/aurora-cluster/aurora-cluster.ts";
import {
  FAKE_NETWORK,
  FAKE_STORE,
  moduleStack,
  onlyResource,
  resourcesOf,
  synth,
  synthJson,
} from "../helpers.ts";

const MINIMAL: AuroraClusterProps = {
  ...FAKE_STORE,
  identifier: "shop-test-notes",
  engine: "aurora-postgresql",
  engineVersion: "16.4",
  compute: { mode: "provisioned", instanceClass: "db.r6g.large" },
  readers: 1,
  autoscaling: undefined,
  databaseName: "app",
  masterUsername: "app",
  port: 5432,
  backupRetentionDays: 14,
  backupWindow: "02:00-03:00",
  maintenanceWindow: "sun:03:00-sun:04:00",
  backtrackHours: undefined,
  performanceInsightsRetentionDays: 7,
  monitoringIntervalSeconds: 60,
  monitoringRoleArn: "arn:aws:iam::111111111111:role/monitoring",
  slowQueryMs: 1000,
  availabilityZones: FAKE_NETWORK.availabilityZones,
};

const aurora = (props: Partial<AuroraClusterProps> = {}) =>
  moduleStack((s) => new AuroraCluster(s, "Aurora", { ...MINIMAL, ...props }));
const instancesOf = (json: ReturnType<typeof synthJson>) =>
  Object.values(resourcesOf(json, RdsClusterInstance.tfResourceType));

describe("AuroraCluster", () => {
  it("is encrypted, keeps its password in a managed secret and is protected with a final snapshot", () => {
    // GIVEN / WHEN a protected cluster with minimal props
    const json = synthJson(aurora());
    // THEN
    expect(onlyResource(json, RdsCluster.tfResourceType)).toMatchObject({
      engine: "aurora-postgresql",
      storage_encrypted: true,
      manage_master_user_password: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "shop-test-notes-final",
      enabled_cloudwatch_logs_exports: ["postgresql"],
      lifecycle: { prevent_destroy: true },
    });
    expect(synth(aurora())).toHaveResourceWithProperties(RdsClusterParameterGroup, {
      family: "aurora-postgresql16",
    });
  });

  it("creates a private writer and each reader, round-robin over the AZs, with the writer first to fail over", () => {
    const instances = instancesOf(synthJson(aurora({ readers: 2 })));
    expect(instances.map((i) => [i.identifier, i.promotion_tier, i.publicly_accessible])).toEqual([
      ["shop-test-notes-1", 0, false],
      ["shop-test-notes-2", 1, false],
      ["shop-test-notes-3", 1, false],
    ]);
    expect(instances[0]!.availability_zone).toMatch(/element\(.*, 0\)/);
  });

  it("sizes Serverless v2 instances in ACUs", () => {
    const json = synthJson(aurora({ compute: { mode: "serverless", minCapacity: 0.5, maxCapacity: 8 } }));
    expect(onlyResource(json, RdsCluster.tfResourceType).serverlessv2_scaling_configuration).toEqual({
      min_capacity: 0.5,
      max_capacity: 8,
    });
    expect(instancesOf(json).map((i) => i.instance_class)).toEqual(["db.serverless", "db.serverless"]);
  });

  it("scales the readers between their bounds only when asked", () => {
    expect(resourcesOf(synthJson(aurora()), AppautoscalingTarget.tfResourceType)).toEqual({});
    const scaled = aurora({ autoscaling: { minReaders: 1, maxReaders: 5, metric: "cpu", target: 60 } });
    expect(synth(scaled)).toHaveResourceWithProperties(AppautoscalingTarget, {
      scalable_dimension: "rds:cluster:ReadReplicaCount",
      min_capacity: 1,
      max_capacity: 5,
    });
  });

  it("turns backtrack on for Aurora MySQL, in seconds", () => {
    const json = synthJson(
      aurora({ engine: "aurora-mysql", engineVersion: "8.0.mysql_aurora.3.05.2", backtrackHours: 24 }),
    );
    expect(onlyResource(json, RdsCluster.tfResourceType).backtrack_window).toBe(86400);
  });

  it("refuses more readers than Aurora or the autoscaling bounds allow", () => {
    expect(() => aurora({ readers: 16 })).toThrow("test/Aurora: readers (16) must be ≤ 15");
    expect(() =>
      aurora({ readers: 3, autoscaling: { minReaders: 1, maxReaders: 2, metric: "cpu", target: 60 } }),
    ).toThrow("test/Aurora: readers (3) must be ≤ 2");
  });

  it("refuses autoscaling bounds the wrong way round", () => {
    expect(() =>
      aurora({
        readers: 0,
        autoscaling: { minReaders: 4, maxReaders: 2, metric: "connections", target: 100 },
      }),
    ).toThrow("test/Aurora: minReaders (4) must be ≤ maxReaders (2)");
  });

  it("refuses backtrack on Aurora PostgreSQL", () => {
    expect(() => aurora({ backtrackHours: 1 })).toThrow(
      "test/Aurora: backtrack exists only for aurora-mysql",
    );
  });

  it("refuses Serverless v2 capacity bounds the wrong way round", () => {
    expect(() => aurora({ compute: { mode: "serverless", minCapacity: 8, maxCapacity: 2 } })).toThrow(
      "test/Aurora: minCapacity (8) must be ≤ maxCapacity (2)",
    );
  });
});
