// npm run tf: command line, order from the manifest, plan-then-apply of the same file, confirmations and the
// data-loss stop, driven end to end with a stand-in terraform (test/fixtures/tf/terraform) that records its calls.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dataLosses, pinnedAddresses, summarize, type PlanJson } from "../scripts/lib/plan-review.ts";
import { deployOrder, readStacks } from "../scripts/lib/stacks.ts";
import { parseTfArgs, selectStacks, UsageError } from "../scripts/lib/tf-args.ts";
import { firstError } from "../scripts/lib/terraform.ts";
import { runTf, type TfDeps } from "../scripts/lib/tf-run.ts";

const FIXTURES = resolve("test/fixtures/tf");
const DESTROY_PLAN = join(FIXTURES, "dev-db.destroy-plan.json");
const UPDATE_PLAN = join(FIXTURES, "dev-db.update-plan.json");
const ENVS = ["dev", "prod"];
const BUCKET = "state-bucket";

/** Writes a small synthesis output: cross-stack dependencies in the manifest, the state bucket in bootstrap. */
function fakeOut(): string {
  const out = mkdtempSync(join(tmpdir(), "tf-test-"));
  const deps: Record<string, string[]> = { bootstrap: [], shared: [] };
  for (const env of ENVS) {
    deps[`${env}-network`] = [];
    deps[`${env}-db`] = [`${env}-network`, "shared"];
    deps[`${env}-ecs`] = ["shared", `${env}-network`, `${env}-db`];
  }
  const stacks: Record<string, unknown> = {};
  for (const [name, dependencies] of Object.entries(deps)) {
    mkdirSync(join(out, "stacks", name), { recursive: true });
    const json =
      name === "bootstrap"
        ? {
            terraform: { backend: { local: { path: "x" } } },
            resource: { aws_s3_bucket: { B: { bucket: BUCKET } } },
          }
        : {
            terraform: { backend: { s3: { bucket: BUCKET, key: `${name}.tfstate` } } },
            provider: { aws: [{ allowed_account_ids: ["222222222222"] }] },
          };
    writeFileSync(join(out, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
    stacks[name] = {
      dependencies,
      synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
      workingDirectory: `stacks/${name}`,
    };
  }
  writeFileSync(join(out, "manifest.json"), JSON.stringify({ stacks }));
  return out;
}

interface Run {
  readonly code: number;
  readonly lines: string[];
  readonly questions: string[];
  /** terraform calls as `stack: args`. */
  readonly calls: string[];
}

/** Runs the tf command against a fresh fake output with the stand-in terraform first on the PATH. */
async function tf(
  argv: string[],
  opts: {
    interactive?: boolean;
    answers?: string[];
    env?: NodeJS.ProcessEnv;
    showJson?: string;
    /** Every stack folder already has a `.terraform` from an earlier run. */
    keepWorkingDirs?: boolean;
  } = {},
): Promise<Run> {
  const outdir = fakeOut();
  if (opts.keepWorkingDirs)
    for (const s of readStacks(outdir).values()) mkdirSync(join(s.dir, ".terraform"), { recursive: true });
  const record = join(outdir, "calls.jsonl");
  writeFileSync(record, "");
  const lines: string[] = [];
  const questions: string[] = [];
  const answers = [...(opts.answers ?? [])];
  const deps: TfDeps = {
    outdir,
    env: {
      ...process.env,
      PATH: `${FIXTURES}:${process.env.PATH}`,
      TF_RECORD: record,
      TF_SHOW_JSON: opts.showJson ?? UPDATE_PLAN,
      TF_HAS_STATE: "bootstrap,shared,dev-network,dev-db,dev-ecs,prod-network,prod-db,prod-ecs",
      ...opts.env,
    },
    interactive: opts.interactive ?? false,
    color: false,
    print: (l) => lines.push(...l.split("\n")),
    ask: (q) => {
      questions.push(q);
      return Promise.resolve(answers.shift());
    },
    environments: () => [
      { name: "dev", protected: false },
      { name: "prod", protected: true },
    ],
    synth: () => Promise.reject(new Error("the tests pass --no-synth")),
    pinned: pinnedAddresses(),
  };
  const code = await runTf(["--no-synth", ...argv], deps);
  const calls = readFileSync(record, "utf8")
    .split("\n")
    .filter((l) => l && !/^[^:]+: version/.test(l));
  return { code, lines, questions, calls };
}

const applied = (r: Run) =>
  r.calls.filter((c) => / apply /.test(` ${c.split(": ")[1]} `)).map((c) => c.split(":")[0]);

describe("the tf command line", () => {
  it("parses action, target, components, flags and the terraform flags after --", () => {
    const a = parseTfArgs([
      "apply",
      "dev",
      "db",
      "ecs",
      "--with-deps",
      "--confirm=dev",
      "--",
      "-refresh=false",
    ]);
    expect(a).toMatchObject({
      action: "apply",
      target: "dev",
      components: ["db", "ecs"],
      withDeps: true,
      confirm: ["dev"],
      terraformArgs: ["-refresh=false"],
    });
  });

  it("names the valid flags in one line for a mistyped flag", () => {
    expect(() => parseTfArgs(["plan", "dev", "--with-dep"])).toThrow(
      /^unknown or incomplete flag --with-dep: valid flags are --with-deps, --parallel, --auto-approve/,
    );
  });

  it("names the valid actions for an unknown action", () => {
    expect(() => parseTfArgs(["deploy", "dev"])).toThrow(
      /unknown action "deploy": valid actions are plan, apply, destroy, output, synth, list/,
    );
  });

  it("names the valid environments and components for unknown ones", () => {
    const stacks = readStacks(fakeOut());
    const select = (target: string, components: string[]) => () =>
      selectStacks({ action: "plan", target, components, withDeps: false }, stacks, ENVS);
    expect(select("stage", [])).toThrow(
      new UsageError('unknown environment "stage": valid are dev, prod, shared, all'),
    );
    expect(select("dev", ["database"])).toThrow(
      new UsageError('unknown component "database" for dev: valid are db, ecs, network, bootstrap, shared'),
    );
  });

  it("exits 1 with one line for an unknown environment, before running anything", async () => {
    const r = await tf(["plan", "stage"]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(['unknown environment "stage": valid are dev, prod, shared, all']);
    expect(r.calls).toEqual([]);
  });
});

describe("the order of stacks", () => {
  const stacks = readStacks(fakeOut());

  it("takes the state bucket's stack as a dependency of every stack stored in it", () => {
    expect(stacks.get("shared")!.dependencies).toEqual(["bootstrap"]);
    expect(stacks.get("dev-db")!.dependencies).toEqual(["bootstrap", "dev-network", "shared"]);
  });

  it("deploys an environment with its dependencies after them, shared stacks first", () => {
    const selected = selectStacks(
      { action: "apply", target: "dev", components: [], withDeps: true },
      stacks,
      ENVS,
    );
    expect(deployOrder(stacks, selected, ENVS)).toEqual([
      "bootstrap",
      "shared",
      "dev-network",
      "dev-db",
      "dev-ecs",
    ]);
  });

  it("adds only the selection without --with-deps", () => {
    const selected = selectStacks(
      { action: "apply", target: "dev", components: ["db"], withDeps: false },
      stacks,
      ENVS,
    );
    expect([...selected]).toEqual(["dev-db"]);
  });

  it("destroys in reverse order, and --with-deps adds the stacks that depend on the selection", async () => {
    const selected = selectStacks(
      { action: "destroy", target: "dev", components: ["network"], withDeps: true },
      stacks,
      ENVS,
    );
    expect([...selected].sort()).toEqual(["dev-db", "dev-ecs", "dev-network"]);
    const r = await tf(["destroy", "dev", "network", "--with-deps", "--auto-approve"]);
    expect(r.calls.filter((c) => c.includes(": plan ")).map((c) => c.split(":")[0])).toEqual([
      "dev-ecs",
      "dev-db",
      "dev-network",
    ]);
    expect(r.calls.find((c) => c.includes(": plan "))).toContain("-destroy");
  });
});

describe("plan and apply", () => {
  it("applies exactly the plan file it wrote and showed, stack by stack in order", async () => {
    const r = await tf(["apply", "dev", "--auto-approve"]);
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("dev-db"))).toEqual([
      "dev-db: init -input=false -no-color",
      "dev-db: plan -input=false -out=tfplan -detailed-exitcode -no-color",
      "dev-db: show -json tfplan",
      "dev-db: apply -input=false -no-color tfplan",
    ]);
    expect(applied(r)).toEqual(["dev-network", "dev-db", "dev-ecs"]);
    expect(r.lines).toContain("applied plan of dev-db");
    expect(r.lines.at(-1)).toMatch(/^applied 3 stack\(s\): 3 with changes \(\+105 ~3 -0\), 0 unchanged/);
  });

  it("plans without applying and says where the plan files are", async () => {
    const r = await tf(["plan", "dev", "db", "--", "-refresh=false"]);
    expect(r.calls).toContain(
      "dev-db: plan -input=false -out=tfplan -detailed-exitcode -no-color -refresh=false",
    );
    expect(applied(r)).toEqual([]);
    expect(r.lines.at(-1)).toMatch(/plan files: .*stacks\/<stack>\/tfplan$/);
  });

  it("shows progress with the stack and how many are left", async () => {
    const r = await tf(["plan", "dev"]);
    expect(r.lines).toContain("[2/3] dev-db: plan");
  });

  it("skips the apply of a stack whose plan has no changes", async () => {
    const r = await tf(["apply", "dev", "--auto-approve"], { env: { TF_NO_CHANGES: "dev-db" } });
    expect(applied(r)).toEqual(["dev-network", "dev-ecs"]);
    expect(r.calls).not.toContain("dev-db: show -json tfplan");
  });

  it("initializes a kept working directory again, once, when terraform says it is out of date", async () => {
    const r = await tf(["plan", "dev", "db"], { env: { TF_STALE_INIT: "dev-db" }, keepWorkingDirs: true });
    expect(r.calls.filter((c) => c.startsWith("dev-db: init") || c.startsWith("dev-db: plan"))).toEqual([
      "dev-db: plan -input=false -out=tfplan -detailed-exitcode -no-color",
      "dev-db: init -input=false -reconfigure -no-color",
      "dev-db: plan -input=false -out=tfplan -detailed-exitcode -no-color",
    ]);
    expect(r.code).toBe(0);
  });

  it("stops when a stack it depends on has no state, naming what to deploy first", async () => {
    const r = await tf(["apply", "dev", "--auto-approve"], { env: { TF_HAS_STATE: "bootstrap" } });
    expect(r.code).toBe(1);
    expect(r.lines.at(-1)).toBe(
      "shared has no state yet: deploy it first (npm run tf -- apply shared shared) or add --with-deps",
    );
    expect(applied(r)).toEqual([]);
  });

  it("stops at the first stack without credentials with one line, running nothing after it", async () => {
    const r = await tf(["plan", "dev", "--with-deps"], {
      env: { TF_FAIL: "plan:shared", TF_FAIL_MESSAGE: "No valid credential sources found" },
    });
    expect(r.code).toBe(1);
    expect(r.lines).toContain(
      "plan 5 stack(s) in this order: bootstrap → shared → dev-network → dev-db → dev-ecs",
    );
    expect(r.lines.find((l) => l.startsWith("shared:"))).toMatch(
      /^shared: terraform plan found no usable AWS credentials for account 222222222222/,
    );
    expect(r.calls.some((c) => c.startsWith("dev-network"))).toBe(false);
  });

  it("says how to install terraform when it is not on the PATH", async () => {
    const r = await tf(["plan", "dev"], { env: { PATH: "/nonexistent" } });
    expect(r.code).toBe(1);
    expect(r.lines.at(-1)).toMatch(/^terraform is not on the PATH: install Terraform 1\.10 or newer/);
  });

  it("refuses a terraform older than 1.10", async () => {
    const r = await tf(["plan", "dev"], { env: { TF_VERSION: "1.9.8" } });
    expect(r.lines.at(-1)).toMatch(/^terraform 1\.9\.8 is too old/);
  });

  it("runs independent stacks in parallel and still after their dependencies", async () => {
    const r = await tf([
      "apply",
      "all",
      "--parallel",
      "--auto-approve",
      "--confirm=prod",
      "--confirm=shared",
    ]);
    expect(r.code).toBe(0);
    const order = applied(r);
    expect(order).toHaveLength(8);
    expect(order.indexOf("shared")).toBeGreaterThan(order.indexOf("bootstrap"));
    expect(order.indexOf("prod-ecs")).toBeGreaterThan(order.indexOf("prod-db"));
  });
});

describe("terraform's errors", () => {
  it("become one line: summary, resource and the first paragraph of the detail, without box or quoted code", () => {
    const boxed = [
      "\x1b[31m╷\x1b[0m",
      "│ \x1b[1mError: \x1b[0mPlugin error",
      "│",
      "│   with aws_kms_key.Key,",
      "│   on cdk.tf.json line 111, in resource.aws_kms_key.Key:",
      "│  111:       }",
      "│",
      "│ The plugin returned an unexpected error from",
      "│ plugin.ApplyResourceChange.",
      "│",
      "│ More detail that stays in the log.",
      "╵",
    ].join("\n");
    expect(firstError(boxed)).toBe(
      "Plugin error (aws_kms_key.Key): The plugin returned an unexpected error from plugin.ApplyResourceChange.",
    );
  });
});

describe("confirmation", () => {
  it("asks yes/no at a terminal and applies nothing on no", async () => {
    const r = await tf(["apply", "dev", "network"], { interactive: true, answers: ["no"] });
    expect(r.questions).toEqual(["apply dev-network with the plan above? (yes/no)"]);
    expect(r.code).toBe(1);
    expect(applied(r)).toEqual([]);
  });

  it("asks for a protected environment's name even with --auto-approve", async () => {
    const r = await tf(["apply", "prod", "network", "--auto-approve"], {
      interactive: true,
      answers: ["yes"],
    });
    expect(r.questions).toEqual(['prod is protected. Type "prod" to apply prod-network:']);
    expect(applied(r)).toEqual([]);
    const typed = await tf(["apply", "prod", "network"], { interactive: true, answers: ["prod"] });
    expect(applied(typed)).toEqual(["prod-network"]);
  });

  it("without a terminal, never waits and names the flag that makes the run non-interactive", async () => {
    const dev = await tf(["apply", "dev"]);
    expect(dev.lines.at(-1)).toBe(
      "no terminal to ask for confirmation: pass --auto-approve to apply without prompts (a plan that deletes or replaces data still stops)",
    );
    const prod = await tf(["destroy", "prod", "--auto-approve"]);
    expect(prod.lines.at(-1)).toMatch(/^no terminal to ask for confirmation: pass --confirm=prod to destroy/);
    expect([...dev.calls, ...prod.calls]).toEqual([]);
  });

  it("applies a protected environment without a terminal when its name is passed with --confirm", async () => {
    const r = await tf(["apply", "prod", "network", "--confirm=prod"]);
    expect(applied(r)).toEqual(["prod-network"]);
  });
});

describe("the data-loss stop", () => {
  const destroyPlan = JSON.parse(readFileSync(DESTROY_PLAN, "utf8")) as PlanJson;
  const updatePlan = JSON.parse(readFileSync(UPDATE_PLAN, "utf8")) as PlanJson;

  it("finds the delete of a pinned address in real terraform show -json output", () => {
    expect(dataLosses(destroyPlan, pinnedAddresses()["dev-db"]!)).toEqual([
      { address: "aws_kms_key.Key_961B73FD", action: "delete", reason: "pinned" },
    ]);
  });

  it("counts a delete of any stateful type even when it is not pinned", () => {
    expect(dataLosses(destroyPlan, [])).toEqual([
      { address: "aws_kms_key.Key_961B73FD", action: "delete", reason: "stateful type" },
    ]);
  });

  it("reads a replacement as data loss and an in-place update as none", () => {
    expect(dataLosses(updatePlan, pinnedAddresses()["dev-db"]!)).toEqual([]);
    const replace: PlanJson = {
      resource_changes: [
        { address: "aws_db_instance.x", type: "aws_db_instance", change: { actions: ["delete", "create"] } },
      ],
    };
    expect(dataLosses(replace, [])).toEqual([
      { address: "aws_db_instance.x", action: "replace", reason: "stateful type" },
    ]);
    expect(summarize(replace)).toEqual({ add: 1, change: 0, destroy: 1 });
  });

  it("lists the loss and stops without a terminal, whatever the flags", async () => {
    const r = await tf(["apply", "dev", "db", "--auto-approve", "--confirm=dev"], { showJson: DESTROY_PLAN });
    expect(r.code).toBe(1);
    expect(r.lines).toContain("  delete  aws_kms_key.Key_961B73FD  (pinned in test/stateful-addresses.json)");
    expect(r.lines).toContain(
      'dev-db: the plan deletes or replaces data; no flag skips this: run it at a terminal and type "dev" to confirm',
    );
    expect(applied(r)).toEqual([]);
  });

  it("needs the environment's name typed at a terminal, even with --auto-approve", async () => {
    const refused = await tf(["apply", "dev", "db", "--auto-approve"], {
      interactive: true,
      answers: ["yes"],
      showJson: DESTROY_PLAN,
    });
    expect(refused.questions).toEqual(['Type "dev" to apply dev-db and lose the data listed above:']);
    expect(applied(refused)).toEqual([]);
    const typed = await tf(["apply", "dev", "db", "--auto-approve"], {
      interactive: true,
      answers: ["dev"],
      showJson: DESTROY_PLAN,
    });
    expect(applied(typed)).toEqual(["dev-db"]);
  });
});

describe("the tf script without a terminal", () => {
  it("exits 1 at once with the flag to pass, reading nothing from stdin", () => {
    const outdir = fakeOut();
    const tfScript = ["--import", "tsx", "scripts/tf.ts", "apply", "dev", "--no-synth"];
    const r = spawnSync(process.execPath, tfScript, {
      encoding: "utf8",
      env: {
        ...process.env,
        CDKTF_OUTDIR: outdir,
        PATH: `${FIXTURES}:${process.env.PATH}`,
        TF_RECORD: join(outdir, "calls"),
      },
      input: "yes\n",
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/no terminal to ask for confirmation: pass --auto-approve to apply/);
  });
});
