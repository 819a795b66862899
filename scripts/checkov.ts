// `npm run checkov`: synthesizes the environments (or reads an existing cdktf.out) and runs the real Checkov over
// every stack, subtracting the exceptions declared beside resources. Thin over guardrails/checkov/.
//
//   npm run checkov                              the sample environments (ENVIRONMENTS_DIR, else environments/)
//   npm run checkov -- --env-dir examples/x      another set; repeat the flag for several
//   npm run checkov -- --all                     environments/ and every examples/<name>/ set
//   npm run checkov -- --no-synth [--out DIR]    scan an existing synthesis output (default CDKTF_OUTDIR, else cdktf.out)
//   npm run checkov -- --update-ids              regenerate guardrails/checkov-ids.json from `checkov --list`
//
// Exit: 0 clean; 1 unexcepted failures, stale or unknown exceptions, a bad not-applicable list, or a synthesis
// error; 2 Checkov is not installed or could not scan a stack.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigError } from "../environments/errors.ts";
import { loadConfig } from "../environments/load.ts";
import { evaluateStack, formatReport, type StackOutcome } from "../guardrails/checkov/evaluate.ts";
import { loadNotApplicable } from "../guardrails/checkov/not-applicable.ts";
import { declaredExceptions } from "../guardrails/checkov/report.ts";
import { findCheckov, scanStacks, stackFiles, type StackFile } from "../guardrails/checkov/run.ts";
import { environmentSets } from "./lib/environment-sets.ts";
import { parseCommandLine } from "./cli-args.ts";

const NOT_APPLICABLE_FILE = "guardrails/not-applicable.yaml";
const IDS_FILE = "guardrails/checkov-ids.json";

function fail(lines: string, code: number): never {
  process.stderr.write(`${lines}\n`);
  process.exit(code);
}

/** Regenerates the known-ids list from the installed Checkov's own registry. */
function updateIds(checkov: string): void {
  const table = execFileSync(checkov, ["--list", "--framework", "terraform"], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const version = execFileSync(checkov, ["--version"], { encoding: "utf8" }).trim();
  const checks: Record<string, { name: string; types: string[] }> = {};
  for (const line of table.split("\n")) {
    const cols = line.split("|").map((c) => c.trim());
    const [id, kind, entity, name] = [cols[2], cols[3], cols[4], cols[5]];
    if (!id || !/^CKV2?_AWS_\d+$/.test(id) || !entity || name === undefined) continue;
    const check = (checks[id] ??= { name, types: [] });
    const type = kind === "resource" ? entity : `${kind} ${entity}`;
    if (!check.types.includes(type)) check.types.push(type);
  }
  const order = (id: string): [number, number] => {
    const m = /^CKV(2?)_AWS_(\d+)$/.exec(id)!;
    return [m[1] ? 1 : 0, Number(m[2])];
  };
  const sorted = Object.keys(checks).sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);
  const source = `checkov ${version}: checkov --list --framework terraform (regenerate: npm run checkov -- --update-ids)`;
  writeFileSync(
    IDS_FILE,
    `${JSON.stringify({ source, checks: Object.fromEntries(sorted.map((id) => [id, checks[id]])) }, null, 2)}\n`,
  );
  console.log(`${IDS_FILE}: ${sorted.length} checks from Checkov ${version}`);
}

async function main(): Promise<void> {
  const { values } = parseCommandLine({
    name: "npm run checkov",
    usage:
      "npm run checkov -- [--env-dir DIR]... [--all] [--no-synth [--out DIR]] [--update-ids] (flags: --env-dir, --all, --no-synth, --out, --update-ids, --help)",
    options: {
      "env-dir": { type: "string", multiple: true, default: [] },
      all: { type: "boolean", default: false },
      "no-synth": { type: "boolean", default: false },
      // The synthesis output, where npm run synth writes it.
      out: { type: "string", default: process.env.CDKTF_OUTDIR || "cdktf.out" },
      "update-ids": { type: "boolean", default: false },
    },
  });
  const checkov = findCheckov();
  if (!checkov)
    fail(
      "checkov: not found on PATH. Install it with `pip install checkov` (Checkov 3.x), or in this repository put the " +
        'bundled one first: PATH="$(cd ../shared/checkov/bin && pwd):$PATH" npm run checkov',
      2,
    );
  if (values["update-ids"]) return updateIds(checkov);

  const na = loadNotApplicable(NOT_APPLICABLE_FILE);
  if (na.problems.length > 0) fail(na.problems.join("\n"), 1);

  const started = Date.now();
  const temp: string[] = [];
  // process.exit skips finally blocks: remove the temporary outputs on every way out.
  process.on("exit", () => temp.forEach((t) => rmSync(t, { recursive: true, force: true })));
  const stacks: StackFile[] = [];
  {
    if (values["no-synth"]) {
      stacks.push(...stackFiles(resolve(values.out)));
      if (stacks.length === 0)
        fail(`checkov: no ${values.out}/stacks/<stack>/cdk.tf.json; synthesize first`, 1);
    } else {
      // Loaded only to synthesize: the whole app takes seconds to load through tsx, and --help, a mistyped flag,
      // --no-synth and --update-ids need none of it.
      const { SynthError, synthesizeInto } = await import("../stacks/synthesize.ts");
      const sets = environmentSets(values["env-dir"], values.all);
      for (const set of sets) {
        const out = mkdtempSync(join(tmpdir(), "checkov-synth-"));
        temp.push(out);
        try {
          synthesizeInto(loadConfig(set), join(out, "cdktf.out"));
        } catch (e) {
          if (e instanceof ConfigError || e instanceof SynthError) fail(e.message, 1);
          throw e;
        }
        stacks.push(...stackFiles(join(out, "cdktf.out"), sets.length > 1 ? `${set}:` : ""));
      }
    }
    console.log(`checkov: scanning ${stacks.length} stacks in one Checkov process`);
    const outcomes: StackOutcome[] = [];
    const errors: string[] = [];
    await scanStacks(checkov, stacks, (s) => {
      if ("error" in s) {
        errors.push(`${s.label}: could not scan: ${s.error}`);
        console.log(`  ${s.label}: could not scan`);
        return;
      }
      const outcome = evaluateStack(s.label, s.results, declaredExceptions(s.document), na.entries);
      outcomes.push(outcome);
      const bad = outcome.failures.length + outcome.badExceptions.length;
      console.log(
        `  ${s.label}: ${bad === 0 ? "ok" : "FAIL"} (${outcome.passed} passed, ${outcome.failures.length} failed, ${outcome.excepted.length} excepted)`,
      );
    });
    const report = formatReport(outcomes, na.entries);
    console.log(report.lines.join("\n"));
    console.log(`\n${stacks.length} stacks scanned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (errors.length > 0) fail(errors.join("\n"), 2);
    process.exitCode = report.exitCode;
  }
}

await main();
