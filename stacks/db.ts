// `<env>-db`: the environment's databases, caches and DynamoDB tables, their key, backups and alarms.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import {
  BACKUP_START_WINDOW_MINUTES,
  type DataConfig,
  type StoreConfig,
  type StoreEngine,
  type StoreOf,
} from "../environments/sections/data.ts";
import { allowCheck } from "../guardrails/exceptions.ts";
import { partitionOf } from "../modules/core/aws.ts";
import { Alarm, type AlarmProps } from "../modules/alarm/alarm.ts";
import { AuroraCluster } from "../modules/aurora-cluster/aurora-cluster.ts";
import { BackupPlan } from "../modules/backup-plan/backup-plan.ts";
import { resourceName } from "../modules/core/naming.ts";
import type { RdsFamilyStoreProps, SqlDatabaseProps, StoreCommonProps } from "../modules/core/store.ts";
import { DocdbCluster } from "../modules/docdb-cluster/docdb-cluster.ts";
import { DynamodbTable } from "../modules/dynamodb-table/dynamodb-table.ts";
import { cloudWatchLogsGrant, KmsKey } from "../modules/kms-key/kms-key.ts";
import { RdsInstance } from "../modules/rds-instance/rds-instance.ts";
import { RdsMonitoringRole } from "../modules/rds-monitoring-role/rds-monitoring-role.ts";
import { CacheCluster } from "../modules/cache-cluster/cache-cluster.ts";
import type { DbOutputs, DataStoreOutput, NetworkOutputs } from "./contracts.ts";
import { BaseStack, type StackFrameProps } from "./base-stack.ts";

/** The days of DocumentDB backups Checkov's CKV_AWS_360 asks for. */
const DOCDB_CHECKOV_BACKUP_DAYS = 7;

export interface DbStackProps {
  readonly frame: StackFrameProps;
  /** The environment's `data:` section. */
  readonly config: DataConfig;
  readonly network: NetworkOutputs;
  /** Every alarm and cache event goes here. */
  readonly alertsTopicArn: string;
}

/** Tag key AWS Backup selects the stores by; the value is the plan's name. */
export const BACKUP_TAG_KEY = "BackupPlan";

const GIB = 1024 ** 3;

/** Why an unprotected environment's databases may be deleted. */
const UNPROTECTED =
  "protected: false in this environment's file: a disposable environment whose databases may be destroyed with it";

/** What the stack does with a store of one engine. */
interface EngineTraits {
  /** The module that builds it: an RDS instance, an Aurora or DocumentDB cluster, or an ElastiCache group. */
  readonly kind: "rds" | "aurora" | "docdb" | "cache";
  /** AWS Backup protects it; caches keep their own snapshots. */
  readonly backedUp: boolean;
  /** Its enhanced monitoring publishes through the shared RDS monitoring role. */
  readonly monitoringRole: boolean;
}

/** Every engine's traits: the one place the stack sorts engines into groups. */
const ENGINES = {
  postgres: { kind: "rds", backedUp: true, monitoringRole: true },
  mysql: { kind: "rds", backedUp: true, monitoringRole: true },
  "aurora-postgresql": { kind: "aurora", backedUp: true, monitoringRole: true },
  "aurora-mysql": { kind: "aurora", backedUp: true, monitoringRole: true },
  docdb: { kind: "docdb", backedUp: true, monitoringRole: false },
  redis: { kind: "cache", backedUp: false, monitoringRole: false },
  valkey: { kind: "cache", backedUp: false, monitoringRole: false },
} as const satisfies Record<StoreEngine, EngineTraits>;

type Kind = EngineTraits["kind"];
/** The stores whose engine is of `kind`. */
type StoreOfKind<K extends Kind> = StoreOf<
  { [E in StoreEngine]: (typeof ENGINES)[E]["kind"] extends K ? E : never }[StoreEngine]
>;
const isKind = <K extends Kind>(s: StoreConfig, kind: K): s is StoreOfKind<K> =>
  ENGINES[s.engine].kind === kind;

