// The <env>-db stack: how it wires each store (the stack's key, the isolated subnets, names, the config's counts and
// retention, the protected flag), the store security groups, the backup plan, the alarms and the absence of
// secrets. What a store module does on its own (encryption flags, managed secrets, TLS parameters, IAM auth, no
// public access) is tested in test/modules/<module>.test.ts.
import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DocdbCluster } from "@cdktf/provider-aws/lib/docdb-cluster";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { DataConfigSchema } from "../environments/sections/data.ts";
import { findSecrets } from "../guardrails/secrets.ts";
import { frameFor } from "../stacks/app.ts";
import { BACKUP_TAG_KEY, DbStack } from "../stacks/db.ts";
import {
  addresses,
  build,
  exceptionsOf,
  FAKE_NETWORK,
  onlyResource,
  resourcesOf,
  sampleConfig,
  sampleStack,
  synth,
  synthJson,
  testApp,
  values,
  type StackJson,
} from "./helpers.ts";

const ALERTS = "arn:aws:sns:eu-west-1:111111111111:shop-shared-alerts";

/** A prod-framed DbStack built from a raw `data:` section and a fake network. */
function dbStack(data: unknown, protect = true): DbStack {
  const config = sampleConfig();
  const env = config.environments.find((e) => e.name === "prod")!;
  return new DbStack(testApp(), "prod-db", {
    frame: frameFor(config, { ...env, protected: protect }),
    config: DataConfigSchema.parse(data),
    network: FAKE_NETWORK,
    alertsTopicArn: ALERTS,
  });
}

const ALL_ENGINES = {
  stores: [
    { name: "main", engine: "postgres" },
    { name: "legacy", engine: "mysql", backupRetentionDays: 21 },
    { name: "notes", engine: "aurora-mysql", readers: 2, autoscaling: { minReaders: 1, maxReaders: 5 } },
    { name: "reports", engine: "aurora-postgresql", compute: { mode: "serverless" } },
    { name: "docs", engine: "docdb" },
    { name: "cache", engine: "redis" },
    { name: "sessions", engine: "valkey", replicas: 2 },
  ],
  tables: [
    {
      name: "orders",
      attributes: { pk: "S", sk: "S" },
      partitionKey: "pk",
      sortKey: "sk",
      ttlAttribute: "expiresAt",
    },
  ],
  backup: { dailyRetentionDays: 35, monthlyRetentionDays: 1095 },
};

let cached:
  { stack: DbStack; protectedJson: StackJson; unprotectedJson: StackJson; text: string } | undefined;
/** Every engine in one stack, synthesized once per file: protected and unprotected. */
function all() {
  if (!cached) {
    const stack = dbStack(ALL_ENGINES);
    const text = synth(stack);
    cached = {
      stack,
      protectedJson: JSON.parse(text) as StackJson,
      unprotectedJson: synthJson(dbStack(ALL_ENGINES, false)),
      text,
    };
  }
  return cached;
}
/** The resource of `type` whose `key` is `value`, in the protected stack or in `json`. */
const byName = (type: string, key: string, value: string, json = all().protectedJson) =>
  Object.values(resourcesOf(json, type)).find((r) => r[key] === value)!;
/** The RDS instance of the store `name`. */
const rds = (name: string, json?: StackJson) =>
  byName(DbInstance.tfResourceType, "identifier", `shop-prod-db-${name}`, json);
/** The Aurora cluster of the store `name`. */
const aurora = (name: string, json?: StackJson) =>
  byName(RdsCluster.tfResourceType, "cluster_identifier", `shop-prod-db-${name}`, json);
/** Values as sorted strings, for order-insensitive comparisons. */
const sorted = (xs: readonly unknown[]): string[] => xs.map(String).sort((a, b) => a.localeCompare(b));
const KEY_REF = /^\$\{aws_kms_key\.Key_[0-9A-F]+\.arn\}$/;

describe("RDS PostgreSQL and MySQL", () => {
  it("encrypts storage, Performance Insights and the master secret with the stack's KMS key", () => {
    for (const db of Object.values(resourcesOf(all().protectedJson, DbInstance.tfResourceType))) {
      for (const k of ["kms_key_id", "performance_insights_kms_key_id", "master_user_secret_kms_key_id"])
        expect(db[k]).toMatch(KEY_REF);
    }
  });

  it("lives in the isolated subnets", () => {
    for (const g of Object.values(resourcesOf(all().protectedJson, "aws_db_subnet_group")))
      expect(g.subnet_ids).toEqual(FAKE_NETWORK.isolatedSubnetIds);
  });

  it("keeps automated backups for the configured days and copies tags to snapshots", () => {
    expect(rds("legacy")).toMatchObject({
      backup_retention_period: 21,
      copy_tags_to_snapshot: true,
      multi_az: true,
    });
  });

  it("turns on enhanced monitoring with its role", () => {
    const main = rds("main");
    expect(main.monitoring_interval).toBe(60);
    expect(main.monitoring_role_arn).toMatch(/^\$\{aws_iam_role\.MonitoringRole_[0-9A-F]+\.arn\}$/);
  });
});

