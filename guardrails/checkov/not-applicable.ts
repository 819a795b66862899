// The project-wide list of Checkov checks that do not apply (guardrails/not-applicable.yaml): id and reason each.
import { readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { knownCheck } from "../check-ids.ts";
import { MIN_REASON_LENGTH } from "../exceptions.ts";

/** One check that does not apply to the project, and why. */
export interface NotApplicable {
  readonly checkId: string;
  readonly reason: string;
}

/** The list, or the problems that make it unusable (`file:line:col message`, one per problem). */
export interface NotApplicableList {
  readonly entries: readonly NotApplicable[];
  readonly problems: readonly string[];
}

/** Parses and validates the not-applicable list; `file` names it in problems. */
export function parseNotApplicable(text: string, file: string): NotApplicableList {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const problems: string[] = [];
  const at = (node: Node | null | undefined, message: string): void => {
    const pos = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    problems.push(`${file}:${pos.line}:${pos.col} ${message}`);
  };
  for (const e of doc.errors)
    problems.push(`${file}:${e.linePos?.[0]?.line ?? 1}:${e.linePos?.[0]?.col ?? 1} ${e.message}`);
  if (problems.length > 0) return { entries: [], problems };
  const root = doc.contents;
  if (root === null) return { entries: [], problems };
  if (!isSeq(root)) {
    at(root, "expected a list of entries with `id` and `reason`");
    return { entries: [], problems };
  }
  const entries: NotApplicable[] = [];
  const seen = new Set<string>();
  root.items.forEach((item, i) => {
    if (!isMap(item)) return at(item, `[${i}]: expected an entry with \`id\` and \`reason\``);
    const idNode = item.get("id", true);
    const reasonNode = item.get("reason", true);
    for (const pair of item.items)
      if (isScalar(pair.key) && !["id", "reason"].includes(String(pair.key.value)))
        at(
          pair.key,
          `[${i}].${String(pair.key.value)}: unknown key; an entry has only \`id\` and \`reason\``,
        );
    const id = isScalar(idNode) ? String(idNode.value ?? "") : "";
    const reason = isScalar(reasonNode) ? String(reasonNode.value ?? "").trim() : "";
    if (!id) at(item, `[${i}]: \`id\` is missing`);
    else if (!knownCheck(id))
      at(idNode, `[${i}].id: ${id} is not a Checkov AWS check (guardrails/checkov-ids.json)`);
    else if (seen.has(id)) at(idNode, `[${i}].id: ${id} is listed twice`);
    if (reason.length < MIN_REASON_LENGTH)
      at(
        reasonNode ?? item,
        `[${i}].reason: give the reason in words, why ${id || "the check"} does not apply here`,
      );
    if (id && knownCheck(id) && !seen.has(id) && reason.length >= MIN_REASON_LENGTH)
      entries.push({ checkId: id, reason });
    seen.add(id);
  });
  return { entries, problems };
}

/** Reads the not-applicable list from a file. */
export function loadNotApplicable(file: string): NotApplicableList {
  return parseNotApplicable(readFileSync(file, "utf8"), file);
}
