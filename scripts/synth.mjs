#!/usr/bin/env node
// The fast synthesis path used by both `npm run synth` and `cdktf synth` (cdktf.json "app").
// main.ts and its dependencies are bundled once with esbuild into node_modules/.cache and reused until a source
// file or the installed dependencies change; node then runs one plain JavaScript file with no TypeScript loader,
// from V8's code cache when it has one. The output is the same as running main.ts with tsx (a test checks it).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import module from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { skipPlainStackCaptures } from "./lib/plain-stack-captures.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = join(root, "node_modules", ".cache", "cdktf-app");
const bundle = join(cacheDir, "main.cjs");
const codeCache = join(cacheDir, "main.v8cache");
const stampFile = join(cacheDir, "inputs.json");
/** Rewritten by every npm install / npm ci: stands for all of node_modules in the stamp. */
const DEPENDENCY_STAMPS = ["package-lock.json", "node_modules/.package-lock.json", "scripts/synth.mjs"];

/** mtime and size of each input: any edit, added import or reinstall changes the stamp. */
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

/** Writes a file atomically: a concurrent run sees the old content or the new, never half of it. */
function writeAtomically(path, content) {
  writeFileSync(`${path}.${process.pid}.tmp`, content);
  renameSync(`${path}.${process.pid}.tmp`, path);
}

async function rebuild() {
  // Loaded only here: most runs reuse the bundle and need no esbuild.
  const { build } = await import("esbuild");
  mkdirSync(cacheDir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, "main.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    metafile: true,
    logLevel: "warning",
    absWorkingDir: root,
  });
  const sources = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("node_modules/"));
  rmSync(codeCache, { force: true });
  writeAtomically(bundle, result.outputFiles[0].contents);
  writeAtomically(stampFile, JSON.stringify(stampOf([...sources, ...DEPENDENCY_STAMPS].sort())));
}

// For `npm run bench`: peak memory of this process, reported on exit.
if (process.env.SYNTH_REPORT_RSS)
  process.on("exit", () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\n`));

// cdktf's stack trace per token and construct, formatted only for an error about it: ~15% of a synthesis.
skipPlainStackCaptures();

if (process.env.SYNTH_NO_CACHE || !isFresh()) await rebuild();

// Run the bundle as CommonJS through vm.Script so V8 can reuse the code it compiled last time (Node 20 has no
// module.enableCompileCache). A cache from another V8 version is rejected by V8 and written anew.
const source = readFileSync(bundle, "utf8");
const cachedData = existsSync(codeCache) ? readFileSync(codeCache) : undefined;
const script = new Script(module.wrap(source), { filename: bundle, cachedData });
const run = script.runInThisContext();
const exports = {};
const mod = { exports, filename: bundle, id: bundle };
run.call(exports, exports, module.createRequire(bundle), mod, bundle, cacheDir);
if (!cachedData || script.cachedDataRejected) writeAtomically(codeCache, script.createCachedData());
// Synthesis ran synchronously, so a Ctrl-C or SIGTERM that came meanwhile is still pending: give the event loop one
// turn to deliver it, so the process ends with the signal's exit status rather than success.
await new Promise((resolvePromise) => setTimeout(resolvePromise, 5));