describe("Aurora", () => {
  it("encrypts every cluster with the stack's KMS key", () => {
    for (const c of values(all().protectedJson, RdsCluster.tfResourceType))
      expect(c.kms_key_id).toMatch(KEY_REF);
  });

  it("creates a writer and the configured readers, none of them public", () => {
    const notes = Object.values(resourcesOf(all().protectedJson, RdsClusterInstance.tfResourceType)).filter(
      (i) => String(i.identifier).startsWith("shop-prod-db-notes-"),
    );
    expect(notes).toHaveLength(3);
    for (const i of notes)
      expect(i).toMatchObject({ publicly_accessible: false, performance_insights_enabled: true });
  });

  it("scales readers between the configured minimum and maximum", () => {
    expect(all().text).toHaveResourceWithProperties(
      { tfResourceType: "aws_appautoscaling_target" },
      {
        scalable_dimension: "rds:cluster:ReadReplicaCount",
        min_capacity: 1,
        max_capacity: 5,
      },
    );
  });

  it("runs Serverless v2 instances when compute mode is serverless", () => {
    expect(aurora("reports").serverlessv2_scaling_configuration).toEqual({
      min_capacity: 0.5,
      max_capacity: 4,
    });
  });
});

describe("DocumentDB", () => {
  it("encrypts the cluster with the stack's KMS key and keeps the default seven days of backups", () => {
    const docs = onlyResource(all().protectedJson, DocdbCluster.tfResourceType);
    expect(docs.backup_retention_period).toBe(7);
    expect(docs.kms_key_id).toMatch(KEY_REF);
  });

  it.each([
    [3, ["CKV_AWS_360"]],
    [7, []],
  ])(
    "keeps %i days of backups, excepted from Checkov's week-long minimum only below it",
    (days, excepted) => {
      const stack = dbStack({ stores: [{ name: "docs", engine: "docdb", backupRetentionDays: days }] });
      expect(Object.values(exceptionsOf(stack, DocdbCluster.tfResourceType))).toEqual([excepted]);
      expect(onlyResource(synthJson(stack), DocdbCluster.tfResourceType).backup_retention_period).toBe(days);
    },
  );
});

describe("ElastiCache Redis and Valkey", () => {
  it("turns snapshots off when the file sets snapshotRetentionDays to 0", () => {
    const json = synthJson(
      dbStack({ stores: [{ name: "cache", engine: "redis", snapshotRetentionDays: 0 }] }),
    );
    expect(Object.values(resourcesOf(json, ElasticacheReplicationGroup.tfResourceType))).toEqual([
      expect.objectContaining({ snapshot_retention_limit: 0 }),
    ]);
  });

  it("encrypts every cache at rest with the stack's KMS key", () => {
    for (const g of Object.values(
      resourcesOf(all().protectedJson, ElasticacheReplicationGroup.tfResourceType),
    ))
      expect(g.kms_key_id).toMatch(KEY_REF);
  });

  it("names the application's IAM user after the project, environment and store", () => {
    expect(all().text).toHaveResourceWithProperties(ElasticacheUser, {
      user_name: "shop-prod-cache-app",
      user_id: "shop-prod-cache-app",
      authentication_mode: { type: "iam" },
    });
  });

  it("fails over automatically across AZs and keeps snapshots", () => {
    const g = byName(
      ElasticacheReplicationGroup.tfResourceType,
      "replication_group_id",
      "shop-prod-db-sessions",
    );
    expect(g).toMatchObject({
      num_cache_clusters: 3,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      snapshot_retention_limit: 7,
    });
  });

  it("lives in the isolated subnets", () => {
    for (const g of Object.values(resourcesOf(all().protectedJson, "aws_elasticache_subnet_group")))
      expect(g.subnet_ids).toEqual(FAKE_NETWORK.isolatedSubnetIds);
  });
});

describe("DynamoDB", () => {
  it("names the table, encrypts it with the stack's KMS key and expires items by the configured TTL", () => {
    const t = onlyResource(all().protectedJson, DynamodbTable.tfResourceType);
    expect(t).toMatchObject({
      name: "shop-prod-db-orders",
      ttl: { enabled: true, attribute_name: "expiresAt" },
    });
    expect((t.server_side_encryption as { kms_key_arn: string }).kms_key_arn).toMatch(KEY_REF);
  });

  it("autoscales read and write capacity of a provisioned table", () => {
    const json = synthJson(
      dbStack({
        tables: [
          { name: "events", attributes: { id: "S" }, partitionKey: "id", capacity: { mode: "provisioned" } },
        ],
      }),
    );
    const dims = Object.values(resourcesOf(json, "aws_appautoscaling_target")).map(
      (t) => t.scalable_dimension,
    );
    expect(sorted(dims)).toEqual(["dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"]);
  });
});

