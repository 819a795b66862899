// `npm run test:terraform -- [validate|plan] [--env-dir DIR]...`: synthesizes the sample environments and every
// examples/<name>/ set (or only the --env-dir sets) into temporary folders and runs real Terraform over every stack through ../shared/terraform-offline (a stand-in AWS
// provider, no credentials, no network). Any diagnostic fails, warnings included: a deprecation today is an error
// after the next provider upgrade. Without Terraform or tf-offline it prints one line saying so and passes.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommandLine } from "./cli-args.ts";
import { environmentSets } from "./lib/environment-sets.ts";
import { onPath } from "./lib/on-path.ts";
import { findTfOffline, root } from "./tf-offline.ts";

/** Runs tf-offline, echoing its output, and returns its exit code and the diagnostics it printed. */
function tfOffline(tool: string, args: string[]): Promise<{ code: number; diagnostics: number }> {
  return new Promise((done, reject) => {
    const child = spawn(tool, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let diagnostics = 0;
    let rest = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString("utf8")).split("\n");
      rest = lines.pop() ?? "";
      diagnostics += lines.filter((l) => /^\s+(warning|error):/.test(l)).length;
    });
    child.on("error", reject);
    child.on("close", (code) => done({ code: code ?? 1, diagnostics }));
  });
}

const { values, positionals } = parseCommandLine({
  name: "npm run test:terraform",
  usage:
    "npm run test:terraform -- [validate|plan]... [--env-dir DIR]... (default: validate and plan of environments/ and every examples/*)",
  options: { "env-dir": { type: "string", multiple: true, default: [] } },
  maxPositionals: 2,
});
const modes = positionals.length > 0 ? positionals : ["validate", "plan"];
const wrong = modes.find((m) => m !== "validate" && m !== "plan");
if (wrong) {
  console.error(`npm run test:terraform: unknown mode ${wrong}; modes: validate, plan`);
  process.exit(1);
}

const tool = findTfOffline();
if (!tool) {
  console.log(
    "test:terraform: skipped: tf-offline not found (set TF_OFFLINE, or clone the shared tools beside this repository as ../shared)",
  );
  process.exit(0);
}
if (!onPath("terraform")) {
  console.log(
    "test:terraform: skipped: terraform is not on the PATH (install Terraform 1.10+ to run this step)",
  );
  process.exit(0);
}

const started = Date.now();
const temp = mkdtempSync(join(tmpdir(), "tf-check-"));
process.on("exit", () => rmSync(temp, { recursive: true, force: true }));
let failed = 0;
let stacks = 0;
const sets = environmentSets(values["env-dir"], true, root);
for (const [i, set] of sets.entries()) {
  const out = join(temp, String(i), "cdktf.out");
  const synth = spawnSync(process.execPath, [join(root, "scripts", "synth.mjs"), set], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: out },
    encoding: "utf8",
  });
  if (synth.status !== 0) {
    process.stderr.write(`${set}: synthesis failed:\n${synth.stderr}`);
    process.exit(1);
  }
  stacks += readdirSync(join(out, "stacks")).length;
  for (const mode of modes) {
    console.log(`test:terraform: ${mode} ${set}`);
    const { code, diagnostics } = await tfOffline(tool, [mode, out]);
    if (code !== 0 || diagnostics > 0) failed++;
  }
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failed > 0) {
  console.error(`test:terraform: failed: Terraform reported diagnostics (warnings count) in ${seconds} s`);
  process.exit(1);
}
console.log(`test:terraform: ${modes.join(" and ")} of ${stacks} stacks clean in ${seconds} s`);
