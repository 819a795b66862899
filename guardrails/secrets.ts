// A scan of synthesized stacks for anything that looks like a secret: synthesized JSON is written to disk, kept in
// CI artifacts and Terraform state, so secrets must be generated or referenced (Secrets Manager, SSM), never literal.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Words of a key name (`master_password`, `authToken`, `private-key`) whose literal value would be a secret. */
const SECRET_WORD =
  /(^|_)(password|passwd|passphrase|secret|token|credentials?|(private|api|access|secret)_key)(_|$)/;
/** Splits camelCase and kebab-case into snake_case words, so `authToken` and `auth_token` read the same. */
const words = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
/**
 * Key names that match SECRET_KEY but hold something else: references and names of secrets, sizes, switches and
 * settings (`secret_arn`, `password_length`, `manage_master_user_password`, `auth_token_update_strategy`).
 */
const NOT_A_SECRET_KEY =
  /(^manage_|_arns?$|_ids?$|_names?$|_prefix$|_length$|_versions?$|_stages?$|_strategy$|_type$|_enabled$|_count$|_days$|_policy$|_kms_key$|_location$|_path$|_uri$|_rotation.*$)/i;
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/;

/** A literal that is not a secret: empty, an expression, an ARN, a placeholder. */
function harmless(value: string): boolean {
  const v = value.trim();
  return v === "" || v.includes("${") || v.startsWith("arn:") || v === "*";
}

/** One finding: where (file and JSON path) and what, never the value itself. */
export interface SecretFinding {
  readonly file: string;
  readonly path: string;
  readonly what: string;
}

/** The findings in one parsed JSON document. */
export function findSecrets(doc: unknown, file: string): SecretFinding[] {
  const out: SecretFinding[] = [];
  const visit = (value: unknown, path: string[], secretKey: boolean): void => {
    if (typeof value === "string") {
      const key = path.at(-1) ?? "";
      if (ACCESS_KEY_ID.test(value)) out.push({ file, path: path.join("."), what: "an AWS access key id" });
      else if (PEM_PRIVATE_KEY.test(value))
        out.push({ file, path: path.join("."), what: "a PEM private key" });
      else if (secretKey && !harmless(value))
        out.push({ file, path: path.join("."), what: `a literal value under "${key}"` });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, String(i)], secretKey));
      return;
    }
    if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) {
        // cdktf's own metadata: construct paths, override names ("aws_secretsmanager_secret": [...]) and declared
        // Checkov exceptions, never a value that reaches AWS.
        if (k === "//") continue;
        const named = SECRET_WORD.test(words(k)) && !NOT_A_SECRET_KEY.test(words(k));
        // `output "db_password" { value = ... }`: the value inherits its parent's name.
        visit(v, [...path, k], named || (secretKey && (k === "value" || k === "default")));
      }
  };
  visit(doc, [], false);
  return out;
}

/** Scans every `stacks/<stack>/cdk.tf.json` under a synthesis output folder; one line per finding. */
export function scanSecrets(outdir: string): string[] {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir)) return [];
  const lines: string[] = [];
  for (const stack of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, stack, "cdk.tf.json");
    if (!existsSync(file)) continue;
    for (const f of findSecrets(JSON.parse(readFileSync(file, "utf8")), `stacks/${stack}/cdk.tf.json`))
      lines.push(
        `${f.file} ${f.path}: ${f.what} looks like a secret; generate it or reference it from Secrets Manager or SSM`,
      );
  }
  return lines;
}
