// Runs one synthesis safely: configuration and guardrail errors are printed one per line with exit code 1; nothing in
// the output folder changes unless everything succeeded, and Terraform's working files in it are never removed.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { AnnotationMetadataEntryType } from "cdktf";
import { ConfigError } from "../environments/errors.ts";
import type { Config } from "../environments/schema.ts";
import { annotationLines, synthCollectingErrors } from "../guardrails/data-safety.ts";
import { scanSecrets } from "../guardrails/secrets.ts";
import { buildApp } from "./app.ts";

/** Problems found while building or synthesizing the app that a person must fix (not bugs in this code). */
export class SynthError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join("\n"));
    this.name = "SynthError";
  }
}

/** What cdktf writes into a stack's folder; everything else there (`.terraform/`, `.terraform.lock.hcl`, plans,
 * a local state file) belongs to Terraform or the operator and survives every synthesis. */
const SYNTHESIZED_IN_STACK = new Set(["cdk.tf.json", "cdk.tf", "metadata.json", "assets"]);
const MANIFEST = "manifest.json";

/** Options of one synthesis. */
export interface SynthesizeOptions {
  /** Synthesize only these environments' stacks (plus bootstrap and shared); the other stacks already in the
   * output folder are kept as they are. @default - every environment */
  readonly environments?: readonly string[];
}

/** The output folder: cdktf's CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out. */
export function outdirOf(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CDKTF_OUTDIR || "cdktf.out");
}

/** The staging folder of the process `pid` for `outdir`, beside it so that moving files out of it is a rename. */
function stagingOf(outdir: string, pid: number): string {
  return join(dirname(outdir), `.${basename(outdir)}.staging-${pid}`);
}

/** Removes staging folders left by runs that were killed outright (SIGKILL, power loss): their process is gone. */
function removeAbandonedStaging(outdir: string): void {
  const parent = dirname(outdir);
  if (!existsSync(parent)) return;
  const pattern = new RegExp(
    `^\\.${basename(outdir).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.staging-(\\d+)$`,
  );
  for (const name of readdirSync(parent)) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ESRCH")
        rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
}

/** Moves `from` to `to`, replacing what is there. */
function replace(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  renameSync(from, to);
}

/**
 * Moves a finished synthesis from `staging` into `outdir` the way the cdktf CLI updates its output: only synthesized
 * files change, a stack that no longer exists is removed (unless `keepOtherStacks`), and each stack's Terraform
 * working files stay where they are. The manifest goes last, so it never names a stack that is not there yet.
 */
