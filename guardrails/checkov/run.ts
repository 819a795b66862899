// Runs the `checkov` on PATH over synthesized stacks: one Checkov process for all of them (each start costs ~4 s),
// each stack in its own folder (its own Terraform root), on a copy without JSON nulls.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onPath } from "../../scripts/lib/on-path.ts";
import { parseCheckovOutput, stripNulls, type StackDocument, type StackResults } from "./report.ts";

/** The `checkov` executable found on PATH, or undefined. */
export const findCheckov = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  onPath("checkov", env);

/** One stack to scan: its label in the report and its cdk.tf.json. */
export interface StackFile {
  readonly label: string;
  readonly file: string;
}

/** The stacks of a synthesis output folder (`<outdir>/stacks/<stack>/cdk.tf.json`), sorted by name. */
export function stackFiles(outdir: string, labelPrefix = ""): StackFile[] {
  const dir = join(outdir, "stacks");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((stack) => ({ label: `${labelPrefix}${stack}`, file: join(dir, stack, "cdk.tf.json") }))
    .filter((s) => existsSync(s.file));
}

/** A scanned stack: its document and results, or why it could not be scanned. */
export type ScanOutcome =
  | { readonly label: string; readonly document: StackDocument; readonly results: StackResults }
  | { readonly label: string; readonly error: string };

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) =>
      resolvePromise({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** Checkov's results for one file of a directory scan. */
interface RawFileCheck {
  readonly file_path?: string;
}
type RawDirReport = { results?: Record<string, RawFileCheck[] | undefined> };

/**
 * Scans every stack with one Checkov process (`-d` over one folder per stack) and returns the outcomes in the order
 * of `stacks`; `onStack` hears each one as soon as its results are known.
 */
export async function scanStacks(
  checkov: string,
  stacks: readonly StackFile[],
  onStack: (outcome: ScanOutcome) => void = () => undefined,
): Promise<ScanOutcome[]> {
  const workDir = mkdtempSync(join(tmpdir(), "checkov-"));
  try {
    const documents: (StackDocument | string)[] = stacks.map((stack, i) => {
      try {
        const document = JSON.parse(readFileSync(stack.file, "utf8")) as StackDocument;
        mkdirSync(join(workDir, `s${i}`));
        writeFileSync(
          join(workDir, `s${i}`, "cdk.tf.json"),
          `${JSON.stringify(stripNulls(document), null, 2)}\n`,
        );
        return document;
      } catch (e) {
        return `cannot read ${stack.file} as JSON: ${(e as Error).message}`;
      }
    });
    const args = ["-d", ".", "--framework", "terraform_json", "-o", "json", "--compact", "--skip-download"];
    const { code, stdout, stderr } = await run(checkov, args, workDir);
    let reports: RawDirReport[] | undefined;
    try {
      const parsed = JSON.parse(stdout) as RawDirReport | RawDirReport[];
      reports = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      reports = undefined;
    }
    return stacks.map((stack, i) => {
      const document = documents[i]!;
      let outcome: ScanOutcome;
      if (typeof document === "string") outcome = { label: stack.label, error: document };
      else if (!reports) {
        const tail = stderr.trim().split("\n").slice(-5).join("\n    ");
        outcome = { label: stack.label, error: `checkov exited ${code} without a JSON report:\n    ${tail}` };
      } else {
        // Each result names its file, relative to the scanned folder: /s<i>/cdk.tf.json.
        const mine = (checks: RawFileCheck[] | undefined) =>
          (checks ?? []).filter((c) => c.file_path?.replace(/^\//, "") === `s${i}/cdk.tf.json`);
        const own = reports.map((r) => ({
          results: {
            passed_checks: mine(r.results?.passed_checks),
            failed_checks: mine(r.results?.failed_checks),
          },
        }));
        outcome = {
          label: stack.label,
          document,
          results: parseCheckovOutput(JSON.stringify(own), document),
        };
      }
      onStack(outcome);
      return outcome;
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
