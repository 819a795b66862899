// A stack's prepare pass and Terraform JSON as cdktf's TerraformStack computes them, with less work: cdktf resolves
// every block three times per synthesis (the prepare pass, each block, the merged document) and builds a resolution
// context for every string and number in it. Here plain values (no token in them) are copied without cdktf's
// resolver, the document can be built from the blocks the prepare pass resolved, and the merged document is not
// resolved again when the stack has no overrides of its own. test/stack-json.test.ts checks the result against
// cdktf's own TerraformStack.toTerraform() for every stack of the sample and the examples.
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformElement,
  TerraformOutput,
  TerraformStack,
  Token,
  Tokenization,
} from "cdktf";
// Not re-exported from the package root; the one cdktf uses to build a stack's document.
import { deepMerge } from "cdktf/lib/util";
import type { IConstruct } from "constructs";

/** cdktf's resolver for a stack, as TerraformStack uses it. */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** cdktf's pattern of a number token written into a string (tokens/private/encoding.ts, NUMBER_TOKEN_REGEX). */
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;

/** True for a string cdktf's resolver would return unchanged: no string, list or map token, no encoded number. */
function isPlainString(s: string): boolean {
  return (
    !s.includes("TfToken[") &&
    s !== Token.STRING_MAP_TOKEN_VALUE &&
    s !== Token.ANY_MAP_TOKEN_VALUE &&
    !NUMBER_IN_STRING.test(s)
  );
}

/** cdktf's own resolver guards against cycles at this depth; deeper values are left to it. */
const MAX_DEPTH = 200;

/** Thrown inside resolveValue to hand the whole value to cdktf's resolver. */
class UseCdktfResolver extends Error {}

/**
 * `value` resolved as cdktf resolves it in `scope` (Tokenization.resolve with the stack's resolver): undefined
 * entries dropped, every token replaced. Plain strings, booleans and the objects and arrays made of them are copied
 * here; anything that is or may hold a token (a number, a resolvable, a list or map token, a key with a token) is
 * handed to cdktf's resolver whole, with the same options, so tokens resolve exactly as they would there. Whatever
 * fails, or nests deeper than cdktf allows, is resolved again whole by cdktf, so errors are cdktf's own, with their
 * paths.
 */
export function resolveValue(scope: IConstruct, value: unknown, preparing = false): unknown {
  const cdktf = (v: unknown): unknown => Tokenization.resolve(v, { scope, preparing, resolver: RESOLVER });
  const visit = (v: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new UseCdktfResolver();
    if (v === undefined || v === null || typeof v === "boolean") return v;
    if (typeof v === "string") return isPlainString(v) ? v : cdktf(v);
    if (typeof v !== "object" || v instanceof Date) return cdktf(v);
    if (Array.isArray(v)) {
      // A number may be a number token, and a list token makes the whole array one token.
      if (v.some((x) => typeof x === "number" || (typeof x === "string" && x.includes("TfToken["))))
        return cdktf(v);
      const out: unknown[] = [];
      for (const x of v) {
        const r = visit(x, depth + 1);
        if (r !== undefined) out.push(r);
      }
      return out;
    }
    // A token (anything with resolve()), or a construct, which cdktf's resolver refuses with its own error.
    const record = v as Record<string, unknown>;
    if (typeof record.resolve === "function" || record._children !== undefined) return cdktf(v);
    const keys = Object.keys(record);
    if (keys.some((k) => !isPlainString(k))) return cdktf(v);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = visit(record[k], depth + 1);
      if (r !== undefined) out[k] = r;
    }
    return out;
  };
  try {
    return visit(value, 0);
  } catch {
    return cdktf(value);
  }
}

/** The Terraform elements of `stack` in construct order, not descending into nested stacks (as cdktf lists them). */
export function elementsOf(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) elementsOf(child, into);
  return into;
}

/** Each element's block as the prepare pass resolved it. */
export type PreparedBlocks = ReadonlyMap<TerraformElement, unknown>;

/**
 * TerraformStack.prepareStack, keeping what it resolves: the backend is ensured, then every block is resolved in
 * preparing mode, which registers cross-stack references (an output in the producing stack, a remote state here).
 * A reference resolves to the same expression in preparing mode and after it, so a block stays as resolved here
 * until something changes its element; the caller decides when that cannot have happened.
 */
export function prepareBlocks(stack: TerraformStack): PreparedBlocks {
  stack.ensureBackendExists();
  const prepared = new Map<TerraformElement, unknown>();
  for (const element of elementsOf(stack))
    prepared.set(element, resolveValue(stack, element.toTerraform(), true));
  return prepared;
}

/** What TerraformStack keeps private and its document needs: the stack's own overrides and the cdktf version. */
function internalsOf(stack: TerraformStack): {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: unknown;
} {
  return stack as unknown as ReturnType<typeof internalsOf>;
}

/**
 * The document TerraformStack.toTerraform() returns, built the same way (metadata, output ids, every block, the
 * stack's overrides), with blocks from `prepared` where it has them. Elements added after the prepare pass (the
 * outputs other stacks' references registered here) are resolved now.
 */
export function stackJson(stack: TerraformStack, prepared?: PreparedBlocks): Record<string, unknown> {
  const { rawOverrides: overrides, cdktfVersion } = internalsOf(stack);
  const metadata: Record<string, unknown> = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: "local",
    cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  const elements = elementsOf(stack);
  for (const element of elements) deepMerge(metadata, resolveValue(stack, element.toMetadata()));
  const outputs: Record<string, unknown> = {};
  for (const element of elements) {
    if (!TerraformOutput.isTerraformOutput(element)) continue;
    // The output's id under its construct path: {"Outputs": {"vpc_id": "vpc_id"}}.
    const path = element.node.path.split("/");
    const nested = path.reduceRight<unknown>(
      (inner, part) => ({ [part]: inner }),
      element.friendlyUniqueId,
    ) as Record<string, unknown>;
    deepMerge(outputs, nested);
  }
  const tf: Record<string, unknown> = { "//": { metadata, outputs } };
  for (const element of elements)
    deepMerge(
      tf,
      prepared?.has(element) ? prepared.get(element) : resolveValue(stack, element.toTerraform()),
    );
  // cdktf resolves the merged document once more for the stack's own overrides; the blocks in it are resolved
  // already, and resolving resolved JSON changes nothing, so without overrides there is nothing left to do.
  if (Object.keys(overrides).length === 0) return tf;
  deepMerge(tf, overrides);
  return resolveValue(stack, tf) as Record<string, unknown>;
}
