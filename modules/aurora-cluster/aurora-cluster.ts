// An Aurora MySQL or PostgreSQL cluster: a writer and readers over AZs, optional reader autoscaling or Serverless v2.
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";
import type { SqlDatabaseProps } from "../core/store.ts";
import {
  clusterInstances,
  postgresParameters,
  storeLogGroups,
  storeNetwork,
  storeParameters,
} from "../core/store.ts";

export type AuroraEngine = "aurora-postgresql" | "aurora-mysql";

/** Instance sizing: fixed classes, or Serverless v2 capacity in ACUs. */
export type AuroraCompute =
  | { readonly mode: "provisioned"; readonly instanceClass: string }
  | { readonly mode: "serverless"; readonly minCapacity: number; readonly maxCapacity: number };

/** Target tracking on the readers' average CPU (percent) or connections. */
export interface AuroraReaderScaling {
  readonly minReaders: number;
  readonly maxReaders: number;
  readonly metric: "cpu" | "connections";
  readonly target: number;
}

export interface AuroraClusterProps extends SqlDatabaseProps {
  /** Cluster identifier; instances are `<identifier>-<n>`. At most 60 characters. */
  readonly identifier: string;
  readonly engine: AuroraEngine;
  readonly engineVersion: string;
  readonly compute: AuroraCompute;
  /** Readers created here besides the writer. */
  readonly readers: number;
  /** Reader autoscaling; absent keeps exactly `readers`. */
  readonly autoscaling: AuroraReaderScaling | undefined;
  /** Aurora MySQL backtrack window in hours; 0 or absent turns it off. */
  readonly backtrackHours: number | undefined;
  /** AZs to spread the instances over, in order. */
  readonly availabilityZones: readonly string[];
}

/** Aurora supports at most 15 replicas. */
const MAX_READERS = 15;

const FAMILY: Record<AuroraEngine, (v: string) => string> = {
  "aurora-postgresql": (v) => `aurora-postgresql${v.split(".")[0]}`,
  "aurora-mysql": (v) => `aurora-mysql${v.split(".").slice(0, 2).join(".")}`,
};
const PARAMETERS: Record<AuroraEngine, (slowMs: number) => Record<string, string>> = {
  "aurora-postgresql": postgresParameters,
  "aurora-mysql": (slowMs) => ({
    require_secure_transport: "ON",
    tls_version: "TLSv1.2,TLSv1.3",
    server_audit_logging: "1",
    server_audit_events: "CONNECT,QUERY_DCL,QUERY_DDL",
    slow_query_log: "1",
    long_query_time: String(slowMs / 1000),
  }),
};
const LOGS: Record<AuroraEngine, string[]> = {
  "aurora-postgresql": ["postgresql"],
  "aurora-mysql": ["audit", "error", "slowquery"],
};

/** The cluster, its instances, parameter, subnet and security groups, log groups and reader autoscaling. */
export class AuroraCluster extends Construct {
  public readonly resource: RdsCluster;
  public readonly instances: readonly RdsClusterInstance[];
  public readonly securityGroupId: string;
  public readonly identifier: string;
  public readonly arn: string;
  public readonly endpoint: string;
  public readonly readerEndpoint: string;
  public readonly port: number;
  public readonly secretArn: string;
  /** Cluster resource id, the part of an `rds-db:connect` resource ARN (`dbuser:<id>/<user>`) IAM sign-in needs. */
  public readonly resourceId: string;

