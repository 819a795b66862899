// A resource that is created before it is destroyed cannot keep a fixed unique name: on replacement AWS refuses the
// new one because the old one still holds the name ("already exists"), and the apply fails half-way.
import { blocks, isExpression, isTrue, type Json } from "../view.ts";
import type { Finding, Rule } from "./rule.ts";

/** Arguments that hold a name AWS keeps unique (within an account, region or VPC). */
const UNIQUE_NAME_ATTRIBUTES = [
  "name",
  "identifier",
  "cluster_identifier",
  "replication_group_id",
  "bucket",
  "function_name",
] as const;

/**
 * Types without `name_prefix` whose name may stay literal when it embeds the value of every argument that forces
 * replacement: a replacement then comes with a name of its own.
 */
export const REPLACEMENT_KEYS: Readonly<Record<string, readonly string[]>> = {
  aws_elasticache_parameter_group: ["family"],
};

/** A create_before_destroy resource with a fixed unique name: `name_prefix` (or a replacement-aware name) instead. */
export const replacementNames: Rule = (facts) => {
  const findings: Finding[] = [];
  for (const block of facts.blocks) {
    if (block.kind !== "resource") continue;
    if (!isTrue(blocks(block.attrs.lifecycle)[0]?.create_before_destroy)) continue;
    for (const attribute of UNIQUE_NAME_ATTRIBUTES) {
      const value: Json | undefined = block.attrs[attribute];
      // An expression may change with the replacement (a random suffix, a hash): only a literal is surely fixed.
      if (typeof value !== "string" || isExpression(value)) continue;
      const keys = REPLACEMENT_KEYS[block.type];
      const embedsKeys =
        keys !== undefined &&
        keys.every((k) => {
          const v = block.attrs[k];
          return typeof v === "string" && !isExpression(v) && value.includes(v);
        });
      if (!embedsKeys)
        findings.push({
          block,
          checkId: "GUARD_REPLACEMENT_NAME",
          message: `create_before_destroy with the fixed ${attribute} "${value}": the replacement cannot be created while the old one holds the name; use ${attribute === "name" ? "name_prefix" : "a prefix"} or a name that changes with what forces replacement`,
        });
    }
  }
  return findings;
};
