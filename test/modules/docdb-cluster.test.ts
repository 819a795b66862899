// modules/docdb-cluster: a DocumentDB cluster with TLS, audit and profiler logs, a managed secret and protection.
import { DocdbCluster as DocdbClusterResource } from "@cdktf/provider-aws/lib/docdb-cluster";
import { DocdbClusterInstance } from "@cdktf/provider-aws/lib/docdb-cluster-instance";
import { DocdbClusterParameterGroup } from "@cdktf/provider-aws/lib/docdb-cluster-parameter-group";
import { DocdbCluster, type DocdbClusterProps } from "../../modules/docdb-cluster/docdb-cluster.ts";
import { FAKE_NETWORK, FAKE_STORE, itRefuses, moduleBuilder } from "../helpers.ts";

const MINIMAL: DocdbClusterProps = {
  ...FAKE_STORE,
  identifier: "shop-test-docs",
  engineVersion: "5.0.0",
  instanceClass: "db.t4g.medium",
  instances: 2,
  masterUsername: "app",
  port: 27017,
  backupRetentionDays: 7,
  backupWindow: "02:00-03:00",
  maintenanceWindow: "sun:03:00-sun:04:00",
  availabilityZones: FAKE_NETWORK.availabilityZones,
};

const docdb = moduleBuilder((s, p) => new DocdbCluster(s, "Docs", p), MINIMAL);

it("is encrypted, keeps its password in a managed secret, exports its logs and is protected", () => {
  // GIVEN / WHEN a protected cluster with minimal props THEN
  expect(docdb().one(DocdbClusterResource)).toMatchObject({
    engine: "docdb",
    storage_encrypted: true,
    kms_key_id: FAKE_STORE.kmsKeyArn,
    manage_master_user_password: true,
    deletion_protection: true,
    skip_final_snapshot: false,
    final_snapshot_identifier: "shop-test-docs-final",
    enabled_cloudwatch_logs_exports: ["audit", "profiler"],
    lifecycle: { prevent_destroy: true },
  });
});

it("requires TLS, audits, and profiles operations slower than 100 ms by default, in the version's family", () => {
  const group = docdb().one(DocdbClusterParameterGroup);
  expect(group.family).toBe("docdb5.0");
  expect(group.parameter).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: "tls", value: "enabled" }),
      expect.objectContaining({ name: "audit_logs", value: "enabled" }),
      expect.objectContaining({ name: "profiler_threshold_ms", value: "100" }),
    ]),
  );
});

it("creates the writer and its readers with the writer first to fail over", () => {
  const instances = docdb({ instances: 3 }).all(DocdbClusterInstance);
  expect(instances.map((i) => [i.identifier, i.promotion_tier])).toEqual([
    ["shop-test-docs-1", 0],
    ["shop-test-docs-2", 1],
    ["shop-test-docs-3", 1],
  ]);
});

itRefuses(docdb, "test/Docs", [
  ["backup retention of 0 days", { backupRetentionDays: 0 }, "backupRetentionDays 0 is outside 1-35"],
  ["backup retention of 36 days", { backupRetentionDays: 36 }, "backupRetentionDays 36 is outside 1-35"],
]);
