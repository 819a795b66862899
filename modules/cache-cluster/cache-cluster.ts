// An ElastiCache Redis OSS or Valkey replication group whose clients authenticate with IAM (RBAC), never a password.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";
import { type StoreCommonProps, storeNetwork } from "../core/store.ts";

export type CacheEngine = "redis" | "valkey";

export interface CacheClusterProps extends StoreCommonProps {
  /** Replication group id; at most 40 characters (ElastiCache's limit). */
  readonly replicationGroupId: string;
  readonly engine: CacheEngine;
  /** "7.1", "8.0", ...: 7.x or later, which IAM authentication needs. */
  readonly engineVersion: string;
  readonly nodeType: string;
  readonly replicas: number;
  /** Automatic failover to a replica in another AZ; needs `replicas` ≥ 1. */
  readonly multiAz: boolean;
  readonly port: number;
  /**
   * The IAM-authenticated user the application connects as. IAM authentication requires the user id to equal
   * the user name, so this is both; at most 40 characters.
   */
  readonly userName: string;
  readonly snapshotRetentionDays: number;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
  /** Commands and keys the application user may use. @default "on ~* +@all -@dangerous" */
  readonly accessString?: string;
}

const DEFAULT_ACCESS_STRING = "on ~* +@all -@dangerous";
const ID_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

/** Parameter group family of an engine version: redis7, valkey7, valkey8. */
const familyOf = (engine: CacheEngine, version: string): string => `${engine}${version.split(".")[0]}`;

/** The replication group, its users and user group, parameter, subnet and security groups, and slow-log group. */
export class CacheCluster extends Construct {
  public readonly resource: ElasticacheReplicationGroup;
  public readonly securityGroupId: string;
  public readonly arn: string;
  public readonly primaryEndpoint: string;
  public readonly readerEndpoint: string;
  public readonly port: number;
  /** The user the application authenticates as with an IAM token. */
  public readonly userName: string;
  public readonly userArn: string;
  public readonly memberClusters: string[];

  constructor(scope: Construct, id: string, props: CacheClusterProps) {
    super(scope, id);
    if (props.multiAz && props.replicas < 1)
      throw new ModuleError(this, "multiAz needs at least one replica to fail over to");
    for (const [what, value] of [
      ["replicationGroupId", props.replicationGroupId],
      ["userName", props.userName],
    ] as const)
      if (!ID_PATTERN.test(value) || value.includes("--") || value.endsWith("-"))
        throw new ModuleError(
          this,
          `${what} "${value}" must be 1-40 lower-case letters, digits and single hyphens`,
        );
    const accessString = props.accessString ?? DEFAULT_ACCESS_STRING;
    const userEngine = props.engine;

    const network = storeNetwork(this, props, ElasticacheSubnetGroup, props.engine, props.replicationGroupId);
    const family = familyOf(props.engine, props.engineVersion);
    const parameters = new ElasticacheParameterGroup(this, "Parameters", {
      // ElastiCache has no name_prefix: the name carries the family, so the group a major version upgrade creates
      // before destroying the old one has a name of its own (guardrails/rules/replacement-names.ts).
      name: `${props.replicationGroupId}-${family}`,
      family,
      description: `Parameters of ${props.replicationGroupId}`,
      // Close connections idle for 10 minutes: leaked clients otherwise hold connections forever.
      parameter: [{ name: "timeout", value: "600" }],
      lifecycle: { createBeforeDestroy: true },
    });

    // Every user group must contain a user named "default"; this one is switched off so nobody connects as it.
    const defaultUser = new ElasticacheUser(this, "DefaultUser", {
      userId: `${props.replicationGroupId}-off`.slice(0, 40).replace(/-+$/, ""),
      userName: "default",
      engine: userEngine,
      accessString: "off -@all",
      authenticationMode: { type: "no-password-required" },
    });
    const appUser = new ElasticacheUser(this, "AppUser", {
      userId: props.userName,
      userName: props.userName,
      engine: userEngine,
      accessString,
      authenticationMode: { type: "iam" },
    });
    const userGroup = new ElasticacheUserGroup(this, "UserGroup", {
      userGroupId: props.replicationGroupId,
      engine: userEngine,
      userIds: [defaultUser.userId, appUser.userId],
    });
    const slowLog = new CloudwatchLogGroup(this, "SlowLog", {
      name: `/aws/elasticache/${props.replicationGroupId}/slow-log`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.resource = new ElasticacheReplicationGroup(this, "Resource", {
      replicationGroupId: props.replicationGroupId,
      description: `${props.engine} cache ${props.replicationGroupId}`,
      engine: props.engine,
      engineVersion: props.engineVersion,
      nodeType: props.nodeType,
      numCacheClusters: props.replicas + 1,
      port: props.port,
      parameterGroupName: parameters.name,
      subnetGroupName: network.subnetGroup.name,
      securityGroupIds: [network.securityGroup.securityGroupId],
      atRestEncryptionEnabled: "true",
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [userGroup.userGroupId],
      automaticFailoverEnabled: props.replicas > 0,
      multiAzEnabled: props.multiAz,
      snapshotRetentionLimit: props.snapshotRetentionDays,
      snapshotWindow: props.snapshotWindow,
      maintenanceWindow: props.maintenanceWindow,
      autoMinorVersionUpgrade: "true",
      // No notification_topic_arn: ElastiCache publishes only to an unencrypted topic in its own account, and the
      // alerts topic is KMS-encrypted in the shared account (the subscription goes inactive). The cache's CloudWatch
      // alarms reach the alerts topic instead.
      finalSnapshotIdentifier: props.protect ? `${props.replicationGroupId}-final` : undefined,
      logDeliveryConfiguration: [
        {
          destination: slowLog.name,
          destinationType: "cloudwatch-logs",
          logFormat: "json",
          logType: "slow-log",
        },
      ],
      lifecycle: { preventDestroy: props.protect },
    });

    this.securityGroupId = network.securityGroup.securityGroupId;
    this.arn = this.resource.arn;
    this.primaryEndpoint = this.resource.primaryEndpointAddress;
    this.readerEndpoint = this.resource.readerEndpointAddress;
    this.port = props.port;
    this.userName = props.userName;
    this.userArn = appUser.arn;
    this.memberClusters = this.resource.memberClusters;
  }
}
