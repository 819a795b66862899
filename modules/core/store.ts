// What every data store module (RDS, Aurora, DocumentDB, ElastiCache) takes, and the parts they build alike:
// security and subnet groups, parameter groups, log groups and cluster instances (construct ids are part of it).
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { StoreSecurityGroup } from "../store-security-group/store-security-group.ts";

/** The props every data store module shares; the db stack passes the same values to each store. */
export interface StoreCommonProps {
  readonly vpcId: string;
  /** Isolated subnets (no route to the internet). */
  readonly subnetIds: readonly string[];
  /** The application's security group, admitted on the store's port. */
  readonly clientSecurityGroupId: string;
  /** The bastion's security group, also admitted on the store's port (port forwarding). @default - none */
  readonly bastionSecurityGroupId?: string;
  /** CMK for everything the store encrypts: storage, master secret, Performance Insights, log groups. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** prevent_destroy and a final snapshot, and deletion protection where the engine has it. */
  readonly protect: boolean;
}

/** The CA the RDS-family stores' server certificates chain to unless a store names another. */
export const DEFAULT_CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1";

/** Stores on the RDS platform (RDS, Aurora, DocumentDB): tagged for AWS Backup, serving an RDS CA certificate. */
export interface RdsFamilyStoreProps extends StoreCommonProps {
  /** Tags for this store only, e.g. the backup selection tag. */
  readonly tags: Readonly<Record<string, string>>;
  /** @default "rds-ca-rsa2048-g1" */
  readonly caCertIdentifier?: string;
}

/**
 * What RDS instances and Aurora clusters share: the database and its master user, automated backups, Performance
 * Insights, enhanced monitoring and slow-statement logging.
 */
export interface SqlDatabaseProps extends RdsFamilyStoreProps {
  readonly databaseName: string;
  /** The master user; the service keeps its password in Secrets Manager. */
  readonly masterUsername: string;
  readonly port: number;
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly performanceInsightsRetentionDays: number;
  readonly monitoringIntervalSeconds: number;
  /** The role enhanced monitoring publishes with. */
  readonly monitoringRoleArn: string;
  /** Statements slower than this are logged. */
  readonly slowQueryMs: number;
}

/** PostgreSQL parameters of RDS and Aurora alike: TLS required; DDL, slow statements and connections logged. */
export const postgresParameters = (slowMs: number): Record<string, string> => ({
  "rds.force_ssl": "1",
  log_statement: "ddl",
  log_min_duration_statement: String(slowMs),
  log_connections: "1",
  log_disconnections: "1",
});

/** A subnet group class of one service: DbSubnetGroup, DocdbSubnetGroup or ElasticacheSubnetGroup. */
type SubnetGroupClass<G> = new (
  scope: Construct,
  id: string,
  config: { name: string; description: string; subnetIds: string[] },
) => G;

/**
 * The security group (`SecurityGroup`) and subnet group (`SubnetGroup`) of one store, both named `name`; the
 * group and its rules describe the store as `<engine> <name>` ("postgres app-prod-db-main").
 */
export function storeNetwork<G>(
  scope: Construct,
  props: StoreCommonProps & { readonly port: number },
  SubnetGroup: SubnetGroupClass<G>,
  engine: string,
  name: string,
): { securityGroup: StoreSecurityGroup; subnetGroup: G } {
  const securityGroup = new StoreSecurityGroup(scope, "SecurityGroup", {
    name,
    storeDescription: `${engine} ${name}`,
    vpcId: props.vpcId,
    clientSecurityGroupId: props.clientSecurityGroupId,
    ...(props.bastionSecurityGroupId ? { bastionSecurityGroupId: props.bastionSecurityGroupId } : {}),
    port: props.port,
  });
  const subnetGroup = new SubnetGroup(scope, "SubnetGroup", {
    name,
    description: `Isolated subnets of ${name}`,
    subnetIds: [...props.subnetIds],
  });
  return { securityGroup, subnetGroup };
}

