// The secret scan of cdktf.out: it catches planted secrets and lets references, ARNs and settings through.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findSecrets, scanSecrets } from "../guardrails/secrets.ts";
import { synthesizeInto } from "../stacks/synthesize.ts";
import { sampleConfig } from "./helpers.ts";

/** A synthesis output folder with one stack holding `resource`. */
function outdirWith(resource: object): string {
  const dir = mkdtempSync(join(tmpdir(), "secrets-"));
  mkdirSync(join(dir, "stacks", "prod-db"), { recursive: true });
  writeFileSync(join(dir, "stacks", "prod-db", "cdk.tf.json"), JSON.stringify({ resource }));
  return dir;
}

describe("the secret scan", () => {
  it("catches a literal password, naming file and path but not the value", () => {
    const dir = outdirWith({ aws_db_instance: { Db: { password: "hunter2-hunter2" } } });
    const lines = scanSecrets(dir);
    expect(lines).toEqual([
      'stacks/prod-db/cdk.tf.json resource.aws_db_instance.Db.password: a literal value under "password" looks like a secret; generate it or reference it from Secrets Manager or SSM',
    ]);
    expect(lines.join("")).not.toContain("hunter2");
  });

  it("catches secrets under camelCase and nested keys and in outputs", () => {
    const found = findSecrets(
      {
        resource: { aws_elasticache_replication_group: { C: { authToken: "abc123abc123" } } },
        output: { db_password: { value: "plain" } },
      },
      "f",
    ).map((f) => f.path);
    expect(found).toEqual([
      "resource.aws_elasticache_replication_group.C.authToken",
      "output.db_password.value",
    ]);
  });

  it("catches an AWS access key id and a PEM private key under any key", () => {
    const found = findSecrets(
      {
        provider: { aws: [{ region: "AKIAIOSFODNN7EXAMPLE" }] },
        resource: {
          x: { y: { body: "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----" } },
        },
      },
      "f",
    ).map((f) => f.what);
    expect(found).toEqual(["an AWS access key id", "a PEM private key"]);
  });

  it("passes references, ARNs, names of secrets and settings that only look like secrets", () => {
    const doc = {
      resource: {
        aws_db_instance: {
          Db: {
            manage_master_user_password: true,
            password: "${aws_secretsmanager_secret_version.pw.secret_string}",
            master_user_secret_kms_key_id: "${aws_kms_key.k.arn}",
          },
        },
        aws_ecs_task_definition: {
          T: { secret_arn: "arn:aws:secretsmanager:eu-west-1:1:secret:x", secret_name: "x" },
        },
        aws_instance: { B: { metadata_options: { http_tokens: "required" } } },
        aws_elasticache_replication_group: { C: { auth_token_update_strategy: "ROTATE" } },
        aws_secretsmanager_random_password: { P: { password_length: 32 } },
      },
    };
    expect(findSecrets(doc, "f")).toEqual([]);
  });

  it("passes every stack of the sample environments", () => {
    const out = join(mkdtempSync(join(tmpdir(), "sample-")), "cdktf.out");
    // synthesizeInto runs the scan itself before swapping the output in: it throws on a finding.
    expect(synthesizeInto(sampleConfig(), out)).toBeGreaterThan(0);
    expect(scanSecrets(out)).toEqual([]);
  });
});
