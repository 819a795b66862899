// Pins the Terraform address of every stateful resource of the sample app. Renaming a construct id changes the
// address, and Terraform then destroys the old resource and creates a new one: for a database that is data loss.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { statefulAddresses } from "../guardrails/stateful.ts";
import { sampleApp, sampleStack } from "./helpers.ts";

const LIST = "test/stateful-addresses.json";

const HOW_TO_FIX = `
A stateful resource's Terraform address changed (or one was added or removed). If a construct id was renamed or
moved, Terraform will DESTROY the old resource and CREATE a new one, losing its data. Keep the old address with
\`resource.moveTo(...)\` / a \`moved\` block in the stack, or move the state once per stack:
  cd cdktf.out/stacks/<stack> && terraform state mv '<old address>' '<new address>'
When the change is intended (a new database, a deliberate removal, a move handled as above), update the list:
  UPDATE_STATEFUL=1 npx vitest run test/stateful-addresses
and commit ${LIST} with the change, so a reviewer sees it. See README.md, "Guardrails".`;

/** Stateful addresses of every stack of the sample app, by stack id. */
function current(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const stack of sampleApp().stacks) {
    const addresses = statefulAddresses(sampleStack(stack.node.id).json);
    if (addresses.length > 0) out[stack.node.id] = addresses;
  }
  return out;
}

describe("stateful resource addresses", () => {
  it("match the committed list, so no construct rename replaces a stateful resource unnoticed", () => {
    const actual = current();
    if (process.env.UPDATE_STATEFUL === "1") writeFileSync(LIST, `${JSON.stringify(actual, null, 2)}\n`);
    const expected = existsSync(LIST)
      ? (JSON.parse(readFileSync(LIST, "utf8")) as Record<string, string[]>)
      : {};
    // The explanation goes into the failure itself: whoever renamed the construct must read it.
    if (JSON.stringify(actual) !== JSON.stringify(expected))
      throw new Error(
        `${HOW_TO_FIX}\n\nexpected ${JSON.stringify(expected, null, 2)}\nactual ${JSON.stringify(actual, null, 2)}`,
      );
    expect(actual).toEqual(expected);
  });
});
