// Generated reference documentation: every configuration key from the zod schema (through its JSON Schema), and
// every stack from the synthesized Terraform JSON. Generic: a new key, section or stack needs no change here.
import { z } from "zod";
import { EnvironmentConfigSchema, SharedConfigSchema } from "../../environments/schema.ts";
import { deployOrder, type SynthStack } from "./stacks.ts";

/** A JSON Schema node, as far as the generator reads it. */
interface JsonSchema {
  readonly type?: string | string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly const?: string | number | boolean | null;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly $ref?: string;
  readonly $defs?: Record<string, JsonSchema>;
}

/** One documented key. */
export interface KeyRow {
  readonly path: string;
  readonly type: string;
  readonly default: string;
  readonly allowed: string;
  readonly description: string;
}

/** Enumerations longer than this go to a list below the tables, so the tables stay readable. */
const LONG_LIST = 8;

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function resolveRef(s: JsonSchema, root: JsonSchema): JsonSchema {
  if (!s.$ref) return s;
  const name = s.$ref.replace(/^#\/\$defs\//, "");
  return { ...root.$defs?.[name], ...s, $ref: undefined };
}

/** The variants of a union, without `null`. */
function variantsOf(s: JsonSchema): readonly JsonSchema[] {
  return (s.oneOf ?? s.anyOf ?? []).filter((v) => v.type !== "null");
}

/** The property whose `const` tells the variants of a union of objects apart, if there is one. */
function discriminatorOf(variants: readonly JsonSchema[]): string | undefined {
  const first = variants[0]?.properties ?? {};
  return Object.keys(first).find((k) =>
    variants.every((v) => v.properties?.[k]?.const !== undefined || v.properties?.[k]?.enum),
  );
}

function typeOf(s: JsonSchema, root: JsonSchema): string {
  s = resolveRef(s, root);
  const variants = variantsOf(s);
  if (variants.length > 0) {
    const types = [...new Set(variants.map((v) => typeOf(v, root)))];
    return types.join(" or ");
  }
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items, root) : "any"}`;
  if (s.type === "object" && !s.properties && typeof s.additionalProperties === "object")
    return `map of ${typeOf(s.additionalProperties, root)}`;
  if (Array.isArray(s.type)) return s.type.filter((t) => t !== "null").join(" or ");
  return s.type ?? (s.const !== undefined ? typeof s.const : "any");
}

function allowedOf(s: JsonSchema, root: JsonSchema): string {
  s = resolveRef(s, root);
  const parts: string[] = [];
  if (s.const !== undefined) parts.push(code(String(s.const)));
  if (s.enum && s.enum.length > LONG_LIST)
    parts.push(`one of ${s.enum.length} values (see [value lists](#value-lists))`);
  else if (s.enum) parts.push(s.enum.map((v) => code(String(v))).join(", "));
  const variants = variantsOf(s);
  if (variants.length > 0 && variants.every((v) => v.const !== undefined || v.enum))
    parts.push(variants.map((v) => allowedOf(v, root)).join(", "));
  const range = (lo: number | undefined, hi: number | undefined, unit: string) => {
    if (lo !== undefined && hi !== undefined) parts.push(`${lo} to ${hi}${unit}`);
    else if (lo !== undefined) parts.push(`at least ${lo}${unit}`);
    else if (hi !== undefined) parts.push(`at most ${hi}${unit}`);
  };
  range(s.minimum ?? s.exclusiveMinimum, s.maximum, "");
  range(s.minLength, s.maxLength, " characters");
  range(s.minItems, s.maxItems, " items");
  if (s.pattern) parts.push(`matches ${code(s.pattern)}`);
  if (s.format) parts.push(s.format);
  if (s.type === "array" && s.items) {
    const inner = allowedOf(s.items, root);
    if (inner) parts.push(`each: ${inner}`);
  }
  return parts.join("; ");
}

function defaultOf(s: JsonSchema, required: boolean): string {
  if (s.default !== undefined) return code(JSON.stringify(s.default));
  return required ? "required" : "none";
}

/** Every key of a JSON Schema, depth first, in declaration order; union variants get `[key=value]` in the path. */
export function keyRows(root: JsonSchema): KeyRow[] {
  const rows: KeyRow[] = [];
  const visit = (node: JsonSchema, path: string) => {
    node = resolveRef(node, root);
    const variants = variantsOf(node);
    const disc = variants.length > 0 ? discriminatorOf(variants) : undefined;
    if (disc && variants.every((v) => v.properties)) {
      for (const v of variants) {
        const d = v.properties![disc]!;
        const values = d.const !== undefined ? String(d.const) : (d.enum ?? []).join("|");
        // `stores[]` of a tagged union reads better as `stores[engine=postgres]`.
        visitObject(v, `${path.replace(/\[\]$/, "")}[${disc}=${values}]`, disc);
      }
      return;
    }
    if (variants.length > 0) {
      // A union of shapes without a tag (e.g. a name or an object): document the keys of each object shape.
      for (const v of variants) visit(v, path);
      return;
    }
    if (node.type === "array" && node.items) visit(node.items, `${path}[]`);
    else if (node.properties) visitObject(node, path);
    else if (node.type === "object" && typeof node.additionalProperties === "object")
      visit(node.additionalProperties, `${path}.<name>`);
  };
  const visitObject = (node: JsonSchema, path: string, skip?: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const c = resolveRef(child, root);
      const childPath = path ? `${path}.${key}` : key;
      if (key !== skip || !path.endsWith("]")) {
        rows.push({
          path: childPath,
          type: typeOf(c, root),
          default: defaultOf(c, node.required?.includes(key) ?? false),
          allowed: allowedOf(c, root),
          description: c.description ?? variantsOf(c).find((v) => v.description)?.description ?? "",
        });
      }
      visit(c, childPath);
    }
  };
  visit(root, "");
  return rows;
}

