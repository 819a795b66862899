// Which resource types hold data: losing one to a replacement loses data, so their addresses are pinned by a test
// (test/stateful-addresses.json) and, in a protected environment, they carry prevent_destroy and deletion protection.

/** Deletion protection a stateful type supports, and the Checkov id that mirrors it where one exists. */
export interface StatefulType {
  /** The argument that turns deletion protection on, when the type has one. */
  readonly deletionProtection?: { readonly attribute: string; readonly checkId: string };
  /** The argument that, when true, skips the final snapshot on deletion. */
  readonly skipFinalSnapshot?: string;
}

/** The RDS-style database: `deletion_protection`, mirrored by Checkov's `checkId`, and `skip_final_snapshot`. */
const rdsStyle = (checkId: string): StatefulType => ({
  deletionProtection: { attribute: "deletion_protection", checkId },
  skipFinalSnapshot: "skip_final_snapshot",
});

/** Stateful resource types: state, databases and clusters, caches, tables, registries, vaults, keys, zones, files. */
export const STATEFUL_TYPES: Readonly<Record<string, StatefulType>> = {
  aws_s3_bucket: {},
  aws_dynamodb_table: {
    deletionProtection: { attribute: "deletion_protection_enabled", checkId: "GUARD_DELETION_PROTECTION" },
  },
  aws_db_instance: rdsStyle("CKV_AWS_293"),
  aws_rds_cluster: rdsStyle("CKV_AWS_139"),
  aws_docdb_cluster: rdsStyle("GUARD_DELETION_PROTECTION"),
  aws_neptune_cluster: rdsStyle("CKV2_AWS_58"),
  aws_redshift_cluster: { skipFinalSnapshot: "skip_final_snapshot" },
  aws_elasticache_replication_group: {},
  aws_elasticache_serverless_cache: {},
  aws_ecr_repository: {},
  aws_backup_vault: {},
  aws_kms_key: {},
  aws_route53_zone: {},
  aws_efs_file_system: {},
  aws_opensearch_domain: {},
};

/** True for a stateful resource type. */
export function isStateful(type: string): boolean {
  return Object.hasOwn(STATEFUL_TYPES, type);
}

/** The stateful resource addresses of a synthesized stack (`type.logicalId`), sorted. */
export function statefulAddresses(stack: {
  readonly resource?: Record<string, Record<string, unknown>>;
}): string[] {
  return Object.entries(stack.resource ?? {})
    .filter(([type]) => isStateful(type))
    .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`))
    .sort();
}
