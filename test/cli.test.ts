// The synth command as a person runs it: errors are one line each with exit 1, and a failed run touches nothing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NO_DOMAIN_WARNING } from "../stacks/ecs.ts";
import { synthesizeInto } from "../stacks/synthesize.ts";
import { envDir, withEnvironment } from "./helpers.ts";

function synthCli(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["scripts/synth.mjs"], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile())
      out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), "utf8");
  return out;
}

describe("the synth command", () => {
  it("writes every stack of the environments folder into CDKTF_OUTDIR", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "out-")), "cdktf.out");
    const r = synthCli({ CDKTF_OUTDIR: outdir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(expect.arrayContaining(["bootstrap", "shared"]));
    expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks).toHaveProperty("shared");
  });

  it("writes byte-identical output on every run", () => {
    const a = join(mkdtempSync(join(tmpdir(), "out-")), "a");
    const b = join(mkdtempSync(join(tmpdir(), "out-")), "b");
    synthCli({ CDKTF_OUTDIR: a });
    synthCli({ CDKTF_OUTDIR: b });
    expect(readTree(b)).toEqual(readTree(a));
  });

  it("writes the same output as running main.ts from source with tsx", () => {
    const fast = join(mkdtempSync(join(tmpdir(), "out-")), "fast");
    const source = join(mkdtempSync(join(tmpdir(), "out-")), "source");
    synthCli({ CDKTF_OUTDIR: fast });
    const r = spawnSync(process.execPath, ["--import", "tsx", "main.ts"], {
      env: { ...process.env, CDKTF_OUTDIR: source },
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(readTree(fast)).toEqual(readTree(source));
  });

  it("prints one line per configuration problem, exits 1 and leaves the output folder untouched", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "out-")), "cdktf.out");
    expect(synthCli({ CDKTF_OUTDIR: outdir }).code).toBe(0);
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

describe("synthesis warnings", () => {
  it("prints each warning once, named by its stack, and still writes the output", () => {
    // GIVEN the sample with dev serving without a domain
    const config = withEnvironment("dev", (e) => ({ service: { ...e.service!, domain: undefined } }));
    const outdir = join(mkdtempSync(join(tmpdir(), "out-")), "cdktf.out");
    const lines: string[] = [];
    // WHEN synthesizing
    synthesizeInto(config, outdir, (line) => lines.push(line));
    // THEN exactly one line warns about dev-ecs, and every stack is written
    expect(lines).toEqual([`dev-ecs: ${NO_DOMAIN_WARNING}`]);
    expect(readdirSync(join(outdir, "stacks"))).toContain("dev-ecs");
  });
});