function keyTable(rows: readonly KeyRow[]): string {
  const lines = [
    "| key | type | default | allowed values | description |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const r of rows)
    lines.push(
      `| ${code(r.path)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.allowed)} | ${cell(r.description)} |`,
    );
  return lines.join("\n");
}

const HEADER =
  "<!-- Generated by `npm run docs` from the code; do not edit by hand (a test fails when it is stale). -->";

/** docs/configuration.md: every key of shared.yaml and of an environment file. */
export function configurationDoc(): string {
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const env = schema(EnvironmentConfigSchema);
  const sections = Object.entries(env.properties ?? {});
  const out = [
    HEADER,
    "",
    "# Configuration reference",
    "",
    "Every key of `environments/shared.yaml` and of an environment file `environments/<env>.yaml`, from the zod schema",
    "(`environments/sections/`). Paths use `[]` for a list item, `.<name>` for a map entry and `[key=value]` for one",
    "shape of a list whose items differ by that key. A default of `{}` means the keys below take their own defaults.",
    "",
    "## `shared.yaml`",
    "",
    keyTable(keyRows(schema(SharedConfigSchema))),
    "",
    "## `<env>.yaml`",
    "",
  ];
  const top = sections.filter(([, s]) => !resolveRef(s, env).properties && variantsOf(s).length === 0);
  const rows = keyRows(env);
  out.push(keyTable(rows.filter((r) => top.some(([k]) => r.path === k || r.path.startsWith(`${k}.`)))), "");
  for (const [key, s] of sections) {
    if (top.some(([k]) => k === key)) continue;
    out.push(`### \`${key}:\``, "", resolveRef(s, env).description ?? "", "");
    out.push(
      keyTable(
        rows.filter((r) => r.path === key || r.path.startsWith(`${key}.`) || r.path.startsWith(`${key}[`)),
      ),
      "",
    );
  }
  out.push("## Value lists", "");
  const lists = new Map<string, readonly unknown[]>();
  const collect = (node: JsonSchema, path: string): void => {
    node = resolveRef(node, env);
    if (node.enum && node.enum.length > LONG_LIST && !lists.has(path)) lists.set(path, node.enum);
    for (const [k, c] of Object.entries(node.properties ?? {})) collect(c, path ? `${path}.${k}` : k);
    if (node.items) collect(node.items, `${path}[]`);
    for (const v of variantsOf(node)) collect(v, path);
  };
  collect(schema(SharedConfigSchema), "shared.yaml: ");
  collect(env, "<env>.yaml: ");
  for (const [path, values] of lists)
    out.push(`- ${path.replace(/: \./, ": ")}: ${values.map((v) => code(String(v))).join(", ")}`);
  return `${out.join("\n").trimEnd()}\n`;
}

/** Output names cdktf writes for cross-stack references (not outputs a person reads). */
const CROSS_STACK_OUTPUT = /^cross-stack-output-/;

/** docs/stacks.md: every stack in deploy order, what it needs, what it outputs and what it creates. */
export function stacksDoc(stacks: ReadonlyMap<string, SynthStack>, order: readonly string[]): string {
  const out = [
    HEADER,
    "",
    "# Stacks",
    "",
    "Every stack the sample environments synthesize (`npm run synth`), in deploy order: `npm run tf -- apply <env> --with-deps`",
    "runs them in this order, `destroy` in reverse.",
    "",
    "| stack | depends on | resources |",
    "| --- | --- | --- |",
  ];
  const resourceCount = (s: SynthStack) =>
    Object.values(s.json.resource ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0);
  for (const name of order) {
    const s = stacks.get(name)!;
    out.push(
      `| [${code(name)}](#${name}) | ${s.dependencies.map(code).join(", ") || "—"} | ${resourceCount(s)} |`,
    );
  }
  out.push("");
  for (const name of order) {
    const s = stacks.get(name)!;
    out.push(`## ${name}`, "", `Depends on: ${s.dependencies.map(code).join(", ") || "nothing"}.`, "");
    const outputs = Object.entries(s.json.output ?? {});
    const own = outputs.filter(([k]) => !CROSS_STACK_OUTPUT.test(k));
    const cross = outputs.length - own.length;
    out.push("**Outputs**", "");
    if (own.length === 0) out.push("none");
    else
      out.push(
        "| output | description |",
        "| --- | --- |",
        ...own.map(([k, v]) => `| ${code(k)} | ${cell(v.description ?? "")} |`),
      );
    if (cross > 0)
      out.push("", `and ${cross} cross-stack output(s) that cdktf adds for the stacks reading this one.`);
    out.push("", `**Resources** (${resourceCount(s)})`, "", "| type | count |", "| --- | --- |");
    for (const [type, byId] of Object.entries(s.json.resource ?? {}).sort(([a], [b]) => a.localeCompare(b)))
      out.push(`| ${code(type)} | ${Object.keys(byId).length} |`);
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** The files `npm run docs` writes, by path. */
export function docFiles(
  stacks: ReadonlyMap<string, SynthStack>,
  environments: readonly string[],
): Record<string, string> {
  return {
    "docs/configuration.md": configurationDoc(),
    "docs/stacks.md": stacksDoc(stacks, deployOrder(stacks, stacks.keys(), environments)),
  };
}
