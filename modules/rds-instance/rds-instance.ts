// An RDS PostgreSQL or MySQL instance: isolated subnets, KMS everywhere, RDS-managed master secret, TLS forced.
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";
import type { SqlDatabaseProps } from "../core/store.ts";
import {
  DEFAULT_CA_CERT_IDENTIFIER,
  postgresParameters,
  storeLogGroups,
  storeNetwork,
  storeParameters,
} from "../core/store.ts";

/** Engines this module builds. */
export type RdsEngine = "postgres" | "mysql";

export interface RdsInstanceProps extends SqlDatabaseProps {
  /** DB identifier (also the stem of the parameter and subnet group names); at most 63 characters. */
  readonly identifier: string;
  readonly engine: RdsEngine;
  /** Major version ("16", "8.0"): RDS applies minor versions itself. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly multiAz: boolean;
  readonly allocatedStorageGb: number;
  readonly maxAllocatedStorageGb: number;
  /** @default "gp3" */
  readonly storageType?: string;
}

const DEFAULT_STORAGE_TYPE = "gp3";

/** Parameter group family, TLS and logging parameters, and log exports per engine. */
const ENGINE_FACTS: Record<
  RdsEngine,
  { family: (v: string) => string; parameters: (slowMs: number) => Record<string, string>; logs: string[] }
> = {
  postgres: {
    family: (v) => `postgres${v}`,
    parameters: postgresParameters,
    logs: ["postgresql", "upgrade"],
  },
  mysql: {
    family: (v) => `mysql${v}`,
    parameters: (slowMs) => ({
      require_secure_transport: "1",
      tls_version: "TLSv1.2,TLSv1.3",
      slow_query_log: "1",
      long_query_time: String(slowMs / 1000),
      log_output: "FILE",
    }),
    logs: ["error", "slowquery"],
  },
};

/** The instance, its parameter group, subnet group, security group and log groups. */
export class RdsInstance extends Construct {
  public readonly resource: DbInstance;
  public readonly securityGroupId: string;
  public readonly identifier: string;
  public readonly arn: string;
  public readonly address: string;
  public readonly port: number;
  /** Secrets Manager secret RDS keeps the master credentials in. */
  public readonly secretArn: string;
  /** DbiResourceId, the part of an `rds-db:connect` resource ARN (`dbuser:<id>/<user>`) IAM sign-in needs. */
  public readonly resourceId: string;

  constructor(scope: Construct, id: string, props: RdsInstanceProps) {
    super(scope, id);
    if (props.maxAllocatedStorageGb < props.allocatedStorageGb)
      throw new ModuleError(
        this,
        `maxAllocatedStorageGb (${props.maxAllocatedStorageGb}) must be ≥ allocatedStorageGb (${props.allocatedStorageGb})`,
      );
    if (props.backupRetentionDays < 0 || props.backupRetentionDays > 35)
      throw new ModuleError(this, `backupRetentionDays ${props.backupRetentionDays} is outside 0-35`);
    const facts = ENGINE_FACTS[props.engine];
    const caCert = props.caCertIdentifier ?? DEFAULT_CA_CERT_IDENTIFIER;
    const storageType = props.storageType ?? DEFAULT_STORAGE_TYPE;

    const network = storeNetwork(this, props, DbSubnetGroup, props.engine, props.identifier);
    const parameters = storeParameters(this, DbParameterGroup, {
      identifier: props.identifier,
      family: facts.family(props.engineVersion),
      description: `TLS required and query logging for ${props.identifier}`,
      values: facts.parameters(props.slowQueryMs),
    });
    const logGroups = storeLogGroups(this, props, `/aws/rds/instance/${props.identifier}`, facts.logs);

    this.resource = new DbInstance(this, "Resource", {
      identifier: props.identifier,
      engine: props.engine,
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      multiAz: props.multiAz,
      allocatedStorage: props.allocatedStorageGb,
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageType,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbName: props.databaseName,
      username: props.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      port: props.port,
      dbSubnetGroupName: network.subnetGroup.name,
      vpcSecurityGroupIds: [network.securityGroup.securityGroupId],
      publiclyAccessible: false,
      parameterGroupName: parameters.name,
      caCertIdentifier: caCert,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: props.backupWindow,
      maintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      deletionProtection: props.protect,
      skipFinalSnapshot: !props.protect,
      finalSnapshotIdentifier: props.protect ? `${props.identifier}-final` : undefined,
      deleteAutomatedBackups: !props.protect,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays,
      monitoringInterval: props.monitoringIntervalSeconds,
      monitoringRoleArn: props.monitoringRoleArn,
      enabledCloudwatchLogsExports: facts.logs,
      tags: { ...props.tags },
      dependsOn: logGroups,
      lifecycle: { preventDestroy: props.protect },
    });
    this.securityGroupId = network.securityGroup.securityGroupId;
    this.identifier = props.identifier;
    this.arn = this.resource.arn;
    this.address = this.resource.address;
    this.port = props.port;
    this.secretArn = this.resource.masterUserSecret.get(0).secretArn;
    this.resourceId = this.resource.resourceId;
  }
}
