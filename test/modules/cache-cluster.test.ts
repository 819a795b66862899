// modules/cache-cluster: a Redis or Valkey replication group, encrypted both ways, with IAM users and no password.
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { CacheCluster, type CacheClusterProps } from "../../modules/cache-cluster/cache-cluster.ts";
import { FAKE_STORE, itRefuses, moduleBuilder } from "../helpers.ts";

const MINIMAL: CacheClusterProps = {
  ...FAKE_STORE,
  replicationGroupId: "shop-test-cache",
  engine: "valkey",
  engineVersion: "8.0",
  nodeType: "cache.t4g.micro",
  replicas: 1,
  multiAz: true,
  port: 6379,
  userName: "app",
  snapshotRetentionDays: 7,
  snapshotWindow: "02:00-03:00",
  maintenanceWindow: "sun:03:00-sun:04:00",
};

const cache = moduleBuilder((s, p) => new CacheCluster(s, "Cache", p), MINIMAL);

it("encrypts at rest and in transit, fails over across AZs and keeps a final snapshot when protected", () => {
  // GIVEN / WHEN a protected cache with one replica
  const built = cache();
  // THEN
  expect(built.one(ElasticacheReplicationGroup)).toMatchObject({
    engine: "valkey",
    num_cache_clusters: 2,
    at_rest_encryption_enabled: "true",
    kms_key_id: FAKE_STORE.kmsKeyArn,
    transit_encryption_enabled: true,
    transit_encryption_mode: "required",
    automatic_failover_enabled: true,
    multi_az_enabled: true,
    final_snapshot_identifier: "shop-test-cache-final",
    lifecycle: { prevent_destroy: true },
  });
  expect(built.one(ElasticacheParameterGroup).family).toBe("valkey8");
});

it("turns the default user off and signs the application user in with IAM, never with a password", () => {
  const built = cache();
  // The group's users are its only way in: no AUTH token.
  expect(built.one(ElasticacheReplicationGroup)).not.toHaveProperty("auth_token");
  expect(built.one(ElasticacheReplicationGroup).user_group_ids).toHaveLength(1);
  const users = built.all(ElasticacheUser);
  // Testing.synth orders resources by logical id, not by construction.
  expect(users).toHaveLength(2);
  expect(users).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        user_name: "default",
        access_string: "off -@all",
        authentication_mode: { type: "no-password-required" },
      }),
      expect.objectContaining({
        user_id: "app",
        user_name: "app",
        access_string: "on ~* +@all -@dangerous",
        authentication_mode: { type: "iam" },
      }),
    ]),
  );
  for (const user of users) expect(user).not.toHaveProperty("passwords");
});

it("runs a single node without failover when it has no replica", () => {
  expect(cache({ replicas: 0, multiAz: false }).one(ElasticacheReplicationGroup)).toMatchObject({
    num_cache_clusters: 1,
    automatic_failover_enabled: false,
    multi_az_enabled: false,
  });
});

const NAME_RULE = "must be 1-40 lower-case letters, digits and single hyphens";
itRefuses(cache, "test/Cache", [
  [
    "Multi-AZ without a replica to fail over to",
    { replicas: 0 },
    "multiAz needs at least one replica to fail over to",
  ],
  [
    "replicationGroupId Shop-Cache",
    { replicationGroupId: "Shop-Cache" },
    `replicationGroupId "Shop-Cache" ${NAME_RULE}`,
  ],
  [
    "replicationGroupId shop--cache",
    { replicationGroupId: "shop--cache" },
    `replicationGroupId "shop--cache" ${NAME_RULE}`,
  ],
  ["userName app-", { userName: "app-" }, `userName "app-" ${NAME_RULE}`],
  ["userName of 41 characters", { userName: "a".repeat(41) }, `userName "${"a".repeat(41)}" ${NAME_RULE}`],
]);
