// An Amazon DocumentDB cluster: TLS and audit logs on, encrypted, master secret managed by the service.
import { DocdbCluster as DocdbClusterResource } from "@cdktf/provider-aws/lib/docdb-cluster";
import { DocdbClusterInstance } from "@cdktf/provider-aws/lib/docdb-cluster-instance";
import { DocdbClusterParameterGroup } from "@cdktf/provider-aws/lib/docdb-cluster-parameter-group";
import { DocdbSubnetGroup } from "@cdktf/provider-aws/lib/docdb-subnet-group";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";
import type { RdsFamilyStoreProps } from "../core/store.ts";
import { clusterInstances, storeLogGroups, storeNetwork, storeParameters } from "../core/store.ts";

export interface DocdbClusterProps extends RdsFamilyStoreProps {
  /** Cluster identifier; instances are `<identifier>-<n>`. At most 60 characters. */
  readonly identifier: string;
  /** "5.0.0" or "8.0.0". */
  readonly engineVersion: string;
  readonly instanceClass: string;
  /** Instances in all: the first is the writer. */
  readonly instances: number;
  readonly masterUsername: string;
  readonly port: number;
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly availabilityZones: readonly string[];
  /** Operations slower than this are written to the profiler log. @default 100 */
  readonly profilerThresholdMs?: number;
}

const DEFAULT_PROFILER_THRESHOLD_MS = 100;
const LOGS = ["audit", "profiler"];

/** The cluster, its instances, parameter, subnet and security groups, and log groups. */
export class DocdbCluster extends Construct {
  public readonly resource: DocdbClusterResource;
  public readonly instances: readonly DocdbClusterInstance[];
  public readonly securityGroupId: string;
  public readonly identifier: string;
  public readonly arn: string;
  public readonly endpoint: string;
  public readonly readerEndpoint: string;
  public readonly port: number;
  public readonly secretArn: string;

  constructor(scope: Construct, id: string, props: DocdbClusterProps) {
    super(scope, id);
    if (props.backupRetentionDays < 1 || props.backupRetentionDays > 35)
      throw new ModuleError(this, `backupRetentionDays ${props.backupRetentionDays} is outside 1-35`);
    const profilerThreshold = props.profilerThresholdMs ?? DEFAULT_PROFILER_THRESHOLD_MS;
    const family = `docdb${props.engineVersion.split(".").slice(0, 2).join(".")}`;

    const network = storeNetwork(this, props, DocdbSubnetGroup, "DocumentDB", props.identifier);
    const parameters = storeParameters(this, DocdbClusterParameterGroup, {
      identifier: props.identifier,
      family,
      description: `TLS required, audit and profiler logs for ${props.identifier}`,
      values: {
        tls: "enabled",
        audit_logs: "enabled",
        profiler: "enabled",
        profiler_threshold_ms: String(profilerThreshold),
      },
      pendingReboot: ["tls"],
    });
    const logGroups = storeLogGroups(this, props, `/aws/docdb/${props.identifier}`, LOGS);

    this.resource = new DocdbClusterResource(this, "Resource", {
      clusterIdentifier: props.identifier,
      engine: "docdb",
      engineVersion: props.engineVersion,
      masterUsername: props.masterUsername,
      // The service generates the password and keeps it in Secrets Manager: it is never in config or JSON.
      manageMasterUserPassword: true,
      port: props.port,
      dbSubnetGroupName: network.subnetGroup.name,
      vpcSecurityGroupIds: [network.securityGroup.securityGroupId],
      dbClusterParameterGroupName: parameters.name,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      backupRetentionPeriod: props.backupRetentionDays,
      preferredBackupWindow: props.backupWindow,
      preferredMaintenanceWindow: props.maintenanceWindow,
      deletionProtection: props.protect,
      skipFinalSnapshot: !props.protect,
      finalSnapshotIdentifier: props.protect ? `${props.identifier}-final` : undefined,
      enabledCloudwatchLogsExports: LOGS,
      tags: { ...props.tags },
      dependsOn: logGroups,
      lifecycle: { preventDestroy: props.protect },
    });

    this.instances = clusterInstances(
      this,
      props,
      this.resource.id,
      props.instances,
      (parent, childId, common) =>
        new DocdbClusterInstance(parent, childId, {
          ...common,
          instanceClass: props.instanceClass,
          enablePerformanceInsights: true,
        }),
    );

    this.securityGroupId = network.securityGroup.securityGroupId;
    this.identifier = props.identifier;
    this.arn = this.resource.arn;
    this.endpoint = this.resource.endpoint;
    this.readerEndpoint = this.resource.readerEndpoint;
    this.port = props.port;
    this.secretArn = this.resource.masterUserSecret.get(0).secretArn;
  }
}
