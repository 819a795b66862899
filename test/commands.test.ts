// The other commands as a person runs them: test:terraform, validate, schema and npm's install-script review.
// Apart from the synth command's tests (cli.test.ts) so that the two halves run on both workers.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEV_YAML, envDir, sampleWithoutProd, SHARED_YAML } from "./helpers.ts";

// Each test runs the command several times; on a busy 2-core machine that takes longer than the default 30 s.
describe("the Terraform step of npm test", { timeout: 120_000 }, () => {
  /** Runs `npm run test:terraform -- validate [args]` as npm does, with `tf-offline` and PATH replaced. */
  function terraformStep(env: Record<string, string>, args: string[] = []) {
    const script = ["--import", "tsx", "scripts/terraform-check.ts", "validate", ...args];
    const r = spawnSync(process.execPath, script, {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  /** A folder with an executable `name` that prints `output`. */
  function fakeTool(name: string, output: string): string {
    const dir = mkdtempSync(join(tmpdir(), "bin-"));
    writeFileSync(join(dir, name), `#!/bin/sh\nprintf '%s' '${output}'\n`, { mode: 0o755 });
    return join(dir, name);
  }

  it("says in one line that it skipped when terraform is not on the PATH", () => {
    const tfOffline = fakeTool("tf-offline", "");
    const r = terraformStep({ TF_OFFLINE: tfOffline, PATH: dirname(tfOffline) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "test:terraform: skipped: terraform is not on the PATH (install Terraform 1.10+ to run this step)\n",
    );
  });

  it("says in one line that it skipped when tf-offline cannot be found", () => {
    const r = terraformStep({ TF_OFFLINE: join(tmpdir(), "no-such-tf-offline") });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^test:terraform: skipped: tf-offline not found \(set TF_OFFLINE.*\)\n$/);
  });

  it("fails on a warning even when Terraform itself passes every stack", () => {
    // GIVEN a tf-offline that reports every stack ok, one with a deprecation warning
    const tfOffline = fakeTool(
      "tf-offline",
      'shared: ok validate, 1 warning(s) (1.0s)\n  warning: Deprecated Parameter — "dynamodb_table" [terraform.backend.s3]\ntf-offline: 11/11 stacks ok\n',
    );
    const terraform = fakeTool("terraform", "");
    // WHEN the step runs over one small environments folder (every synthesis gets the same fake result)
    const small = envDir({ "shared.yaml": SHARED_YAML, "dev.yaml": DEV_YAML });
    const r = terraformStep({ TF_OFFLINE: tfOffline, PATH: `${dirname(terraform)}:${process.env.PATH}` }, [
      "--env-dir",
      small,
    ]);
    // THEN it fails and says why
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("warning: Deprecated Parameter");
    expect(r.stderr).toMatch(/test:terraform: failed: Terraform reported diagnostics/);
  });
});

describe("the other commands' arguments", () => {
  const tsx = (script: string, args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it("validate checks the folder it is given, and refuses a second one in one line", () => {
    const ok = tsx("scripts/validate.ts", [sampleWithoutProd()], { ENVIRONMENTS_DIR: "nowhere" });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/: ok: project \S+; environments dev \(.*\), test \(.*\)\n$/);
    const bad = tsx("scripts/validate.ts", ["environments", "examples/demo"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^npm run validate: unexpected argument examples\/demo; usage: /);
    expect(tsx("scripts/validate.ts", ["--help"]).stdout).toMatch(
      /^usage: npm run validate -- \[environments-dir\]/,
    );
  });

  it("schema says the committed JSON Schemas are unchanged", () => {
    const r = tsx("scripts/json-schema.ts", []);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "environments/shared.schema.json, environments/environment.schema.json: unchanged\n",
    );
  });
});

// `npm install-scripts` exists from npm 11 on; older npm runs every install script without asking.
const npmMajor = Number(spawnSync("npm", ["--version"], { encoding: "utf8" }).stdout.split(".")[0]);
describe.skipIf(npmMajor < 11)("installing", () => {
  it("leaves no install script without a recorded decision, so npm ci warns about none", () => {
    const r = spawnSync("npm", ["install-scripts", "ls"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/No packages with unreviewed install scripts/);
  });
});