/** What the alarms of a database read from its config. */
interface AlarmedDb {
  readonly name: string;
  readonly engine: string;
  readonly alarms: { readonly cpuPercent: number; readonly connections: number };
}

/** Databases, caches and tables of one environment, with everything around them. */
export class DbStack extends BaseStack {
  public readonly key: KmsKey;
  public readonly clientSecurityGroup: SecurityGroup;
  public readonly backup?: BackupPlan;
  public readonly outputs: DbOutputs;
  private readonly availabilityZones: readonly string[];

  constructor(scope: Construct, id: string, props: DbStackProps) {
    super(scope, id, props.frame);
    const { config, frame, network } = props;
    const { protect } = this;
    this.availabilityZones = network.availabilityZones;
    const { region, accountId } = this.where;
    const name = (...parts: string[]) => resourceName(this.names, ["db", ...parts]);
    const alarmActions = [props.alertsTopicArn];

    this.key = new KmsKey(this, "Key", {
      alias: resourceName(this.names, "db", { maxLength: 250 }),
      description: `Encrypts the data stores, their secrets, logs and backups in ${frame.environment}`,
      accountId,
      region,
      protect,
      // The store log groups are encrypted with this key; the grant is limited to this account's log groups.
      services: [cloudWatchLogsGrant(region, accountId)],
    });
    const kmsKeyArn = this.key.arn;

    this.clientSecurityGroup = new SecurityGroup(this, "ClientSecurityGroup", {
      name: name("client"),
      description: "Attached by the application: the only group the data stores admit",
      vpcId: network.vpcId,
      revokeRulesOnDelete: true,
    });
    allowCheck(
      this.clientSecurityGroup,
      "CKV2_AWS_5",
      "The client group is attached to the ECS service in the <env>-ecs stack, which Checkov scans separately; owning it here keeps ECS depending on db and never the reverse",
    );
    const clientSecurityGroupId = this.clientSecurityGroup.id;

    const backupName = resourceName(this.names, "db", { maxLength: 50 });
    const backedUp = config.stores.some((s) => ENGINES[s.engine].backedUp) || config.tables.length > 0;
    const backupTags: Record<string, string> = backedUp ? { [BACKUP_TAG_KEY]: backupName } : {};
    if (backedUp) {
      this.backup = new BackupPlan(this, "Backup", {
        name: backupName,
        region,
        accountId,
        kmsKeyArn,
        daily: { schedule: config.backup.dailySchedule, retentionDays: config.backup.dailyRetentionDays },
        monthly: {
          schedule: config.backup.monthlySchedule,
          retentionDays: config.backup.monthlyRetentionDays,
        },
        selectionTag: { key: BACKUP_TAG_KEY, value: backupName },
        vaultLock: config.backup.vaultLock,
        protect,
        // The schema checks that no rule's start window meets a store's automated backup window.
        startWindowMinutes: BACKUP_START_WINDOW_MINUTES,
      });
      this.alarm("Backup", "JobsFailed", {
        alarmName: name("backup-failed"),
        description: `An AWS Backup job of ${backupName} failed`,
        namespace: "AWS/Backup",
        metricName: "NumberOfBackupJobsFailed",
        dimensions: { BackupVaultName: this.backup.vaultName },
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold: 0,
        periodSeconds: 3600,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        actionArns: alarmActions,
      });
    }

    const monitoringRole = config.stores.some((s) => ENGINES[s.engine].monitoringRole)
      ? new RdsMonitoringRole(this, "MonitoringRole", { roleName: name("monitoring"), region, accountId })
      : undefined;

    const common = {
      vpcId: network.vpcId,
      subnetIds: network.isolatedSubnetIds,
      clientSecurityGroupId,
      ...(network.bastionSecurityGroupId ? { bastionSecurityGroupId: network.bastionSecurityGroupId } : {}),
      kmsKeyArn,
      logRetentionDays: config.logRetentionDays,
      protect,
    };
    const stores: DataStoreOutput[] = [];
    for (const s of config.stores) {
      const storeId = `Store-${s.name}`;
      const rdsFamily = { ...common, tags: backupTags };
      // The table gives every rds and aurora engine the monitoring role, so it exists when these run.
      const monitored = () => ({ ...rdsFamily, monitoringRoleArn: monitoringRole!.arn });
      if (isKind(s, "rds")) stores.push(this.rds(storeId, s, monitored(), alarmActions));
      else if (isKind(s, "aurora")) stores.push(this.aurora(storeId, s, monitored(), alarmActions));
      else if (isKind(s, "docdb")) stores.push(this.docdb(storeId, s, rdsFamily, alarmActions));
      else if (isKind(s, "cache")) stores.push(this.cache(storeId, s, common, alarmActions));
    }

    const tables = config.tables.map((t) => {
      const table = new DynamodbTable(this, `Table-${t.name}`, {
        tableName: resourceName(this.names, ["db", t.name], { maxLength: 255 }),
        attributes: t.attributes,
        partitionKey: t.partitionKey,
        sortKey: t.sortKey,
        indexes: t.indexes,
        ttlAttribute: t.ttlAttribute,
        capacity: t.capacity,
        kmsKeyArn,
        protect,
        tags: backupTags,
      });
      for (const [metric, what] of [
        ["ReadThrottleEvents", "reads"],
        ["WriteThrottleEvents", "writes"],
      ] as const)
        this.alarm(`Table-${t.name}`, metric, {
          alarmName: name(t.name, metric === "ReadThrottleEvents" ? "read-throttles" : "write-throttles"),
          description: `DynamoDB throttles ${what} on table ${t.name}`,
          namespace: "AWS/DynamoDB",
          metricName: metric,
          dimensions: { TableName: table.tableName },
          statistic: "Sum",
          comparison: "GreaterThanThreshold",
          threshold: 0,
          periodSeconds: 300,
          evaluationPeriods: 1,
          treatMissingData: "notBreaching",
          actionArns: alarmActions,
        });
      new TerraformOutput(this, `table_${t.name.replace(/-/g, "_")}_name`, { value: table.tableName });
      return { name: t.name, tableName: table.tableName, arn: table.arn };
    });

    new TerraformOutput(this, "client_security_group_id", {
      value: clientSecurityGroupId,
      description: "Attach to the application to reach the data stores",
    });
    for (const s of stores) {
      const out = s.name.replace(/-/g, "_");
      new TerraformOutput(this, `store_${out}_endpoint`, { value: s.endpoint });
      if (s.secretArn) new TerraformOutput(this, `store_${out}_secret_arn`, { value: s.secretArn });
    }

    // Every store's exported-log group keeps data.logRetentionDays: below a year that is the file's own choice.
    for (const group of this.node.findAll())
      if (group instanceof CloudwatchLogGroup)
        this.shortRetention(group, config.logRetentionDays, "data.logRetentionDays");

    this.outputs = { clientSecurityGroupId, stores, tables, kmsKeyArns: [kmsKeyArn] };
  }

