#!/usr/bin/env node
// The fast synthesis path used by both `npm run synth` and `cdktf synth` (cdktf.json "app").
// main.ts is bundled once with esbuild into node_modules/.cache and reused until one of its source files
// changes; node then runs plain JavaScript with no TypeScript loader. Dependencies stay external (required from
// node_modules as CommonJS), so the output is the same as running main.ts with tsx.
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import module, { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = join(root, "node_modules", ".cache", "cdktf-app");
const bundle = join(cacheDir, "main.cjs");
const stampFile = join(cacheDir, "inputs.json");

/** mtime and size of each input: any edit, added import or `npm ci` changes the stamp. */
function stampOf(files) {
  return files.map((f) => {
    try {
      const s = statSync(join(root, f));
      return [f, s.mtimeMs, s.size];
    } catch {
      return [f, 0, -1];
    }
  });
}

function isFresh() {
  if (!existsSync(bundle) || !existsSync(stampFile)) return false;
  const saved = JSON.parse(readFileSync(stampFile, "utf8"));
  return JSON.stringify(stampOf(saved.map(([f]) => f))) === JSON.stringify(saved);
}

async function rebuild() {
  mkdirSync(cacheDir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, "main.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    outfile: `${bundle}.${process.pid}.tmp`,
    metafile: true,
    logLevel: "warning",
    absWorkingDir: root,
  });
  const inputs = [...Object.keys(result.metafile.inputs), "package-lock.json", "scripts/synth.mjs"].sort();
  // Renames are atomic: a concurrent run sees the old bundle or the new one, never half of one.
  renameSync(`${bundle}.${process.pid}.tmp`, bundle);
  writeFileSync(`${stampFile}.${process.pid}.tmp`, JSON.stringify(stampOf(inputs)));
  renameSync(`${stampFile}.${process.pid}.tmp`, stampFile);
}

// For `npm run bench`: peak memory of this process, reported on exit.
if (process.env.SYNTH_REPORT_RSS)
  process.on("exit", () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\n`));

// Node 22.1+ (our users' versions) keeps V8's compiled code between runs; Node 20 has no such API.
module.enableCompileCache?.(join(cacheDir, "v8"));

// cdktf records a full-depth creation stack for every token (on a plain object, not an Error) and formats it at
// once, only ever to show it in an error about that token: ~15% of a synthesis. Format traces of real Errors as
// V8 does and leave those plain-object captures empty; the synthesized output does not change.
Error.prepareStackTrace = (error, frames) =>
  error instanceof Error ? [String(error), ...frames.map((f) => `    at ${f}`)].join("\n") : "";

if (process.env.SYNTH_NO_CACHE || !isFresh()) await rebuild();
createRequire(import.meta.url)(bundle);
