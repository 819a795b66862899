// Reads an environments folder (shared.yaml + <env>.yaml files) into a validated Config, or throws ConfigError.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { isMap, LineCounter, parseDocument, visit, type Document } from "yaml";
import type { z } from "zod";
import { CROSS_CHECKS } from "./checks.ts";
import { ConfigError, sortProblems, type ConfigProblem } from "./errors.ts";
import {
  EnvironmentConfigSchema,
  SharedConfigSchema,
  type Config,
  type EnvironmentConfig,
} from "./schema.ts";
import { unknownKeyMessage } from "./suggest.ts";
import { syntaxProblems } from "./syntax.ts";

export { ConfigError } from "./errors.ts";

/** Aliases beyond this count are refused: a few anchors are handy, thousands are a "billion laughs" bomb. */
const MAX_ALIAS_COUNT = 50;
/** Largest configuration file we read; anything bigger is not a hand-written environment file. */
const MAX_FILE_BYTES = 1024 * 1024;

interface Parsed {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly value: unknown;
}

/** Reads and validates every file in `dir`; throws ConfigError with every problem found, all at once. */
export function loadConfig(dir: string): Config {
  const shown = (f: string) => relative(process.cwd(), join(dir, f)) || f;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ConfigError([{ file: dir, path: [], message: "is not a folder of environment files" }]);

  const names = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && f !== "shared.yaml")
    .sort();
  const problems: ConfigProblem[] = [];
  if (!existsSync(join(dir, "shared.yaml")))
    problems.push({
      file: shown("shared.yaml"),
      path: [],
      message: "file not found: every environments folder needs one",
    });
  if (names.length === 0)
    problems.push({ file: shown(""), path: [], message: "no environment files (<env>.yaml) found" });
  if (problems.length > 0) throw new ConfigError(problems);

  const parsedByFile = new Map<string, Parsed>();
  const parsedShared = parseFile(join(dir, "shared.yaml"), shown("shared.yaml"), problems);
  const shared = parsedShared && validate(parsedShared, SharedConfigSchema, problems);
  if (parsedShared) parsedByFile.set(parsedShared.file, parsedShared);

  const parsedEnvs: z.output<typeof EnvironmentConfigSchema>[] = [];
  const files = new Map<string, string>();
  for (const f of names) {
    const parsed = parseFile(join(dir, f), shown(f), problems);
    const env = parsed && validate(parsed, EnvironmentConfigSchema, problems);
    if (!parsed || !env) continue;
    parsedByFile.set(parsed.file, parsed);
    const stem = f.replace(/\.ya?ml$/, "");
    if (env.name !== stem) {
      problems.push(at(parsed, ["name"], `"${env.name}" must equal the file name "${stem}"`));
      continue;
    }
    files.set(env.name, parsed.file);
    parsedEnvs.push(env);
  }
  if (problems.length > 0 || !shared || !parsedShared) throw new ConfigError(problems);

  const order = shared.environments;
  const environments: EnvironmentConfig[] = parsedEnvs.map((e) => ({
    ...e,
    region: e.region ?? shared.region,
  }));
  environments.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const config: Config = { shared, environments };
  const fileOf = { shared: parsedShared.file, env: (n: string) => files.get(n) ?? shown(`${n}.yaml`) };
  const warnings: ConfigProblem[] = [];
  for (const check of CROSS_CHECKS)
    for (const p of check(config, fileOf)) {
      const parsed = parsedByFile.get(p.file);
      const positioned = parsed ? { ...p, ...at(parsed, p.path, p.message) } : p;
      (p.warning ? warnings : problems).push(positioned);
    }
  if (problems.length > 0) throw new ConfigError(problems);
  return warnings.length > 0 ? { ...config, warnings: sortProblems(warnings) } : config;
}

