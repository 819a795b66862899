// A stack's Terraform JSON, resolved once per block. cdktf's TerraformStack resolves every block of a stack three
// times in one synthesis: in prepareStack (to find cross-stack references), again in toTerraform, and a third
// time as the merged document. This file gives BaseStack the same JSON from one resolution per block: the
// prepare pass keeps what it resolved, toTerraform reuses it, and plain values (no token in them) are copied
// without going through cdktf's resolver. test/stack-json.test.ts checks the result against cdktf's own
// TerraformStack.toTerraform() for every stack of the sample and the examples.
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

/**
 * `value` resolved as cdktf resolves it in `scope` (Tokenization.resolve with the stack's resolver): undefined
 * entries dropped, every token replaced. Plain strings, booleans and the objects and arrays made of them are copied
 * here; anything that is or may hold a token (a number, a resolvable, a list or map token, a key with a token) is
 * handed to cdktf's resolver whole, with the same options, so tokens resolve exactly as they would there.
 */
export function resolveValue(scope: IConstruct, value: unknown, preparing = false): unknown {
  const cdktf = (v: unknown): unknown => Tokenization.resolve(v, { scope, preparing, resolver: RESOLVER });
  const visit = (v: unknown, depth: number): unknown => {
    if (v === undefined || v === null || typeof v === "boolean") return v;
    if (typeof v === "string") return isPlainString(v) ? v : cdktf(v);
    if (typeof v !== "object" || depth > MAX_DEPTH || v instanceof Date) return cdktf(v);
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
  return visit(value, 0);
}

/** The Terraform elements of `stack` in construct order, not descending into nested stacks (as cdktf lists them). */
export function elementsOf(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) elementsOf(child, into);
  return into;
}

/** Each element's block as resolved by the prepare pass, to be reused by stackJson. */
export type PreparedBlocks = ReadonlyMap<TerraformElement, unknown>;

/**
 * TerraformStack.prepareStack, keeping what it resolves: the backend is ensured, then every block is resolved in
 * preparing mode, which registers cross-stack references (an output in the producing stack, a remote state here).
 * A reference resolves to the same expression in preparing mode and after it, so the blocks are final unless
 * something changes an element later (an Aspect that writes; the caller decides).
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
 * The document TerraformStack.toTerraform() returns, built the same way (metadata, output ids, blocks, the stack's
 * overrides, one last resolution), with blocks from `prepared` where it has them. Elements added after the prepare
 * pass (the outputs other stacks' references registered here) are resolved now.
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
  deepMerge(tf, overrides);
  return resolveValue(stack, tf) as Record<string, unknown>;
}
