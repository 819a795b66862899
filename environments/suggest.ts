// "Did you mean" for unknown keys: finds the keys the schema accepts at a path (of the variant the input chose) and
// the closest one.
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
  discriminator?: string;
  values?: unknown[];
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

/** Where a discriminated union was narrowed by the input: the key, its value, and the options left out. */
interface Narrowed {
  readonly discriminator: string;
  readonly value: string;
  readonly others: readonly AnySchema[];
}

/**
 * The options of a union that fit `input`: for a discriminated union whose discriminator the input gives, only the
 * option it names (so a postgres store is told about postgres keys only), else every option.
 */
function expand(s: AnySchema, input: unknown): { options: AnySchema[]; narrowed?: Narrowed } {
  const d = defOf(s);
  if (d.type !== "union" || !d.options) return { options: [s] };
  const options = d.options.map(unwrap);
  const value = (input as Record<string, unknown> | null | undefined)?.[d.discriminator ?? ""];
  if (d.discriminator && typeof value === "string") {
    const hit = options.filter((o) => literalOf(o, d.discriminator!).includes(value));
    if (hit.length > 0)
      return {
        options: hit,
        narrowed: {
          discriminator: d.discriminator,
          value,
          others: options.filter((o) => !hit.includes(o)),
        },
      };
  }
  return { options: options.flatMap((o) => expand(o, input).options) };
}

function literalOf(o: AnySchema, key: string): unknown[] {
  const field = defOf(o).shape?.[key];
  return field ? (defOf(unwrap(field)).values ?? []) : [];
}

/** The object schemas that may stand at `path` of `input`, and how a union on the way was narrowed. */
function objectsAt(
  schema: AnySchema,
  path: readonly PropertyKey[],
  input: unknown,
): { objects: AnySchema[]; narrowed?: Narrowed } {
  let current = [unwrap(schema)];
  let value = input;
  let narrowed: Narrowed | undefined;
  const step = (schemas: AnySchema[]) => {
    const out: AnySchema[] = [];
    narrowed = undefined;
    for (const s of schemas) {
      const e = expand(s, value);
      out.push(...e.options);
      narrowed ??= e.narrowed;
    }
    return out;
  };
  for (const key of path) {
    const next: AnySchema[] = [];
    for (const s of step(current)) {
      const d = defOf(s);
      if (d.type === "object" && d.shape && typeof key === "string" && d.shape[key])
        next.push(unwrap(d.shape[key]));
      else if (d.type === "array" && d.element && typeof key === "number") next.push(unwrap(d.element));
      else if (d.type === "record" && d.valueType) next.push(unwrap(d.valueType));
    }
    current = next;
    value = (value as Record<PropertyKey, unknown> | null | undefined)?.[key];
  }
  const objects = step(current).filter((s) => defOf(s).type === "object");
  return narrowed ? { objects, narrowed } : { objects };
}

/**
 * What to say about `key`, unknown at `path` of `input`: the nested key it belongs to, else which other variants take
 * it (`replicas` on a postgres store), else the closest known key, else the keys this variant accepts.
 */
export function unknownKeyMessage(
  schema: AnySchema,
  path: readonly PropertyKey[],
  key: string,
  input: unknown,
): string {
  const { objects, narrowed } = objectsAt(schema, path, input);
  const known = [...new Set(objects.flatMap((o) => Object.keys(defOf(o).shape ?? {})))];
  // A key one level too high (Aurora's instanceClass belongs under compute): name the place it belongs.
  const home = known.find((k) =>
    objectsAt(schema, [...path, k], input).objects.some((o) => defOf(o).shape?.[key] !== undefined),
  );
  if (home) return `is not a key here; did you mean ${home}.${key}?`;
  if (narrowed) {
    const takers = narrowed.others
      .filter((o) => defOf(o).shape?.[key] !== undefined)
      .flatMap((o) => literalOf(o, narrowed.discriminator).map(String));
    if (takers.length > 0)
      return `is not a key for ${narrowed.discriminator} ${narrowed.value}; only ${narrowed.discriminator} ${orList(takers)} takes it`;
  }
  const hint = closest(key, known);
  if (hint) return `unknown key; did you mean "${hint}"?`;
  return narrowed
    ? `unknown key; ${narrowed.discriminator} ${narrowed.value} takes ${known.join(", ")}`
    : `unknown key; allowed: ${known.join(", ")}`;
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)!}`;
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