  /** The `rds-db:connect` resource of `user` on the RDS instance or Aurora cluster with this resource id. */
  private dbUserArn(resourceId: string, user: string): string {
    const { region } = this.frame;
    return `arn:${partitionOf(region)}:rds-db:${region}:${this.frame.account.id}:dbuser:${resourceId}/${user}`;
  }

  /** An alarm under `scope/<id>` (a namespace per store keeps ids stable when stores are added). */
  private alarm(scope: string, id: string, props: AlarmProps): Alarm {
    return new Alarm(this, `Alarm-${scope}-${id}`, props);
  }

  private rds(
    id: string,
    s: StoreOfKind<"rds">,
    common: RdsFamilyStoreProps & { monitoringRoleArn: string },
    actions: string[],
  ): DataStoreOutput {
    const db = new RdsInstance(this, id, {
      ...this.sqlDatabase(s, common),
      identifier: resourceName(this.names, ["db", s.name]),
      engine: s.engine,
      engineVersion: s.version,
      instanceClass: s.instanceClass,
      multiAz: s.multiAz,
      allocatedStorageGb: s.allocatedStorageGb,
      maxAllocatedStorageGb: s.maxAllocatedStorageGb,
    });
    if (!this.protect) allowCheck(db.resource, "CKV_AWS_293", UNPROTECTED);
    if (!s.multiAz)
      allowCheck(
        db.resource,
        "CKV_AWS_157",
        "multiAz: false in this environment's data section: a single-AZ instance is its explicit choice",
      );
    if (s.backupRetentionDays === 0)
      allowCheck(
        db.resource,
        "CKV_AWS_133",
        "backupRetentionDays: 0 in this environment's data section turns automated backups off explicitly",
      );
    const dims = { DBInstanceIdentifier: db.identifier };
    this.dbAlarms(s, "AWS/RDS", dims, actions);
    this.alarm(s.name, "FreeStorage", {
      alarmName: resourceName(this.names, ["db", s.name, "free-storage"], { maxLength: 255 }),
      description: `${s.engine} ${s.name} has less than ${s.alarms.freeStorageGb} GiB of free storage`,
      namespace: "AWS/RDS",
      metricName: "FreeStorageSpace",
      dimensions: dims,
      comparison: "LessThanThreshold",
      threshold: s.alarms.freeStorageGb * GIB,
      actionArns: actions,
    });
    return this.sqlOutput(s, db, { endpoint: db.address });
  }