/** Reads one YAML file; pushes its problems and returns undefined when it cannot be used. */
function parseFile(path: string, file: string, problems: ConfigProblem[]): Parsed | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    // A folder named shared.yaml, a file without read permission, a dangling link: one line, no stack trace.
    const { code } = e as NodeJS.ErrnoException;
    const why =
      code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code ?? (e as Error).message})`;
    problems.push({ file, path: [], message: why });
    return undefined;
  }
  if (bytes.length > MAX_FILE_BYTES) {
    problems.push({
      file,
      path: [],
      message: `is ${bytes.length} bytes; configuration files are at most 1 MiB`,
    });
    return undefined;
  }
  let text: string;
  try {
    if (bytes.includes(0)) throw new Error("NUL byte");
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    problems.push({ file, path: [], line: 1, col: 1, message: "is not a UTF-8 text file" });
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const yamlErrors = [...doc.errors, ...doc.warnings];
  if (yamlErrors.length > 0) {
    for (const e of syntaxProblems(text, doc, yamlErrors))
      problems.push({ file, ...e, ...lines.linePos(e.offset) });
    return undefined;
  }
  if (doc.contents === null || (!isMap(doc.contents) && (doc.contents.toJSON() ?? null) === null)) {
    problems.push({ file, path: [], line: 1, col: 1, message: "is empty; expected a mapping of keys" });
    return undefined;
  }
  let aliases = 0;
  let firstAlias: number | undefined;
  visit(doc, {
    Alias(_, node) {
      aliases++;
      firstAlias ??= node.range?.[0];
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const { line, col } = lines.linePos(firstAlias ?? 0);
    const message =
      aliases > 0
        ? `aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT}): refused as a possible alias bomb`
        : (e as Error).message;
    problems.push({ file, path: [], line, col, message });
    return undefined;
  }
  return { file, doc, lines, value };
}

/** Validates a parsed file against a schema, pushing one positioned problem per zod issue. */
function validate<S extends z.ZodType>(
  p: Parsed,
  schema: S,
  problems: ConfigProblem[],
): z.output<S> | undefined {
  const result = schema.safeParse(p.value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        problems.push(at(p, [...issue.path, key], unknownKeyMessage(schema, issue.path, key, p.value), true));
    } else problems.push(at(p, issue.path, describeIssue(issue)));
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === "invalid_type" && input === undefined) return "is required";
  // zod's own wording starts with "Invalid input"; a schema's custom message is kept and given the value.
  if (issue.code === "invalid_type")
    return issue.message.startsWith("Invalid input")
      ? `expected ${issue.expected}, got ${describeValue(input)}`
      : `${issue.message} (got ${describeValue(input)})`;
  if ((issue.code === "too_big" || issue.code === "too_small") && typeof input === "number") {
    const bound = issue.code === "too_big" ? issue.maximum : issue.minimum;
    const inclusive = issue.inclusive !== false;
    const rel =
      issue.code === "too_big" ? (inclusive ? "at most" : "below") : inclusive ? "at least" : "above";
    return `${input} is out of range: must be ${rel} ${String(bound)}`;
  }
  return issue.message;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** A problem positioned at the YAML node for `path`, or its nearest existing parent. */
function at(p: Parsed, path: readonly PropertyKey[], message: string, keyNode = false): ConfigProblem {
  const keys = path.filter((k): k is string | number => typeof k !== "symbol");
  let offset = 0;
  for (let n = keys.length; n >= 0; n--) {
    const node = keyNode && n === keys.length ? keyNodeAt(p.doc, keys) : p.doc.getIn(keys.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      offset = range[0];
      break;
    }
  }
  const { line, col } = p.lines.linePos(offset);
  return { file: p.file, path: keys, message, line, col };
}

function keyNodeAt(doc: Document.Parsed, keys: readonly (string | number)[]): unknown {
  const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = keys[keys.length - 1];
  return parent.items.find((i) => (i.key as { value?: unknown } | null)?.value === last)?.key;
}

/** The environments folder: ENVIRONMENTS_DIR, or `environments`. */
export function environmentsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ENVIRONMENTS_DIR || "environments";
}
