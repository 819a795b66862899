// Runs the `checkov` on PATH over synthesized stacks: each stack on its own (its own Terraform root), on a copy
// without JSON nulls, up to one process per core.
import { spawn } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parseCheckovOutput, stripNulls, type StackDocument, type StackResults } from "./report.ts";

/** The `checkov` executable found on PATH, or undefined. */
export function findCheckov(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const file = join(dir, "checkov");
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

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

/** Scans one stack with Checkov on a null-free copy in `workDir`. */
export async function scanStack(checkov: string, stack: StackFile, workDir: string): Promise<ScanOutcome> {
  let document: StackDocument;
  try {
    document = JSON.parse(readFileSync(stack.file, "utf8")) as StackDocument;
  } catch (e) {
    return { label: stack.label, error: `cannot read ${stack.file} as JSON: ${(e as Error).message}` };
  }
  const dir = mkdtempSync(join(workDir, "stack-"));
  writeFileSync(join(dir, "cdk.tf.json"), `${JSON.stringify(stripNulls(document), null, 2)}\n`);
  const args = [
    "-f",
    "cdk.tf.json",
    "--framework",
    "terraform_json",
    "-o",
    "json",
    "--compact",
    "--skip-download",
  ];
  const { code, stdout, stderr } = await run(checkov, args, dir);
  try {
    return { label: stack.label, document, results: parseCheckovOutput(stdout, document) };
  } catch {
    const tail = stderr.trim().split("\n").slice(-5).join("\n    ");
    return { label: stack.label, error: `checkov exited ${code} without a JSON report:\n    ${tail}` };
  }
}

/** Scans every stack, at most `parallel` at a time, and returns the outcomes in the order of `stacks`. */
export async function scanStacks(
  checkov: string,
  stacks: readonly StackFile[],
  parallel = availableParallelism(),
): Promise<ScanOutcome[]> {
  const workDir = mkdtempSync(join(tmpdir(), "checkov-"));
  mkdirSync(workDir, { recursive: true });
  const outcomes: ScanOutcome[] = Array.from({ length: stacks.length });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < stacks.length) {
      const i = next++;
      outcomes[i] = await scanStack(checkov, stacks[i]!, workDir);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, stacks.length)) }, worker));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return outcomes;
}
