// Reads `terraform show -json <plan>` on stdin and refuses a plan that deletes or replaces data, so that an
// unattended apply on main never loses a database, table, bucket, vault or key. A deliberate deletion is allowed
// for one run by setting ALLOW_DATA_LOSS to the stack's name.
import { readFileSync } from "node:fs";
import { isStateful } from "../guardrails/stateful.ts";

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[] };
}

/** The addresses of stateful resources the plan deletes (a replacement deletes too). */
export function dataLoss(plan: { readonly resource_changes?: readonly ResourceChange[] }): string[] {
  return (plan.resource_changes ?? [])
    .filter((c) => isStateful(c.type) && c.change.actions.includes("delete"))
    .map((c) => `${c.address} (${c.change.actions.join(", ")})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stack = process.argv[2] ?? "";
  const losses = dataLoss(JSON.parse(readFileSync(0, "utf8")));
  if (losses.length > 0 && process.env.ALLOW_DATA_LOSS !== stack) {
    for (const l of losses) process.stderr.write(`${stack}: would delete ${l}\n`);
    process.stderr.write(
      `${stack}: refusing an unattended apply that deletes data; apply it by hand, or rerun with ALLOW_DATA_LOSS=${stack}\n`,
    );
    process.exit(1);
  }
}
