// "Did you mean" for unknown keys: finds the known keys of the schema at a path and the closest one.
import type { z } from "zod";

type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  getter?: () => AnySchema;
}

const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: AnySchema): AnySchema {
  for (;;) {
    const d = defOf(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === "pipe" && d.in) s = d.in;
    else if (d.type === "lazy" && d.getter) s = d.getter();
    else return s;
  }
}

/** The object schemas that may stand at `path` (several where a union allows several shapes). */
function objectsAt(schema: AnySchema, path: readonly PropertyKey[]): AnySchema[] {
  let current = [unwrap(schema)];
  for (const key of path) {
    const next: AnySchema[] = [];
    for (const s of current.flatMap(expandUnion)) {
      const d = defOf(s);
      if (d.type === "object" && d.shape && typeof key === "string" && d.shape[key])
        next.push(unwrap(d.shape[key]));
      else if (d.type === "array" && d.element && typeof key === "number") next.push(unwrap(d.element));
      else if (d.type === "record" && d.valueType) next.push(unwrap(d.valueType));
    }
    current = next;
  }
  return current.flatMap(expandUnion).filter((s) => defOf(s).type === "object");
}

function expandUnion(s: AnySchema): AnySchema[] {
  const d = defOf(s);
  return d.type === "union" && d.options ? d.options.map(unwrap).flatMap(expandUnion) : [s];
}

/** Every key the schema accepts at `path`. */
export function knownKeys(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const o of objectsAt(schema, path)) for (const k of Object.keys(defOf(o).shape ?? {})) keys.add(k);
  return [...keys];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The known key closest to `key`, when it is close enough to be a typo. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}