  /** The module props an RDS instance and an Aurora cluster take alike, from the store's config. */
  private sqlDatabase(
    s: StoreOfKind<"rds" | "aurora">,
    common: RdsFamilyStoreProps & { monitoringRoleArn: string },
  ): SqlDatabaseProps {
    return {
      ...common,
      databaseName: s.databaseName,
      masterUsername: s.masterUsername,
      port: s.port,
      backupRetentionDays: s.backupRetentionDays,
      backupWindow: s.backupWindow,
      maintenanceWindow: s.maintenanceWindow,
      performanceInsightsRetentionDays: s.performanceInsightsRetentionDays,
      monitoringIntervalSeconds: s.monitoringIntervalSeconds,
      slowQueryMs: s.slowQueryMs,
    };
  }

  /** What the service reads of an RDS instance or Aurora cluster: endpoints, secret and IAM sign-in as `appUserName`. */
  private sqlOutput(
    s: StoreOfKind<"rds" | "aurora">,
    db: { readonly secretArn: string; readonly resourceId: string },
    endpoints: Pick<DataStoreOutput, "endpoint" | "readerEndpoint">,
  ): DataStoreOutput {
    return {
      name: s.name,
      engine: s.engine,
      ...endpoints,
      port: s.port,
      databaseName: s.databaseName,
      secretArn: db.secretArn,
      appAuthentication: s.appAuthentication,
      iamAuth: { userName: s.appUserName, connectArns: [this.dbUserArn(db.resourceId, s.appUserName)] },
    };
  }

  private aurora(
    id: string,
    s: StoreOfKind<"aurora">,
    common: RdsFamilyStoreProps & { monitoringRoleArn: string },
    actions: string[],
  ): DataStoreOutput {
    const cluster = new AuroraCluster(this, id, {
      ...this.sqlDatabase(s, common),
      identifier: resourceName(this.names, ["db", s.name], { maxLength: 60 }),
      engine: s.engine,
      engineVersion: s.version,
      compute: s.compute,
      readers: s.readers,
      autoscaling: s.autoscaling,
      backtrackHours: s.engine === "aurora-mysql" ? s.backtrackHours : undefined,
      availabilityZones: this.azs(),
    });
    allowCheck(
      cluster.resource,
      "CKV2_AWS_8",
      "The cluster is assigned to the AWS Backup plan by its BackupPlan tag (aws_backup_selection selection_tag), which Checkov's graph does not follow",
    );
    if (!this.protect) allowCheck(cluster.resource, "CKV_AWS_139", UNPROTECTED);
    this.clusterAlarms(s, actions, "AWS/RDS", cluster.identifier, {
      when: s.readers > 0 || s.autoscaling !== undefined,
      metricName: "AuroraReplicaLagMaximum",
      description: `Aurora ${s.name} readers lag the writer by more than ${s.alarms.replicaLagSeconds} s`,
    });
    return this.sqlOutput(s, cluster, { endpoint: cluster.endpoint, readerEndpoint: cluster.readerEndpoint });
  }

