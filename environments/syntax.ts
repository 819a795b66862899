// YAML syntax errors as a person needs them: the mistake itself, not the errors the parser reports after it.
import { isMap, isScalar, isSeq, Parser, type Document, type YAMLError } from "yaml";

/** One syntax problem, positioned by its offset in the file's text. */
export interface SyntaxProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly offset: number;
}

/**
 * The problems to show for a file the parser refused. After the first structural error (a tab, a bad indent, an
 * unclosed bracket) the parser loses its place and reports every later line too, so only that first one is shown;
 * duplicate keys are independent of each other and all shown, each naming its key and its first occurrence.
 */
export function syntaxProblems(
  text: string,
  doc: Document.Parsed,
  errors: readonly YAMLError[],
): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  const sorted = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const structural = sorted.find((e) => e.code !== "DUPLICATE_KEY");
  const lineOf = lineIndex(text);
  if (sorted.some((e) => e.code === "DUPLICATE_KEY"))
    for (const d of duplicateKeys(doc.contents, []))
      if (structural === undefined || d.offset < structural.pos[0])
        out.push({
          path: d.path,
          offset: d.offset,
          message: `is given twice in this mapping; the first is on line ${lineOf(d.first)}`,
        });
  if (structural) {
    // An unclosed [ or { is only noticed where the next line breaks the flow: point at the bracket instead.
    const open = unclosedFlow(text).find((o) => o.offset <= structural.pos[0]);
    out.push(
      open
        ? {
            path: [],
            offset: open.offset,
            message: `this "${open.char}" is never closed: end the ${open.char === "[" ? 'list with "]"' : 'mapping with "}"'} on the same line, or write one item per line`,
          }
        : { path: [], offset: structural.pos[0], message: structural.message.split("\n")[0]! },
    );
  }
  return out;
}

interface Duplicate {
  readonly path: (string | number)[];
  readonly offset: number;
  readonly first: number;
}

function duplicateKeys(node: unknown, path: (string | number)[]): Duplicate[] {
  const out: Duplicate[] = [];
  if (isMap(node)) {
    const seen = new Map<unknown, number>();
    for (const item of node.items) {
      const key = isScalar(item.key) ? item.key.value : String(item.key);
      const offset = (item.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
      const here = [...path, typeof key === "number" ? key : String(key)];
      const first = seen.get(key);
      if (first === undefined) seen.set(key, offset);
      else out.push({ path: here, offset, first });
      out.push(...duplicateKeys(item.value, here));
    }
  } else if (isSeq(node)) node.items.forEach((item, i) => out.push(...duplicateKeys(item, [...path, i])));
  return out;
}

/** Flow collections (`[` or `{`) that the concrete syntax tree never sees closed, in file order. */
function unclosedFlow(text: string): { offset: number; char: string }[] {
  const out: { offset: number; char: string }[] = [];
  const walk = (token: unknown): void => {
    if (token === null || typeof token !== "object") return;
    if (Array.isArray(token)) return token.forEach(walk);
    const t = token as {
      type?: string;
      start?: { offset: number; source: string };
      end?: { type: string }[];
    };
    if (t.type === "flow-collection" && t.start) {
      const closed = (t.end ?? []).some((e) => e.type === "flow-seq-end" || e.type === "flow-map-end");
      if (!closed) out.push({ offset: t.start.offset, char: t.start.source });
    }
    for (const v of Object.values(t)) if (typeof v === "object") walk(v);
  };
  for (const token of new Parser().parse(text)) walk(token);
  return out.sort((a, b) => a.offset - b.offset);
}

/** 1-based line of an offset. */
function lineIndex(text: string): (offset: number) => number {
  return (offset) => text.slice(0, offset).split("\n").length;
}