function commit(staging: string, outdir: string, keepOtherStacks: boolean): void {
  const stacksDir = join(outdir, "stacks");
  mkdirSync(stacksDir, { recursive: true });
  const written = readdirSync(join(staging, "stacks"));
  for (const stack of written) {
    const from = join(staging, "stacks", stack);
    const to = join(stacksDir, stack);
    mkdirSync(to, { recursive: true });
    const entries = readdirSync(from);
    for (const entry of entries) replace(join(from, entry), join(to, entry));
    for (const stale of readdirSync(to))
      if (SYNTHESIZED_IN_STACK.has(stale) && !entries.includes(stale))
        rmSync(join(to, stale), { recursive: true, force: true });
  }
  const manifest = JSON.parse(readFileSync(join(staging, MANIFEST), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  const previous = existsSync(join(outdir, MANIFEST))
    ? (JSON.parse(readFileSync(join(outdir, MANIFEST), "utf8")) as { stacks?: Record<string, unknown> })
        .stacks
    : undefined;
  for (const stack of readdirSync(stacksDir)) {
    if (written.includes(stack)) continue;
    // A partial synthesis (--env) keeps the other environments' stacks and their manifest entries.
    if (keepOtherStacks && previous?.[stack]) manifest.stacks[stack] = previous[stack];
    else if (!keepOtherStacks) rmSync(join(stacksDir, stack), { recursive: true, force: true });
  }
  for (const entry of readdirSync(staging))
    if (entry !== "stacks" && entry !== MANIFEST) replace(join(staging, entry), join(outdir, entry));
  writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  replace(join(staging, MANIFEST), join(outdir, MANIFEST));
}

/** Builds and synthesizes into a staging folder, then moves the result into `outdir`. Returns the number of stacks. */
export function synthesizeInto(
  config: Config,
  outdir: string,
  warn: (line: string) => void = (line) => process.stderr.write(`warning: ${line}\n`),
  options: SynthesizeOptions = {},
): number {
  return synthesizeStacks(config, outdir, warn, options).length;
}

/** synthesizeInto, returning the ids of the stacks written. */
function synthesizeStacks(
  config: Config,
  outdir: string,
  warn: (line: string) => void,
  options: SynthesizeOptions,
): string[] {
  removeAbandonedStaging(outdir);
  const staging = stagingOf(outdir, process.pid);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const { app, stacks } = buildApp(config, {
      outdir: staging,
      ...(options.environments ? { environments: options.environments } : {}),
    });
    // Guardrail findings of every stack, then anything that looks like a secret: one line each, nothing moved.
    const problems = synthCollectingErrors(app);
    problems.push(...scanSecrets(staging));
    if (problems.length > 0) throw new SynthError(problems);
    commit(staging, outdir, options.environments !== undefined);
    // Warnings (e.g. a service without a domain) never stop synthesis; each is printed once, with its stack.
    for (const line of annotationLines(app, AnnotationMetadataEntryType.WARN)) warn(line);
    return stacks.map((s) => s.node.id);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Resources in the stacks just written (their manifest entries) under `outdir`. */
function countResources(outdir: string, stacks: readonly string[]): number {
  let count = 0;
  for (const stack of stacks) {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    for (const byType of Object.values(json.resource ?? {})) count += Object.keys(byType).length;
  }
  return count;
}

/** The command line of `npm run synth` once parsed: where the environment files are, which environments. */
export interface SynthRequest {
  /** @default - ENVIRONMENTS_DIR, else environments */
  readonly dir: string;
  /** @default - every environment */
  readonly environments?: readonly string[];
}

/** The CLI entry: prints user errors without a stack trace and exits 1; on success, one summary line. */
export function synthesize(
  load: (dir: string) => Config,
  request: SynthRequest,
  env: NodeJS.ProcessEnv = process.env,
): void {
  // Synthesis is synchronous, so Node runs these handlers only once it has finished and cleaned its staging
  // folder: Ctrl-C or a SIGTERM then ends the process without leaving a half-written folder behind.
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => process.exit(128 + constants.signals[signal]));
  try {
    const config = load(request.dir);
    const known = config.environments.map((e) => e.name);
    const unknown = request.environments?.filter((n) => !known.includes(n)) ?? [];
    if (unknown.length > 0)
      throw new SynthError([
        `--env ${unknown.join(", ")}: no such environment in ${request.dir}; environments: ${known.join(", ")}`,
      ]);
    const outdir = outdirOf(env);
    const environments = request.environments ? [...new Set(request.environments)] : undefined;
    // Under `cdktf synth` (which passes CDKTF_CONTEXT_JSON) the CLI prints warning annotations itself.
    const written = synthesizeStacks(
      config,
      outdir,
      env.CDKTF_CONTEXT_JSON ? () => undefined : (line) => process.stderr.write(`warning: ${line}\n`),
      environments ? { environments } : {},
    );
    const inside = relative(process.cwd(), outdir);
    const shown = inside.startsWith("..") ? outdir : inside || ".";
    // performance.now() counts from the start of the process: the time includes loading the code.
    const seconds = (performance.now() / 1000).toFixed(1);
    const only = environments ? ` (environments: ${environments.join(", ")})` : "";
    process.stdout.write(
      `synthesized ${written.length} stacks (${countResources(outdir, written)} resources) into ${shown} in ${seconds} s${only}\n`,
    );
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SynthError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
