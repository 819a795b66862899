// What every data store module (RDS, Aurora, DocumentDB, ElastiCache) takes: where it sits, its key and protection.

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