  private docdb(
    id: string,
    s: StoreOfKind<"docdb">,
    common: RdsFamilyStoreProps,
    actions: string[],
  ): DataStoreOutput {
    const cluster = new DocdbCluster(this, id, {
      ...common,
      identifier: resourceName(this.names, ["db", s.name], { maxLength: 60 }),
      engineVersion: s.version,
      instanceClass: s.instanceClass,
      instances: s.instances,
      masterUsername: s.masterUsername,
      port: s.port,
      backupRetentionDays: s.backupRetentionDays,
      backupWindow: s.backupWindow,
      maintenanceWindow: s.maintenanceWindow,
      availabilityZones: this.azs(),
    });
    // Checkov's CKV_AWS_360 asks for a week of automated backups; fewer days are the environment file's choice.
    if (s.backupRetentionDays < DOCDB_CHECKOV_BACKUP_DAYS)
      allowCheck(
        cluster.resource,
        "CKV_AWS_360",
        `backupRetentionDays: ${s.backupRetentionDays} in this environment's data section keeps fewer days of point-in-time recovery explicitly`,
      );
    this.clusterAlarms(s, actions, "AWS/DocDB", cluster.identifier, {
      when: s.instances > 1,
      metricName: "DBClusterReplicaLagMaximum",
      description: `DocumentDB ${s.name} replicas lag the primary by more than ${s.alarms.replicaLagSeconds} s`,
    });
    return {
      name: s.name,
      engine: s.engine,
      endpoint: cluster.endpoint,
      readerEndpoint: cluster.readerEndpoint,
      port: s.port,
      secretArn: cluster.secretArn,
      appAuthentication: s.appAuthentication,
      // DocumentDB signs in the task role itself (MONGODB-AWS): no user name, and no IAM action to grant.
      iamAuth: { connectArns: [] },
    };
  }

