// Runs one synthesis safely: configuration and guardrail errors are printed one per line with exit code 1, and the
// output folder is replaced only when everything succeeded, so a failed run never writes or removes anything there.
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
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

/** The output folder: cdktf's CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out. */
export function outdirOf(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CDKTF_OUTDIR || "cdktf.out");
}

/** Builds and synthesizes into a staging folder, then swaps it in. Returns the number of stacks. */
export function synthesizeInto(
  config: Config,
  outdir: string,
  warn: (line: string) => void = (line) => process.stderr.write(`warning: ${line}\n`),
): number {
  const staging = join(dirname(outdir), `.${outdir.split("/").pop()}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const { app, stacks } = buildApp(config, { outdir: staging });
    // Guardrail findings of every stack, then anything that looks like a secret: one line each, nothing swapped in.
    const problems = synthCollectingErrors(app);
    problems.push(...scanSecrets(staging));
    if (problems.length > 0) throw new SynthError(problems);
    const old = `${staging}.old`;
    if (existsSync(outdir)) renameSync(outdir, old);
    renameSync(staging, outdir);
    rmSync(old, { recursive: true, force: true });
    // Warnings (e.g. a service without a domain) never stop synthesis; each is printed once, with its stack.
    for (const line of annotationLines(app, AnnotationMetadataEntryType.WARN)) warn(line);
    return stacks.length;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The CLI entry: prints user errors without a stack trace and exits 1. */
export function synthesize(load: () => Config, env: NodeJS.ProcessEnv = process.env): void {
  try {
    // Under `cdktf synth` (which passes CDKTF_CONTEXT_JSON) the CLI prints warning annotations itself.
    synthesizeInto(load(), outdirOf(env), env.CDKTF_CONTEXT_JSON ? () => undefined : undefined);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SynthError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
