// modules/aurora-cluster: an Aurora cluster with a writer and readers over AZs, reader autoscaling or Serverless v2.
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { AuroraCluster, type AuroraClusterProps } from "../../modules/aurora-cluster/aurora-cluster.ts";
import { FAKE_NETWORK, FAKE_POSTGRES, FAKE_STORE, itRefuses, moduleBuilder } from "../helpers.ts";

const MINIMAL: AuroraClusterProps = {
  ...FAKE_STORE,
  identifier: "shop-test-notes",
  engine: "aurora-postgresql",
  engineVersion: "16.4",
  compute: { mode: "provisioned", instanceClass: "db.r6g.large" },
  readers: 1,
  autoscaling: undefined,
  ...FAKE_POSTGRES,
  backtrackHours: undefined,
  availabilityZones: FAKE_NETWORK.availabilityZones,
};

const aurora = moduleBuilder((s, p) => new AuroraCluster(s, "Aurora", p), MINIMAL);
const SCALED = { minReaders: 1, maxReaders: 5, metric: "cpu", target: 60 } as const;

it("is encrypted, keeps its password in a managed secret and is protected with a final snapshot", () => {
  // GIVEN / WHEN a protected cluster with minimal props
  const built = aurora();
  // THEN
  expect(built.one(RdsCluster)).toMatchObject({
    engine: "aurora-postgresql",
    storage_encrypted: true,
    manage_master_user_password: true,
    iam_database_authentication_enabled: true,
    deletion_protection: true,
    skip_final_snapshot: false,
    final_snapshot_identifier: "shop-test-notes-final",
    enabled_cloudwatch_logs_exports: ["postgresql"],
    lifecycle: { prevent_destroy: true },
  });
});

it("forces TLS in the cluster parameter group of either engine", () => {
  const tls = (change: Partial<AuroraClusterProps>) => aurora(change).one(RdsClusterParameterGroup);
  expect(tls({})).toMatchObject({
    family: "aurora-postgresql16",
    parameter: expect.arrayContaining([expect.objectContaining({ name: "rds.force_ssl", value: "1" })]),
  });
  expect(tls({ engine: "aurora-mysql", engineVersion: "8.0.mysql_aurora.3.05.2" })).toMatchObject({
    family: "aurora-mysql8.0",
    parameter: expect.arrayContaining([
      expect.objectContaining({ name: "require_secure_transport", value: "ON" }),
    ]),
  });
});

it("creates a private writer and each reader, round-robin over the AZs, with the writer first to fail over", () => {
  const instances = aurora({ readers: 2 }).all(RdsClusterInstance);
  expect(instances.map((i) => [i.identifier, i.promotion_tier, i.publicly_accessible])).toEqual([
    ["shop-test-notes-1", 0, false],
    ["shop-test-notes-2", 1, false],
    ["shop-test-notes-3", 1, false],
  ]);
  expect(instances[0]!.availability_zone).toMatch(/element\(.*, 0\)/);
});

it("sizes Serverless v2 instances in ACUs", () => {
  const built = aurora({ compute: { mode: "serverless", minCapacity: 0.5, maxCapacity: 8 } });
  expect(built.one(RdsCluster).serverlessv2_scaling_configuration).toEqual({
    min_capacity: 0.5,
    max_capacity: 8,
  });
  expect(built.all(RdsClusterInstance).map((i) => i.instance_class)).toEqual([
    "db.serverless",
    "db.serverless",
  ]);
});

it("scales the readers between their bounds only when asked", () => {
  expect(aurora().all(AppautoscalingTarget)).toEqual([]);
  expect(aurora({ autoscaling: SCALED }).text).toHaveResourceWithProperties(AppautoscalingTarget, {
    scalable_dimension: "rds:cluster:ReadReplicaCount",
    min_capacity: 1,
    max_capacity: 5,
  });
});

it("turns backtrack on for Aurora MySQL, in seconds", () => {
  const mysql = aurora({
    engine: "aurora-mysql",
    engineVersion: "8.0.mysql_aurora.3.05.2",
    backtrackHours: 24,
  });
  expect(mysql.one(RdsCluster).backtrack_window).toBe(86400);
});

itRefuses(aurora, "test/Aurora", [
  ["more readers than Aurora allows", { readers: 16 }, "readers (16) must be ≤ 15"],
  [
    "more readers than the autoscaling maximum",
    { readers: 3, autoscaling: { ...SCALED, maxReaders: 2 } },
    "readers (3) must be ≤ 2",
  ],
  [
    "autoscaling bounds the wrong way round",
    { readers: 0, autoscaling: { minReaders: 4, maxReaders: 2, metric: "connections", target: 100 } },
    "minReaders (4) must be ≤ maxReaders (2)",
  ],
  ["backtrack on Aurora PostgreSQL", { backtrackHours: 1 }, "backtrack exists only for aurora-mysql"],
  [
    "Serverless v2 capacity bounds the wrong way round",
    { compute: { mode: "serverless", minCapacity: 8, maxCapacity: 2 } },
    "minCapacity (8) must be ≤ maxCapacity (2)",
  ],
]);
