// Reads a saved plan (`terraform show -json <planfile>`): what it changes, and which of those changes lose data.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isStateful } from "../../guardrails/stateful.ts";

/** The parts of Terraform's JSON plan representation that the review reads. */
export interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly mode?: string;
    readonly type: string;
    readonly change: { readonly actions: readonly string[] };
  }[];
}

/** A planned change that destroys a resource holding data. */
export interface DataLoss {
  readonly address: string;
  readonly action: "delete" | "replace";
  /** Why the address counts as holding data. */
  readonly reason: "pinned" | "stateful type";
}

/** Counts in Terraform's own words: a replacement counts as one add and one destroy. */
export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

/** The committed stateful addresses per stack (the same file test/stateful-addresses.test.ts pins). */
export function pinnedAddresses(
  file = fileURLToPath(new URL("../../test/stateful-addresses.json", import.meta.url)),
): Record<string, readonly string[]> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, readonly string[]>;
}

/** The managed resource changes of a plan (data sources are read, never changed). */
function managed(plan: PlanJson) {
  return (plan.resource_changes ?? []).filter((c) => (c.mode ?? "managed") === "managed");
}

/** How many resources a plan adds, changes and destroys. */
export function summarize(plan: PlanJson): PlanSummary {
  let add = 0;
  let change = 0;
  let destroy = 0;
  for (const { change: c } of managed(plan)) {
    if (c.actions.includes("create")) add++;
    if (c.actions.includes("delete")) destroy++;
    if (c.actions.includes("update")) change++;
  }
  return { add, change, destroy };
}

/** True when the plan changes nothing. */
export function isEmpty(s: PlanSummary): boolean {
  return s.add + s.change + s.destroy === 0;
}

/**
 * Every planned delete or replacement of a resource that holds data: an address pinned in
 * test/stateful-addresses.json for this stack, or any resource of a stateful type (database, cache, table, bucket,
 * backup vault, KMS key, ...: guardrails/stateful.ts), so a resource added since the list was written counts too.
 */
export function dataLosses(plan: PlanJson, pinned: readonly string[]): DataLoss[] {
  const out: DataLoss[] = [];
  for (const c of managed(plan)) {
    if (!c.change.actions.includes("delete")) continue;
    // Terraform writes `module.x.type.name[0]`; the pinned list holds `type.name`.
    const bare = c.address.replace(/\[[^\]]*\]$/, "");
    const reason =
      pinned.includes(bare) || pinned.includes(c.address)
        ? "pinned"
        : isStateful(c.type)
          ? "stateful type"
          : undefined;
    if (!reason) continue;
    out.push({
      address: c.address,
      action: c.change.actions.includes("create") ? "replace" : "delete",
      reason,
    });
  }
  return out;
}
