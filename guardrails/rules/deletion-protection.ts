// CKV_AWS_293/139, CKV2_AWS_58 and prevent_destroy: in a protected environment no stateful resource can be
// deleted by a plan, and databases keep a final snapshot.
import { STATEFUL_TYPES } from "../stateful.ts";
import { blocks, isExpression, isTrue } from "../view.ts";
import type { Finding, Rule } from "./rule.ts";

/** A stateful resource without prevent_destroy, deletion protection or a final snapshot in a protected environment. */
export const deletionProtection: Rule = (facts) => {
  if (!facts.protected) return [];
  const findings: Finding[] = [];
  for (const block of facts.blocks) {
    const kind = block.kind === "resource" ? STATEFUL_TYPES[block.type] : undefined;
    if (!kind) continue;
    const preventDestroy = blocks(block.attrs.lifecycle)[0]?.prevent_destroy;
    if (!isTrue(preventDestroy) && !isExpression(preventDestroy))
      findings.push({
        block,
        checkId: "GUARD_PREVENT_DESTROY",
        message: "a stateful resource in a protected environment needs lifecycle prevent_destroy",
      });
    const dp = kind.deletionProtection;
    if (dp && !isTrue(block.attrs[dp.attribute]) && !isExpression(block.attrs[dp.attribute]))
      findings.push({
        block,
        checkId: dp.checkId,
        message: `${dp.attribute} must be true in a protected environment`,
      });
    if (kind.skipFinalSnapshot && isTrue(block.attrs[kind.skipFinalSnapshot]))
      findings.push({
        block,
        checkId: "GUARD_FINAL_SNAPSHOT",
        message: `${kind.skipFinalSnapshot} must be false in a protected environment: keep a final snapshot`,
      });
  }
  return findings;
};