  constructor(scope: Construct, id: string, props: AuroraClusterProps) {
    super(scope, id);
    const maxReaders = props.autoscaling?.maxReaders ?? MAX_READERS;
    if (props.readers > maxReaders)
      throw new ModuleError(this, `readers (${props.readers}) must be ≤ ${maxReaders}`);
    if (props.autoscaling && props.autoscaling.minReaders > props.autoscaling.maxReaders)
      throw new ModuleError(
        this,
        `minReaders (${props.autoscaling.minReaders}) must be ≤ maxReaders (${props.autoscaling.maxReaders})`,
      );
    if (props.backtrackHours && props.engine !== "aurora-mysql")
      throw new ModuleError(this, "backtrack exists only for aurora-mysql");
    if (props.compute.mode === "serverless" && props.compute.minCapacity > props.compute.maxCapacity)
      throw new ModuleError(
        this,
        `minCapacity (${props.compute.minCapacity}) must be ≤ maxCapacity (${props.compute.maxCapacity})`,
      );
    const logs = LOGS[props.engine];

    const network = storeNetwork(this, props, DbSubnetGroup, props.engine, props.identifier);
    const parameters = storeParameters(this, RdsClusterParameterGroup, {
      identifier: props.identifier,
      family: FAMILY[props.engine](props.engineVersion),
      description: `TLS required, audit and query logging for ${props.identifier}`,
      values: PARAMETERS[props.engine](props.slowQueryMs),
    });
    const logGroups = storeLogGroups(this, props, `/aws/rds/cluster/${props.identifier}`, logs);

    this.resource = new RdsCluster(this, "Resource", {
      clusterIdentifier: props.identifier,
      engine: props.engine,
      engineVersion: props.engineVersion,
      engineMode: "provisioned",
      databaseName: props.databaseName,
      masterUsername: props.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      port: props.port,
      dbSubnetGroupName: network.subnetGroup.name,
      vpcSecurityGroupIds: [network.securityGroup.securityGroupId],
      dbClusterParameterGroupName: parameters.name,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: props.backupRetentionDays,
      preferredBackupWindow: props.backupWindow,
      preferredMaintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: props.protect,
      skipFinalSnapshot: !props.protect,
      finalSnapshotIdentifier: props.protect ? `${props.identifier}-final` : undefined,
      deleteAutomatedBackups: !props.protect,
      enabledCloudwatchLogsExports: logs,
      backtrackWindow: props.backtrackHours ? props.backtrackHours * 3600 : undefined,
      serverlessv2ScalingConfiguration:
        props.compute.mode === "serverless"
          ? { minCapacity: props.compute.minCapacity, maxCapacity: props.compute.maxCapacity }
          : undefined,
      tags: { ...props.tags },
      dependsOn: logGroups,
      lifecycle: { preventDestroy: props.protect },
    });

    const instanceClass = props.compute.mode === "serverless" ? "db.serverless" : props.compute.instanceClass;
    this.instances = clusterInstances(
      this,
      props,
      this.resource.id,
      props.readers + 1,
      (parent, childId, common) =>
        new RdsClusterInstance(parent, childId, {
          ...common,
          engine: props.engine,
          instanceClass,
          publiclyAccessible: false,
          performanceInsightsEnabled: true,
          performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays,
          monitoringInterval: props.monitoringIntervalSeconds,
          monitoringRoleArn: props.monitoringRoleArn,
        }),
    );

    if (props.autoscaling) {
      const target = new AppautoscalingTarget(this, "ReaderScaling", {
        serviceNamespace: "rds",
        scalableDimension: "rds:cluster:ReadReplicaCount",
        resourceId: `cluster:${this.resource.clusterIdentifier}`,
        minCapacity: props.autoscaling.minReaders,
        maxCapacity: props.autoscaling.maxReaders,
        dependsOn: [...this.instances],
      });
      new AppautoscalingPolicy(this, "ReaderScalingPolicy", {
        name: `${props.identifier}-readers`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: props.autoscaling.target,
          predefinedMetricSpecification: {
            predefinedMetricType:
              props.autoscaling.metric === "cpu"
                ? "RDSReaderAverageCPUUtilization"
                : "RDSReaderAverageDatabaseConnections",
          },
          scaleInCooldown: 300,
          scaleOutCooldown: 300,
        },
      });
    }

    this.securityGroupId = network.securityGroup.securityGroupId;
    this.identifier = props.identifier;
    this.arn = this.resource.arn;
    this.endpoint = this.resource.endpoint;
    this.readerEndpoint = this.resource.readerEndpoint;
    this.port = props.port;
    this.secretArn = this.resource.masterUserSecret.get(0).secretArn;
    this.resourceId = this.resource.clusterResourceId;
  }
}