/** An RDS-platform parameter group class: DbParameterGroup, RdsClusterParameterGroup or DocdbClusterParameterGroup. */
type ParameterGroupClass<G> = new (
  scope: Construct,
  id: string,
  config: {
    namePrefix: string;
    family: string;
    description: string;
    parameter: { name: string; value: string; applyMethod?: string }[];
    lifecycle: { createBeforeDestroy: boolean };
  },
) => G;

/** The parameter group (`Parameters`) of an RDS-platform store, named `<identifier>-<suffix>`. */
export function storeParameters<G>(
  scope: Construct,
  ParameterGroup: ParameterGroupClass<G>,
  group: {
    readonly identifier: string;
    readonly family: string;
    readonly description: string;
    /** Parameter values by name, in the order AWS shows them. */
    readonly values: Readonly<Record<string, string>>;
    /** Parameters that take effect only after a reboot. @default - none */
    readonly pendingReboot?: readonly string[];
  },
): G {
  const pendingReboot = group.pendingReboot ?? [];
  return new ParameterGroup(scope, "Parameters", {
    // A major version changes the family, which replaces the group before the old one is destroyed: a prefix
    // lets both exist at once.
    namePrefix: `${group.identifier}-`,
    family: group.family,
    description: group.description,
    parameter: Object.entries(group.values).map(([name, value]) => ({
      name,
      value,
      ...(pendingReboot.includes(name) ? { applyMethod: "pending-reboot" } : {}),
    })),
    lifecycle: { createBeforeDestroy: true },
  });
}

/**
 * One log group (`Log-<type>`) per exported log type, at `<prefix>/<type>`. Created here so that retention and
 * encryption are ours, not the never-expiring group the service would create; the store depends on them.
 */
export function storeLogGroups(
  scope: Construct,
  props: Pick<StoreCommonProps, "logRetentionDays" | "kmsKeyArn">,
  prefix: string,
  types: readonly string[],
): CloudwatchLogGroup[] {
  return types.map(
    (type) =>
      new CloudwatchLogGroup(scope, `Log-${type}`, {
        name: `${prefix}/${type}`,
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.kmsKeyArn,
      }),
  );
}

/** What every instance of an Aurora or DocumentDB cluster sets alike. */
export interface ClusterInstanceCommon {
  readonly identifier: string;
  readonly clusterIdentifier: string;
  readonly availabilityZone: string;
  readonly caCertIdentifier: string;
  readonly autoMinorVersionUpgrade: boolean;
  readonly promotionTier: number;
  readonly performanceInsightsKmsKeyId: string;
  readonly copyTagsToSnapshot: boolean;
  readonly lifecycle: { readonly preventDestroy: boolean };
}

/**
 * `count` instances of a cluster under `Instances` (`Instance1`, ...), named `<identifier>-<n>`. The first is the
 * writer (promotion tier 0, the rest 1); `build` adds what the engine's instance resource takes besides.
 */
export function clusterInstances<I>(
  scope: Construct,
  props: RdsFamilyStoreProps & { readonly identifier: string; readonly availabilityZones: readonly string[] },
  clusterIdentifier: string,
  count: number,
  build: (parent: Construct, id: string, common: ClusterInstanceCommon) => I,
): I[] {
  const parent = new Construct(scope, "Instances");
  return Array.from({ length: count }, (_, i) =>
    build(parent, `Instance${i + 1}`, {
      identifier: `${props.identifier}-${i + 1}`,
      clusterIdentifier,
      // Round-robin over the AZs: the writer and its first reader never share one.
      availabilityZone: Fn.element([...props.availabilityZones], i),
      caCertIdentifier: props.caCertIdentifier ?? DEFAULT_CA_CERT_IDENTIFIER,
      autoMinorVersionUpgrade: true,
      promotionTier: i === 0 ? 0 : 1,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      copyTagsToSnapshot: true,
      lifecycle: { preventDestroy: props.protect },
    }),
  );
}
