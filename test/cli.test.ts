// The synth command as a person runs it: errors are one line each with exit 1, and a failed run touches nothing.
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

type StackDoc = { resource?: Record<string, object> };
import { NO_DOMAIN_WARNING } from "../stacks/ecs.ts";
import { synthesizeInto } from "../stacks/synthesize.ts";
import { filesOf, treeDifferences } from "../scripts/lib/tree-diff.ts";
import { envDir, sampleConfig, sampleWithoutProd, withEnvironment } from "./helpers.ts";

function synthCli(env: Record<string, string>, args: string[] = []) {
  const r = spawnSync(process.execPath, ["scripts/synth.mjs", ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file below `dir` as text, by its relative path. */
const readTree = (dir: string): Record<string, string> =>
  Object.fromEntries([...filesOf(dir)].map(([path, bytes]) => [path, bytes.toString("utf8")]));

const tempOut = () => join(mkdtempSync(join(tmpdir(), "out-")), "cdktf.out");

/** What the command printed and wrote for the sample environments. */
interface SampleRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outdir: string;
}
let sampleRun: SampleRun | undefined;
/**
 * One run of the command over the sample, shared by every test that only reads its output or starts from a copy of
 * it: each full synthesis costs a second or more of CPU. Its PATH holds node alone, no terraform.
 */
function sample(): SampleRun {
  if (!sampleRun) {
    const outdir = tempOut();
    sampleRun = { ...synthCli({ CDKTF_OUTDIR: outdir, PATH: dirname(process.execPath) }), outdir };
  }
  return sampleRun;
}
/** A fresh output folder holding what the sample run wrote, as if the command had just run there. */
function copyOfSample(): string {
  const outdir = tempOut();
  cpSync(sample().outdir, outdir, { recursive: true });
  return outdir;
}

// The cdktf CLI starts before the app: on a busy machine its run takes longer than the default 30 s.
describe("the synth command", { timeout: 120_000 }, () => {
  it("writes every stack of the environments folder into CDKTF_OUTDIR", () => {
    const { stderr, code, outdir } = sample();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(expect.arrayContaining(["bootstrap", "shared"]));
    expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks).toHaveProperty("shared");
  });

  it("lets synth:same find every file two syntheses write differently", () => {
    const changed = copyOfSample();
    writeFileSync(join(changed, "stacks", "shared", "cdk.tf.json"), "{}");
    writeFileSync(join(changed, "stray.json"), "{}");
    expect(treeDifferences(changed, sample().outdir)).toEqual({
      files: 19,
      differ: [join("stacks", "shared", "cdk.tf.json"), "stray.json"],
    });
  });

  it("writes the same output as synthesizing main.ts's sources without the bundle", () => {
    // The command runs an esbuild bundle; this worker runs the TypeScript sources, as tsx would.
    const source = tempOut();
    const warnings: string[] = [];
    synthesizeInto(sampleConfig(), source, (line) => warnings.push(line));
    expect(warnings).toEqual([]);
    expect(readTree(source)).toEqual(readTree(sample().outdir));
  });

  it("prints one line per configuration problem, exits 1 and leaves the output folder untouched", () => {
    const outdir = copyOfSample();
    writeFileSync(join(outdir, "marker"), "kept");
    const before = readTree(outdir);
    const bad = envDir({
      "shared.yaml": readFileSync("environments/shared.yaml", "utf8").replace(
        "region: eu-west-1",
        "region: moon-1",
      ),
      "dev.yaml": "name: dev\naccount:\n  id: 42\n",
    });
    const r = synthCli({ CDKTF_OUTDIR: outdir, ENVIRONMENTS_DIR: bad });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/dev\.yaml:3:7 account\.id: .*12-digit/));
    expect(lines).toContainEqual(
      expect.stringMatching(/shared\.yaml:\d+:9 region: "moon-1" is not an AWS region/),
    );
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js|mjs|cjs):\d+/);
    expect(readTree(outdir)).toEqual(before);
  });

  it("creates no output folder when the first run fails", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "out-")), "cdktf.out");
    const r = synthCli({ CDKTF_OUTDIR: outdir, ENVIRONMENTS_DIR: envDir({ "dev.yaml": "name: dev\n" }) });
    expect(r.code).toBe(1);
    expect(existsSync(outdir)).toBe(false);
  });
});