describe("security groups", () => {
  const PORTS: Record<string, number> = {
    main: 5432,
    legacy: 3306,
    notes: 3306,
    reports: 5432,
    docs: 27017,
    cache: 6379,
    sessions: 6379,
  };

  it("admits only the client security group, each store on its own port", () => {
    const json = all().protectedJson;
    const client = `\${aws_security_group.ClientSecurityGroup.id}`;
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress).toHaveLength(Object.keys(PORTS).length);
    for (const rule of ingress) {
      expect(rule.referenced_security_group_id).toBe(client);
      expect(rule.cidr_ipv4).toBeUndefined();
      expect(rule.from_port).toBe(rule.to_port);
    }
    const names = Object.values(resourcesOf(json, "aws_security_group"))
      .filter((g) => g.name !== "shop-prod-db-client")
      .map((g) => g.name);
    expect(sorted(names)).toEqual(sorted(Object.keys(PORTS).map((n) => `shop-prod-db-${n}`)));
    const byPort = sorted(ingress.map((r) => r.from_port));
    expect(byPort).toEqual(sorted(Object.values(PORTS)));
  });

  it("defines no inline rules, so no store group allows any egress", () => {
    for (const g of Object.values(resourcesOf(all().protectedJson, "aws_security_group"))) {
      expect(g.ingress).toBeUndefined();
      expect(g.egress).toBeUndefined();
    }
  });

  it("publishes the client group for the ECS stack to attach", () => {
    expect(all().protectedJson.output?.client_security_group_id).toMatchObject({
      value: "${aws_security_group.ClientSecurityGroup.id}",
    });
  });
});

describe("backups and alarms", () => {
  it("keeps daily and monthly recovery points as long as the config says", () => {
    const plan = onlyResource(all().protectedJson, BackupPlan.tfResourceType);
    expect(plan.rule).toEqual([
      expect.objectContaining({ rule_name: "daily", lifecycle: { delete_after: 35 } }),
      expect.objectContaining({ rule_name: "monthly", lifecycle: { delete_after: 1095 } }),
    ]);
  });

  it("encrypts the vault with the stack's KMS key", () => {
    expect(onlyResource(all().protectedJson, "aws_backup_vault").kms_key_arn).toMatch(KEY_REF);
  });

  it("selects the stores by a tag that every backed-up store carries", () => {
    const json = all().protectedJson;
    expect(onlyResource(json, BackupSelection.tfResourceType).selection_tag).toEqual([
      { type: "STRINGEQUALS", key: BACKUP_TAG_KEY, value: "shop-prod-db" },
    ]);
    for (const type of [DbInstance, RdsCluster, DocdbCluster, DynamodbTable])
      for (const r of Object.values(resourcesOf(json, type.tfResourceType)))
        expect(r.tags).toEqual({ [BACKUP_TAG_KEY]: "shop-prod-db" });
  });

  it("locks the vault when the config asks for it", () => {
    const json = synthJson(
      dbStack({
        ...ALL_ENGINES,
        backup: { monthlyRetentionDays: 1095, vaultLock: { minRetentionDays: 7, maxRetentionDays: 1100 } },
      }),
    );
    expect(onlyResource(json, "aws_backup_vault_lock_configuration")).toMatchObject({
      min_retention_days: 7,
      max_retention_days: 1100,
    });
  });

  it("sends every alarm to the alerts topic, including replica lag and DynamoDB throttles", () => {
    const alarms = Object.values(resourcesOf(all().protectedJson, "aws_cloudwatch_metric_alarm"));
    for (const a of alarms) expect(a.alarm_actions).toEqual([ALERTS]);
    const metrics = new Set(alarms.map((a) => a.metric_name));
    for (const m of [
      "CPUUtilization",
      "FreeStorageSpace",
      "DatabaseConnections",
      "AuroraReplicaLagMaximum",
      "DBClusterReplicaLagMaximum",
      "EngineCPUUtilization",
      "DatabaseMemoryUsagePercentage",
      "ReplicationLag",
      "ReadThrottleEvents",
      "WriteThrottleEvents",
    ])
      expect(metrics).toContain(m);
  });
});

