// CKV_AWS_62 / CKV_AWS_1: no IAM statement allows every action on every resource.
import { blocks, strings, type Json, type JsonObject } from "../view.ts";
import type { BlockView } from "../view.ts";
import type { Finding, Rule } from "./rule.ts";

/** Identity-policy types whose `policy` argument is a JSON document. */
const POLICY_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/** Parses a policy argument: a JSON string (JSON.stringify) or an object; `${...}` expressions are left to Checkov. */
function documentOf(value: Json | undefined): JsonObject | undefined {
  if (value && typeof value === "object" && !Array.isArray(value)) return value;
  if (typeof value !== "string" || !value.trim().startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(value) as Json;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** True for an Allow statement whose actions include `*` and whose resources include `*`. */
function isAdmin(statement: JsonObject): boolean {
  const effect = statement.Effect ?? statement.effect ?? "Allow";
  const actions = strings(statement.Action ?? statement.actions);
  const resources = strings(statement.Resource ?? statement.resources);
  return effect === "Allow" && actions.includes("*") && resources.includes("*");
}

function statementsOf(doc: JsonObject | undefined): JsonObject[] {
  return doc ? blocks(doc.Statement) : [];
}

function finding(block: BlockView, checkId: string, where: string): Finding {
  return {
    block,
    checkId,
    message: `${where} allows "*" actions on "*" resources: grant the actions and resources the caller needs`,
  };
}

/** An IAM statement that allows `*` on `*`, in identity policies, role inline policies and policy documents. */
export const iamAdmin: Rule = (facts) => {
  const findings: Finding[] = [];
  for (const block of facts.blocks) {
    if (block.kind === "resource" && POLICY_TYPES.includes(block.type)) {
      if (statementsOf(documentOf(block.attrs.policy)).some(isAdmin))
        findings.push(finding(block, "CKV_AWS_62", "the policy"));
    } else if (block.kind === "resource" && block.type === "aws_iam_role") {
      for (const inline of blocks(block.attrs.inline_policy))
        if (statementsOf(documentOf(inline.policy)).some(isAdmin))
          findings.push(
            finding(
              block,
              "CKV_AWS_62",
              typeof inline.name === "string" ? `inline policy ${inline.name}` : "an inline policy",
            ),
          );
    } else if (block.kind === "data" && block.type === "aws_iam_policy_document") {
      if (blocks(block.attrs.statement).some(isAdmin))
        findings.push(finding(block, "CKV_AWS_1", "a statement"));
    }
  }
  return findings;
};
