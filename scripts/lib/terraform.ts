// Runs the terraform binary on the PATH in one stack's folder and turns its failures into one line a person can act on.
import { spawn } from "node:child_process";
import { stripVTControlCharacters } from "node:util";

/** What a terraform run returned. */
export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** terraform itself could not be started or is too old: nothing can run. */
export class TerraformMissing extends Error {
  override readonly name = "TerraformMissing";
}

/** The oldest Terraform the stacks work with: S3 state locking without DynamoDB (`use_lockfile`) came in 1.10. */
export const MIN_TERRAFORM = [1, 10] as const;

/** Options of one terraform run. */
export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Called with each line of standard output as it arrives (the plan a person reads); else output is only captured. */
  readonly onLine?: (line: string) => void;
}

/** Runs `terraform <args>`; never rejects except when the binary is missing. */
export function terraform(args: readonly string[], opts: RunOptions): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, {
      cwd: opts.cwd,
      // We drive terraform: it must never stop to ask, and its hints about which command to run next do not apply.
      env: { ...opts.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (!opts.onLine) return;
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) opts.onLine(line);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "ENOENT"
          ? new TerraformMissing(
              `terraform is not on the PATH: install Terraform ${MIN_TERRAFORM.join(".")} or newer (https://developer.hashicorp.com/terraform/install)`,
            )
          : e,
      ),
    );
    child.on("close", (code) => {
      if (partial && opts.onLine) opts.onLine(partial);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** Checks that terraform is installed and new enough; returns its version. */
export async function checkTerraform(opts: RunOptions): Promise<string> {
  const r = await terraform(["version", "-json"], opts);
  let version = "";
  try {
    version = (JSON.parse(r.stdout) as { terraform_version?: string }).terraform_version ?? "";
  } catch {
    version = /Terraform v(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] ?? "";
  }
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1]))
    throw new TerraformMissing(
      `terraform ${version || "(unknown version)"} is too old: the stacks need ${MIN_TERRAFORM.join(".")} or newer (S3 state locking with use_lockfile)`,
    );
  return version;
}

// Messages of the AWS SDK and the S3 backend when there are no credentials, or they are expired or for nobody.
const CREDENTIAL_PATTERNS =
  /no valid credential sources|NoCredentialProviders|failed to refresh cached credentials|failed to get shared config profile|InvalidClientTokenId|ExpiredToken|security token included in the request is (invalid|expired)|SSO session .* expired|failed to retrieve credentials/i;

/** True when terraform failed because AWS credentials are missing or invalid. */
export function isCredentialError(output: string): boolean {
  return CREDENTIAL_PATTERNS.test(output);
}

/** Longest message kept from terraform's diagnostic: one line on a terminal, the rest is in the log file. */
const MAX_MESSAGE = 300;

/**
 * Terraform's first error as one line: the summary, the resource it is about, and the first paragraph of its detail,
 * without colors, the box drawn around it or the quoted configuration.
 */
export function firstError(output: string): string {
  const lines = stripVTControlCharacters(output)
    .replace(/\r/g, "")
    .split("\n")
    .map((l) => l.replace(/^[│╷╵]\s?/, "").trim());
  const start = lines.findIndex((l) => l.startsWith("Error:"));
  if (start === -1) return lines.find((l) => l.length > 0) ?? "(no output)";
  const summary = lines[start]!.replace(/^Error:\s*/, "");
  let about = "";
  const detail: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("Error:")) break;
    const resource = /^with ([^,]+),$/.exec(line)?.[1];
    if (resource) about = ` (${resource})`;
    // Skip the location and the quoted configuration lines (`on cdk.tf.json line 9`, `  9:   }`).
    if (resource || line.startsWith("on ") || /^\d+:/.test(line)) continue;
    if (line === "") {
      if (detail.length > 0) break;
      continue;
    }
    detail.push(line);
  }
  const message = `${summary}${about}${detail.length ? `: ${detail.join(" ")}` : ""}`;
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}