describe("the protected flag", () => {
  it.each<[string, () => Record<string, unknown>, () => Record<string, unknown>, object, object]>([
    [
      "RDS deletion protection, prevent_destroy and a final snapshot",
      () => rds("main"),
      () => rds("main", all().unprotectedJson),
      {
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: "shop-prod-db-main-final",
        lifecycle: { prevent_destroy: true },
      },
      { deletion_protection: false, skip_final_snapshot: true, lifecycle: { prevent_destroy: false } },
    ],
    [
      "Aurora deletion protection and final snapshot",
      () => aurora("notes"),
      () => aurora("notes", all().unprotectedJson),
      { deletion_protection: true, skip_final_snapshot: false },
      { deletion_protection: false, skip_final_snapshot: true },
    ],
    [
      "DocumentDB deletion protection",
      () => onlyResource(all().protectedJson, DocdbCluster.tfResourceType),
      () => onlyResource(all().unprotectedJson, DocdbCluster.tfResourceType),
      { deletion_protection: true },
      { deletion_protection: false },
    ],
    [
      "DynamoDB deletion protection",
      () => onlyResource(all().protectedJson, DynamodbTable.tfResourceType),
      () => onlyResource(all().unprotectedJson, DynamodbTable.tfResourceType),
      { deletion_protection_enabled: true },
      { deletion_protection_enabled: false },
    ],
  ])("turns %s on in a protected environment and off in one that is not", (_, on, off, onProps, offProps) => {
    expect(on()).toMatchObject(onProps);
    expect(off()).toMatchObject(offProps);
  });
});

describe("secrets and addresses", () => {
  it("writes no password, token or key value anywhere in the synthesized JSON", () => {
    // The same scan synthesis runs over cdktf.out before it writes anything.
    for (const json of [all().protectedJson, all().unprotectedJson])
      expect(findSecrets(json, "prod-db")).toEqual([]);
  });

  it("publishes secret ARNs for databases and an IAM user for caches, never a secret value", () => {
    const outputs = all().protectedJson.output as Record<string, { value: string }>;
    for (const name of ["main", "legacy", "notes", "reports", "docs"])
      expect(outputs[`store_${name}_secret_arn`]!.value).toMatch(/\.master_user_secret\[0\]\.secret_arn\}$/);
    const cache = all().stack.outputs.stores.find((s) => s.name === "cache")!;
    expect(cache.secretArn).toBeUndefined();
    expect(cache.iamAuth?.userName).toBe("shop-prod-cache-app");
    expect(cache.iamAuth?.connectArns).toHaveLength(2);
  });

  it("pins the Terraform addresses of the stateful resources", () => {
    const json = all().protectedJson;
    expect(addresses(json, DbInstance.tfResourceType)).toEqual([
      "aws_db_instance.Store-legacy_2B402A22",
      "aws_db_instance.Store-main_D06E61B7",
    ]);
    expect(addresses(json, RdsCluster.tfResourceType)).toEqual([
      "aws_rds_cluster.Store-notes_A4C2C35E",
      "aws_rds_cluster.Store-reports_BBD63C54",
    ]);
    expect(addresses(json, DocdbCluster.tfResourceType)).toEqual(["aws_docdb_cluster.Store-docs_C887FB24"]);
    expect(addresses(json, DynamodbTable.tfResourceType)).toEqual([
      "aws_dynamodb_table.Table-orders_A1D93087",
    ]);
    expect(addresses(json, ElasticacheReplicationGroup.tfResourceType)).toEqual([
      "aws_elasticache_replication_group.Store-cache_8EE45633",
      "aws_elasticache_replication_group.Store-sessions_3ABD3EEB",
    ]);
    expect(addresses(json, "aws_kms_key")).toEqual(["aws_kms_key.Key_961B73FD"]);
  });
});

describe("the sample environments", () => {
  it("build a db stack for each environment with PostgreSQL and Redis, and a DynamoDB table in prod", () => {
    for (const env of ["dev", "test", "prod"]) {
      const { json } = sampleStack(`${env}-db`);
      expect(Object.keys(resourcesOf(json, DbInstance.tfResourceType))).toHaveLength(1);
      expect(Object.keys(resourcesOf(json, ElasticacheReplicationGroup.tfResourceType))).toHaveLength(1);
      expect(Object.keys(resourcesOf(json, DynamodbTable.tfResourceType))).toHaveLength(
        env === "prod" ? 1 : 0,
      );
    }
  });

  it("keep dev single-AZ without cache replicas", () => {
    const { json } = sampleStack("dev-db");
    expect(onlyResource(json, DbInstance.tfResourceType)).toMatchObject({ multi_az: false });
    expect(onlyResource(json, ElasticacheReplicationGroup.tfResourceType)).toMatchObject({
      num_cache_clusters: 1,
      multi_az_enabled: false,
    });
  });

  it("give an environment without a data section no db stack", () => {
    const config = sampleConfig();
    const built = build({
      ...config,
      environments: config.environments.map((e) => ({ ...e, data: undefined })),
    });
    expect(built.stacks.map((s) => s.node.id).filter((id) => id.endsWith("-db"))).toEqual([]);
  });
});