  private cache(
    id: string,
    s: StoreOfKind<"cache">,
    common: StoreCommonProps,
    actions: string[],
  ): DataStoreOutput {
    const groupId = resourceName(this.names, ["db", s.name], { maxLength: 40 });
    const cache = new CacheCluster(this, id, {
      ...common,
      replicationGroupId: groupId,
      engine: s.engine,
      engineVersion: s.version,
      nodeType: s.nodeType,
      replicas: s.replicas,
      multiAz: s.multiAz,
      port: s.port,
      userName: resourceName(this.names, [s.name, s.userName], { maxLength: 40 }),
      snapshotRetentionDays: s.snapshotRetentionDays,
      snapshotWindow: s.snapshotWindow,
      maintenanceWindow: s.maintenanceWindow,
    });
    if (!s.multiAz)
      allowCheck(
        cache.resource,
        "CKV2_AWS_50",
        "multiAz: false in this environment's data section: a cache without automatic Multi-AZ failover is its explicit choice",
      );
    // snapshotRetentionDays: 0 needs no exception: Checkov's snapshot check (CKV_AWS_134) covers single-node
    // aws_elasticache_cluster only, never a replication group.
    // ElastiCache names the member clusters <group>-001, -002, ...; its host metrics are per member.
    for (let n = 1; n <= s.replicas + 1; n++) {
      const member = `${groupId}-${String(n).padStart(3, "0")}`;
      const dims = { CacheClusterId: member };
      const metric = (
        key: string,
        props: Omit<AlarmProps, "alarmName" | "namespace" | "dimensions" | "actionArns">,
      ) =>
        this.alarm(`${s.name}-${n}`, key, {
          ...props,
          alarmName: resourceName(this.names, ["db", s.name, String(n), key.toLowerCase()], {
            maxLength: 255,
          }),
          namespace: "AWS/ElastiCache",
          dimensions: dims,
          actionArns: actions,
        });
      metric("Cpu", {
        description: `${s.engine} ${member} engine CPU above ${s.alarms.cpuPercent}%`,
        metricName: "EngineCPUUtilization",
        comparison: "GreaterThanThreshold",
        threshold: s.alarms.cpuPercent,
      });
      metric("Memory", {
        description: `${s.engine} ${member} memory use above ${s.alarms.memoryPercent}%`,
        metricName: "DatabaseMemoryUsagePercentage",
        comparison: "GreaterThanThreshold",
        threshold: s.alarms.memoryPercent,
      });
      metric("Connections", {
        description: `${s.engine} ${member} has more than ${s.alarms.connections} client connections`,
        metricName: "CurrConnections",
        statistic: "Maximum",
        comparison: "GreaterThanThreshold",
        threshold: s.alarms.connections,
      });
      // Only replicas report replication lag.
      if (n > 1)
        metric("ReplicationLag", {
          description: `${s.engine} ${member} lags the primary by more than ${s.alarms.replicaLagSeconds} s`,
          metricName: "ReplicationLag",
          statistic: "Maximum",
          comparison: "GreaterThanThreshold",
          threshold: s.alarms.replicaLagSeconds,
        });
    }
    return {
      name: s.name,
      engine: s.engine,
      endpoint: cache.primaryEndpoint,
      readerEndpoint: cache.readerEndpoint,
      port: s.port,
      iamAuth: { userName: cache.userName, connectArns: [cache.arn, cache.userArn] },
    };
  }

  /** CPU and connection alarms every relational or document database gets. */
  private dbAlarms(
    s: AlarmedDb,
    namespace: string,
    dimensions: Record<string, string>,
    actions: string[],
  ): void {
    this.alarm(s.name, "Cpu", {
      alarmName: resourceName(this.names, ["db", s.name, "cpu"], { maxLength: 255 }),
      description: `${s.engine} ${s.name} CPU above ${s.alarms.cpuPercent}%`,
      namespace,
      metricName: "CPUUtilization",
      dimensions,
      comparison: "GreaterThanThreshold",
      threshold: s.alarms.cpuPercent,
      actionArns: actions,
    });
    this.alarm(s.name, "Connections", {
      alarmName: resourceName(this.names, ["db", s.name, "connections"], { maxLength: 255 }),
      description: `${s.engine} ${s.name} has more than ${s.alarms.connections} connections`,
      namespace,
      metricName: "DatabaseConnections",
      dimensions,
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: s.alarms.connections,
      actionArns: actions,
    });
  }

  /**
   * The CPU and connection alarms of an Aurora or DocumentDB cluster and, when it has replicas (`lag.when`), its
   * replica-lag alarm; the clusters' lag metrics are in milliseconds.
   */
  private clusterAlarms(
    s: AlarmedDb & { alarms: { replicaLagSeconds: number } },
    actions: string[],
    namespace: string,
    clusterIdentifier: string,
    lag: { when: boolean; metricName: string; description: string },
  ): void {
    const dimensions = { DBClusterIdentifier: clusterIdentifier };
    this.dbAlarms(s, namespace, dimensions, actions);
    if (!lag.when) return;
    this.alarm(s.name, "ReplicaLag", {
      description: lag.description,
      namespace,
      metricName: lag.metricName,
      dimensions,
      alarmName: resourceName(this.names, ["db", s.name, "replica-lag"], { maxLength: 255 }),
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: s.alarms.replicaLagSeconds * 1000,
      actionArns: actions,
    });
  }

  /** The environment's AZs, in order, for spreading cluster instances. */
  private azs(): string[] {
    return [...this.availabilityZones];
  }
}
