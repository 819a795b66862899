// CKV_AWS_16/17/29/30/44/64/74/87/96/102, CKV_AWS_5/42: data stores are never public and always encrypted.
import { blocks, isExpression, isTrue, type Json } from "../view.ts";
import { ofType, type Finding, type Rule } from "./rule.ts";

interface Requirement {
  readonly type: string;
  readonly checkId: string;
  /** Reads the argument; a computed value is left to Checkov and the plan. */
  readonly value: (attrs: Record<string, Json>) => Json | undefined;
  /** Whether the value is acceptable. Absent arguments get the provider's default. */
  readonly ok: (value: Json | undefined) => boolean;
  readonly message: string;
}

const notPublic = (v: Json | undefined): boolean => !isTrue(v);
const encrypted = (v: Json | undefined): boolean => isTrue(v);
const attr = (name: string) => (a: Record<string, Json>) => a[name];

// DynamoDB is absent on purpose: its tables are always encrypted at rest (with an AWS-owned key at least).
const REQUIREMENTS: readonly Requirement[] = [
  {
    type: "aws_db_instance",
    checkId: "CKV_AWS_17",
    value: attr("publicly_accessible"),
    ok: notPublic,
    message: "the database is publicly accessible",
  },
  {
    type: "aws_rds_cluster_instance",
    checkId: "CKV_AWS_17",
    value: attr("publicly_accessible"),
    ok: notPublic,
    message: "the cluster instance is publicly accessible",
  },
  {
    type: "aws_neptune_cluster_instance",
    checkId: "CKV_AWS_102",
    value: attr("publicly_accessible"),
    ok: notPublic,
    message: "the cluster instance is publicly accessible",
  },
  // Redshift defaults to public: only an explicit false passes.
  {
    type: "aws_redshift_cluster",
    checkId: "CKV_AWS_87",
    value: attr("publicly_accessible"),
    ok: (v) => v === false || v === "false",
    message: "the cluster is publicly accessible (the provider's default; set publicly_accessible = false)",
  },
  {
    type: "aws_db_instance",
    checkId: "CKV_AWS_16",
    value: (a) => (a.replicate_source_db ? true : a.storage_encrypted),
    ok: encrypted,
    message: "storage is not encrypted (storage_encrypted)",
  },
  {
    type: "aws_rds_cluster",
    checkId: "CKV_AWS_96",
    value: attr("storage_encrypted"),
    ok: encrypted,
    message: "storage is not encrypted (storage_encrypted)",
  },
  {
    type: "aws_docdb_cluster",
    checkId: "CKV_AWS_74",
    value: attr("storage_encrypted"),
    ok: encrypted,
    message: "storage is not encrypted (storage_encrypted)",
  },
  {
    type: "aws_neptune_cluster",
    checkId: "CKV_AWS_44",
    value: attr("storage_encrypted"),
    ok: encrypted,
    message: "storage is not encrypted (storage_encrypted)",
  },
  {
    type: "aws_redshift_cluster",
    checkId: "CKV_AWS_64",
    value: attr("encrypted"),
    ok: encrypted,
    message: "the cluster is not encrypted (encrypted)",
  },
  {
    type: "aws_elasticache_replication_group",
    checkId: "CKV_AWS_29",
    value: attr("at_rest_encryption_enabled"),
    ok: encrypted,
    message: "the cache is not encrypted at rest (at_rest_encryption_enabled)",
  },
  {
    type: "aws_elasticache_replication_group",
    checkId: "CKV_AWS_30",
    value: attr("transit_encryption_enabled"),
    ok: encrypted,
    message: "the cache is not encrypted in transit (transit_encryption_enabled)",
  },
  {
    type: "aws_efs_file_system",
    checkId: "CKV_AWS_42",
    value: attr("encrypted"),
    ok: encrypted,
    message: "the file system is not encrypted (encrypted)",
  },
  {
    type: "aws_opensearch_domain",
    checkId: "CKV_AWS_5",
    value: (a) => blocks(a.encrypt_at_rest)[0]?.enabled,
    ok: encrypted,
    message: "the domain is not encrypted at rest (encrypt_at_rest.enabled)",
  },
  {
    type: "aws_elasticsearch_domain",
    checkId: "CKV_AWS_5",
    value: (a) => blocks(a.encrypt_at_rest)[0]?.enabled,
    ok: encrypted,
    message: "the domain is not encrypted at rest (encrypt_at_rest.enabled)",
  },
];

/** A database, cache or cluster that is publicly accessible or not encrypted. */
export const dataStores: Rule = (facts) => {
  const findings: Finding[] = [];
  for (const r of REQUIREMENTS)
    for (const block of ofType(facts, r.type)) {
      const value = r.value(block.attrs);
      if (isExpression(value) || r.ok(value)) continue;
      findings.push({ block, checkId: r.checkId, message: r.message });
    }
  return findings;
};