// Each test runs the command several times; on a busy 2-core machine that takes longer than the default 30 s.
describe("the synth command's output and arguments", { timeout: 120_000 }, () => {
  it("ends with one line naming the stacks, resources, folder and time, after the warnings", () => {
    const r = sample();
    const { outdir } = r;
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: object };
    const resources = Object.keys(manifest.stacks)
      .map((s) => JSON.parse(readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8")) as StackDoc)
      .reduce(
        (n, doc) => n + Object.values(doc.resource ?? {}).reduce((m, t) => m + Object.keys(t).length, 0),
        0,
      );
    expect(r.stdout).toMatch(
      new RegExp(
        `^synthesized ${Object.keys(manifest.stacks).length} stacks \\(${resources} resources\\) into \\S*cdktf\\.out in \\d+\\.\\d s\\n$`,
      ),
    );
  });

  it("takes the environments folder as its argument, as ENVIRONMENTS_DIR", () => {
    const outdir = tempOut();
    const r = synthCli({ CDKTF_OUTDIR: outdir }, [sampleWithoutProd()]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(outdir, "stacks"))).not.toContain("prod-network");
    expect(readdirSync(join(outdir, "stacks"))).toContain("test-network");
  });

  it("prints its usage for --help and refuses an unknown flag or a second folder with one line", () => {
    const help = synthCli({}, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run synth -- \[environments-dir\] \[--env NAME\]/);
    for (const args of [["--frobnicate"], ["environments", "extra"], ["--env"]]) {
      const r = synthCli({ CDKTF_OUTDIR: tempOut() }, args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^npm run synth: (unknown option --frobnicate|unexpected argument extra|--env needs a value); usage: /,
      );
    }
  });

  it("needs no terraform binary: nothing in a synthesis runs terraform", () => {
    // GIVEN a PATH without terraform (cdktf's terraform_data would run `terraform version` to validate itself)
    // WHEN synthesizing the sample (the shared run has node alone on its PATH)
    const r = sample();
    const { outdir } = r;
    // THEN every stack is written
    expect(r.stderr).not.toMatch(/terraform version/);
    expect(r.code).toBe(0);
    expect(existsSync(join(outdir, "manifest.json"))).toBe(true);
  });

  it("with --env rewrites bootstrap, shared and the named environments as a full synthesis does, keeping the rest", () => {
    // GIVEN a full synthesis whose bootstrap, shared and dev stacks were since overwritten
    const outdir = copyOfSample();
    const full = sample().outdir;
    const prodBefore = readFileSync(join(outdir, "stacks", "prod-ecs", "cdk.tf.json"), "utf8");
    const devStacks = readdirSync(join(full, "stacks")).filter((s) => /^(bootstrap|shared|dev-.*)$/.test(s));
    expect(devStacks).toEqual(expect.arrayContaining(["bootstrap", "shared", "dev-ecs"]));
    for (const stack of devStacks) writeFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "{}");
    // WHEN only dev is synthesized
    const r = synthCli({ CDKTF_OUTDIR: outdir }, ["--env", "dev"]);
    // THEN those stacks hold what the full synthesis wrote for them, the others are untouched and in the manifest
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^synthesized ${devStacks.length} stacks \\(\\d+ resources\\) .* \\(environments: dev\\)\\n$`,
      ),
    );
    for (const stack of devStacks)
      expect(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")).toBe(
        readFileSync(join(full, "stacks", stack, "cdk.tf.json"), "utf8"),
      );
    expect(readFileSync(join(outdir, "stacks", "prod-ecs", "cdk.tf.json"), "utf8")).toBe(prodBefore);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: object };
    expect(Object.keys(manifest.stacks)).toEqual(
      expect.arrayContaining(["bootstrap", "shared", "dev-ecs", "prod-ecs"]),
    );
  });

  it("refuses an unknown --env with one line listing the environments", () => {
    const outdir = tempOut();
    const r = synthCli({ CDKTF_OUTDIR: outdir }, ["--env", "staging"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "--env staging: no such environment in environments; environments: dev, test, prod\n",
    );
    expect(existsSync(outdir)).toBe(false);
  });

  it("says in one line that an environment file is a folder", () => {
    const dir = envDir({ "dev.yaml": "name: dev\n" });
    mkdirSync(join(dir, "shared.yaml"));
    const r = synthCli({ CDKTF_OUTDIR: tempOut(), ENVIRONMENTS_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/shared\.yaml is a folder, not a file\n/);
    expect(r.stderr).not.toMatch(/EISDIR|\bat .*:\d+/);
  });
});

// Each test runs the command several times; on a busy 2-core machine that takes longer than the default 30 s.
describe("Terraform's working files in the output folder", { timeout: 120_000 }, () => {
  /** What `terraform init` leaves in a stack folder. */
  function initStack(outdir: string, stack: string): void {
    mkdirSync(join(outdir, "stacks", stack, ".terraform", "providers"), { recursive: true });
    writeFileSync(join(outdir, "stacks", stack, ".terraform", "providers", "marker"), "provider");
    writeFileSync(join(outdir, "stacks", stack, ".terraform.lock.hcl"), "# lock");
  }
  const kept = (outdir: string, stack: string) => [
    readFileSync(join(outdir, "stacks", stack, ".terraform", "providers", "marker"), "utf8"),
    readFileSync(join(outdir, "stacks", stack, ".terraform.lock.hcl"), "utf8"),
  ];

  it("survive another synthesis and a failed one, while the synthesized files are rewritten", () => {
    // GIVEN a synthesized and initialized bootstrap stack
    const outdir = copyOfSample();
    initStack(outdir, "bootstrap");
    writeFileSync(join(outdir, "stacks", "bootstrap", "cdk.tf.json"), "{}");
    // WHEN synthesizing again (the copy stands for the first run), then once with a configuration error
    expect(synthCli({ CDKTF_OUTDIR: outdir }).code).toBe(0);
    expect(
      synthCli({ CDKTF_OUTDIR: outdir, ENVIRONMENTS_DIR: envDir({ "dev.yaml": "name: dev\n" }) }).code,
    ).toBe(1);
    // THEN Terraform's files are still there and the stack file is synthesized again
    expect(kept(outdir, "bootstrap")).toEqual(["provider", "# lock"]);
    expect(readFileSync(join(outdir, "stacks", "bootstrap", "cdk.tf.json"), "utf8")).not.toBe("{}");
    expect(readdirSync(dirname(outdir))).toEqual(["cdktf.out"]);
    // AND each run wrote byte for byte what the first one did (npm test's synth:same compares the cdktf CLI's too)
    const terraformFiles = /(^|\/)\.terraform/;
    expect(treeDifferences(outdir, sample().outdir).differ.filter((f) => !terraformFiles.test(f))).toEqual(
      [],
    );
  });

  it("removes only the stacks that no longer exist", () => {
    const outdir = copyOfSample();
    initStack(outdir, "test-db");
    initStack(outdir, "prod-db");
    expect(synthCli({ CDKTF_OUTDIR: outdir }, [sampleWithoutProd()]).code).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).filter((s) => s.startsWith("prod-"))).toEqual([]);
    expect(kept(outdir, "test-db")).toEqual(["provider", "# lock"]);
  });

  it("leaves no staging folder behind when the run is interrupted", async () => {
    // GIVEN a synthesis under way (its staging folder exists)
    const outdir = tempOut();
    const child = spawn(process.execPath, ["scripts/synth.mjs"], {
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on("exit", (_, signal) => done(signal)),
    );
    const staging = () => readdirSync(dirname(outdir)).filter((f) => f.includes(".staging-"));
    while (staging().length === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    // WHEN it is interrupted
    child.kill("SIGINT");
    const killedBy = await exited;
    // THEN it was not killed in the middle (it handles the signal) and its staging folder is gone
    expect(killedBy).toBeNull();
    expect(staging()).toEqual([]);
  });
});

describe("synthesis warnings", () => {
  it("prints each warning once, named by its stack, and still writes the output", () => {
    // GIVEN the sample with dev serving without a domain
    const config = withEnvironment("dev", (e) => ({ service: { ...e.service!, domain: undefined } }));
    const outdir = join(mkdtempSync(join(tmpdir(), "out-")), "cdktf.out");
    const lines: string[] = [];
    // WHEN synthesizing (dev's stacks only, as --env dev does: the warning is dev-ecs's)
    synthesizeInto(config, outdir, (line) => lines.push(line), { environments: ["dev"] });
    // THEN exactly one line warns about dev-ecs, and the stacks are written
    expect(lines).toEqual([`dev-ecs: ${NO_DOMAIN_WARNING}`]);
    expect(readdirSync(join(outdir, "stacks"))).toContain("dev-ecs");
  });
});
