// `npm run bench`: how long synthesis takes and how much memory it needs, for the sample environments and for
// generated sets of 10, 50 and 100 environments. Prints a table; never asserts (timings are not tests).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Run {
  readonly ms: number;
  readonly rssMb: number;
}

function synthOnce(envDir: string, outdir: string, args: readonly string[]): Run {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["scripts/synth.mjs", ...args], {
    env: { ...process.env, ENVIRONMENTS_DIR: envDir, CDKTF_OUTDIR: outdir, SYNTH_REPORT_RSS: "1" },
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`synth failed for ${envDir}:\n${r.stderr}`);
  const rss = /maxrss_kb=(\d+)/.exec(r.stderr)?.[1];
  return { ms, rssMb: Number(rss ?? 0) / 1024 };
}

function countOutput(outdir: string): { stacks: number; resources: number } {
  const stacks = readdirSync(join(outdir, "stacks"));
  let resources = 0;
  for (const s of stacks) {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8")) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    for (const byType of Object.values(json.resource ?? {})) resources += Object.keys(byType).length;
  }
  return { stacks: stacks.length, resources };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** An environments folder with `n` copies of the sample dev environment, each with its own name and CIDR. */
function generated(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-envs-${n}-`));
  const names = Array.from({ length: n }, (_, i) => `e${String(i + 1).padStart(3, "0")}`);
  const shared = readFileSync("environments/shared.yaml", "utf8").replace(
    /^environments: .*$/m,
    `environments: [${names.join(", ")}]`,
  );
  writeFileSync(join(dir, "shared.yaml"), shared);
  const template = readFileSync("environments/dev.yaml", "utf8");
  names.forEach((name, i) => {
    const text = template
      .replace(/\bdev\b/g, name)
      .replace(/\b10\.\d+\.0\.0\/(\d+)/g, (_, prefix: string) => `10.${(i + 1) % 256}.0.0/${prefix}`);
    writeFileSync(join(dir, `${name}.yaml`), text);
  });
  return dir;
}

function measure(label: string, envDir: string, runs: number, args: readonly string[] = []): void {
  const outdir = join(mkdtempSync(join(tmpdir(), "bench-out-")), "cdktf.out");
  synthOnce(envDir, outdir, args); // warm the bundle cache and the file system
  const results = Array.from({ length: runs }, () => synthOnce(envDir, outdir, args));
  const { stacks, resources } = countOutput(outdir);
  const ms = median(results.map((r) => r.ms));
  const rss = Math.max(...results.map((r) => r.rssMb));
  console.log(
    `| ${label.padEnd(18)} | ${String(stacks).padStart(6)} | ${String(resources).padStart(9)} | ${(ms / 1000).toFixed(2).padStart(8)} s | ${rss.toFixed(0).padStart(6)} MiB | ${runs} |`,
  );
  rmSync(outdir, { recursive: true, force: true });
}

console.log("| environments       | stacks | resources | median wall | peak RSS | runs |");
console.log("|--------------------|--------|-----------|-------------|----------|------|");
measure("sample (npm synth)", "environments", 7);
for (const [n, runs] of [
  [10, 5],
  [50, 3],
  [100, 3],
] as const)
  measure(`generated ${n}`, generated(n), runs);
// One environment among a hundred (`npm run synth -- --env e001`): should cost about what a one-environment set does.
measure("100, --env e001", generated(100), 3, ["--env", "e001"]);

const start = process.hrtime.bigint();
// The cdktf CLI sets CDKTF_OUTDIR for the app from --output: CDKTF_OUTDIR alone would not move its output.
const cliOut = join(mkdtempSync(join(tmpdir(), "bench-cli-")), "out");
const cli = spawnSync("npx", ["--no-install", "cdktf", "synth", "--output", cliOut], {
  env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  encoding: "utf8",
});
const cliMs = Number(process.hrtime.bigint() - start) / 1e6;
console.log(
  `\ncdktf synth (sample, one run, CLI included): ${(cliMs / 1000).toFixed(2)} s${cli.status === 0 ? "" : " FAILED"}`,
);

// The goal of issue 24: `npm run synth` of the sample within 4x of loading cdktf and constructs alone.
function wallMs(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const begin = process.hrtime.bigint();
  const r = spawnSync(command, args, { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${r.stderr}`);
  return Number(process.hrtime.bigint() - begin) / 1e6;
}
const ratioOut = join(mkdtempSync(join(tmpdir(), "bench-ratio-")), "cdktf.out");
const npmSynth = () =>
  wallMs("npm", ["run", "--silent", "synth"], { ...process.env, CDKTF_OUTDIR: ratioOut });
const loadOnly = () => wallMs(process.execPath, ["-e", 'require("cdktf");require("constructs")']);
npmSynth();
loadOnly();
const synthMs = median(Array.from({ length: 7 }, npmSynth));
const loadMs = median(Array.from({ length: 7 }, loadOnly));
console.log(
  `npm run synth (sample) ${(synthMs / 1000).toFixed(2)} s / node -e 'require("cdktf");require("constructs")' ${(loadMs / 1000).toFixed(2)} s = ${(synthMs / loadMs).toFixed(2)}x (goal: at most 4x)`,
);
