// Resources as the synthesized JSON shows them: type, logical id and resolved attributes, read from the stack's own
// `toTerraform()` so that overrides, lifecycle and escape hatches are seen exactly as Terraform will see them.
import { TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";

/** A plain JSON value as found in a synthesized stack. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** One resource or data source of a stack, with its attributes resolved (references read `${type.id.attr}`). */
export interface BlockView {
  /** The construct, for annotations. */
  readonly node: IConstruct;
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly logicalId: string;
  /** Terraform address: `type.id`, or `data.type.id`. */
  readonly address: string;
  readonly attrs: JsonObject;
}

/** A stack's synthesized JSON as `toTerraform()` returns it: `resource` and `data` by type, then by logical id. */
type StackJson = { readonly resource?: ById; readonly data?: ById };
type ById = Record<string, Record<string, JsonObject>>;

// A synthesis builds the stack's document once, in toTerraform(); the guardrail Aspect needs the same JSON a moment
// earlier (annotations are collected before the stack is written). It keeps what it computed here, and
// BaseStack.toTerraform() takes it instead of building the document a second time.
const synthesized = new WeakMap<TerraformStack, JsonObject>();

/** Resolves `stack` as its synthesis will, and keeps the result for the next `takeSynthesized(stack)`. */
export function synthesizeForReview(stack: TerraformStack): JsonObject {
  const json = stack.toTerraform() as JsonObject;
  synthesized.set(stack, json);
  return json;
}

/** The JSON `synthesizeForReview` computed in this synthesis, once; undefined when there is none. */
export function takeSynthesized(stack: TerraformStack): JsonObject | undefined {
  const json = synthesized.get(stack);
  synthesized.delete(stack);
  return json;
}

/**
 * Every resource and data source of `stack`, in construct order, with its attributes as in the synthesized JSON
 * (`json`, by default resolved now). A resource moved away (`moveTo`) has no block and is left out.
 */
export function blocksOf(
  stack: TerraformStack,
  json: JsonObject = TerraformStack.prototype.toTerraform.call(stack) as JsonObject,
): BlockView[] {
  const { resource, data } = json as StackJson;
  const out: BlockView[] = [];
  for (const node of stack.node.findAll()) {
    const kind =
      node instanceof TerraformResource
        ? "resource"
        : node instanceof TerraformDataSource
          ? "data"
          : undefined;
    if (!kind) continue;
    const element = node as TerraformResource | TerraformDataSource;
    const type = element.terraformResourceType;
    const logicalId = element.friendlyUniqueId;
    const attrs = (kind === "resource" ? resource : data)?.[type]?.[logicalId];
    if (!attrs) continue;
    out.push({
      node,
      kind,
      type,
      logicalId,
      address: kind === "data" ? `data.${type}.${logicalId}` : `${type}.${logicalId}`,
      attrs,
    });
  }
  return out;
}

/** True for a value Terraform computes at plan time: a reference or expression, unknown at synthesis. */
export function isExpression(value: Json | undefined): boolean {
  return typeof value === "string" && value.includes("${");
}

/** A nested block, which cdktf writes as an object or a list of objects; always a list here. */
export function blocks(value: Json | undefined): JsonObject[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v));
}

/** A list argument of strings (a single string counts as a list of one); expressions are kept as they are. */
export function strings(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

/** True when `value` is literally true (an expression is not). */
export const isTrue = (value: Json | undefined): boolean => value === true || value === "true";
/** True when `value` is literally false or absent. */
export const isFalseOrUnset = (value: Json | undefined): boolean =>
  value === undefined || value === null || value === false || value === "false";

/** The ids a reference string points at, e.g. `${aws_security_group.Alb_1A2B.id}` -> `aws_security_group.Alb_1A2B`. */
export function referencedAddresses(value: Json | undefined): string[] {
  const found: string[] = [];
  const visit = (v: Json | undefined): void => {
    if (typeof v === "string")
      for (const m of v.matchAll(/\b(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\./g)) found.push(m[1]!);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}
