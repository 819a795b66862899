// Generated files under docs/: synthesized once into a temporary folder, formatted like the rest of the repository,
// then written, or compared with the committed copies (`--check`).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { format, resolveConfig } from "prettier";
import { ConfigError, environmentsDir, loadConfig } from "../../environments/load.ts";
import { synthInto, SynthFailed } from "./synth-child.ts";
import { readStacks, type SynthStack } from "./stacks.ts";

/** A synthesis of the environments folder, in a temporary folder that is removed afterwards. */
export interface Synthesized {
  readonly stacks: ReadonlyMap<string, SynthStack>;
  readonly environments: readonly string[];
}

/** Synthesizes the environments (ENVIRONMENTS_DIR or environments/) and hands the stacks to `use`. */
export async function withSynthesis<T>(use: (s: Synthesized) => Promise<T> | T): Promise<T> {
  const environments = loadConfig(environmentsDir()).environments.map((e) => e.name);
  const outdir = mkdtempSync(join(tmpdir(), "docs-synth-"));
  try {
    await synthInto(outdir);
    return await use({ stacks: readStacks(outdir), environments });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Formats markdown as `prettier -c .` expects it; other files are returned unchanged. */
export async function formatted(path: string, content: string): Promise<string> {
  if (!path.endsWith(".md")) return content;
  return format(content, { ...(await resolveConfig(path)), filepath: path });
}

/**
 * Writes each file, or with `check` only compares: returns the stale paths (with `check`) or the written ones.
 */
export async function writeOrCheck(
  files: Readonly<Record<string, string>>,
  check: boolean,
): Promise<string[]> {
  const changed: string[] = [];
  for (const [path, raw] of Object.entries(files)) {
    const content = await formatted(path, raw);
    const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (current === content) continue;
    changed.push(path);
    if (!check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
  }
  return changed;
}

/** The CLI ending shared by `npm run docs` and `npm run diagram`: one summary line, exit 1 when stale. */
export function report(
  command: string,
  all: readonly string[],
  changed: readonly string[],
  check: boolean,
): number {
  if (check) {
    for (const p of changed) console.error(`${p} is stale: run ${command}`);
    if (changed.length === 0) console.log(`${all.length} generated file(s) are up to date`);
    return changed.length > 0 ? 1 : 0;
  }
  console.log(
    `wrote ${changed.length} of ${all.length} file(s)${changed.length ? `: ${changed.join(", ")}` : " (all were up to date)"}`,
  );
  return 0;
}

/**
 * The whole CLI of a generator (`npm run docs`, `npm run diagram`): `--check` or nothing, one synthesis, one summary
 * line; configuration and synthesis errors as one line each, exit 1.
 */
export async function generatorMain(
  command: string,
  argv: readonly string[],
  build: (s: Synthesized) => Promise<Record<string, string>> | Record<string, string>,
): Promise<number> {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown[0]}: the only flag is --check`);
    return 1;
  }
  const check = argv.includes("--check");
  try {
    console.log(`${command}: synthesizing the environments ...`);
    const files = await withSynthesis(build);
    return report(command, Object.keys(files), await writeOrCheck(files, check), check);
  } catch (e) {
    if (!(e instanceof ConfigError || e instanceof SynthFailed)) throw e;
    console.error(e.message);
    return 1;
  }
}
