// Shared test helpers: build the sample app, synthesize one stack, read its resources, write fixture folders.
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing, type TerraformStack } from "cdktf";
import { ConfigError, loadConfig } from "../environments/load.ts";
import type { Config } from "../environments/schema.ts";
import { buildApp, type BuiltApp } from "../stacks/app.ts";
import type { BaseStack } from "../stacks/base-stack.ts";

/** A synthesized stack as parsed JSON. */
export interface StackJson {
  readonly terraform: Record<string, unknown>;
  readonly provider?: Record<string, unknown[]>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, unknown>;
}

let cachedSample: Config | undefined;
/** The sample configuration in environments/ (parsed once per test file). */
export function sampleConfig(): Config {
  cachedSample ??= loadConfig("environments");
  return cachedSample;
}

/** A config derived from the sample with one environment changed. */
export function withEnvironment(name: string, change: (e: Config["environments"][number]) => object): Config {
  const c = sampleConfig();
  return { ...c, environments: c.environments.map((e) => (e.name === name ? { ...e, ...change(e) } : e)) };
}

/** Builds the whole app into a temporary folder (nothing is written until synth). */
export function build(config: Config = sampleConfig()): BuiltApp {
  return buildApp(config, { outdir: mkdtempSync(join(tmpdir(), "cdktf-test-")) });
}

/** The stack with this id. */
export function stackOf(built: BuiltApp, id: string): BaseStack {
  const s = built.stacks.find((x) => x.node.id === id);
  if (!s) throw new Error(`no stack ${id}; have ${built.stacks.map((x) => x.node.id).join(", ")}`);
  return s;
}

/** Synthesizes one stack to its Terraform JSON string (for cdktf's matchers). */
export function synth(stack: TerraformStack): string {
  return Testing.synth(stack);
}

/** Synthesizes one stack and parses it. */
export function synthJson(stack: TerraformStack): StackJson {
  return JSON.parse(synth(stack)) as StackJson;
}

/** The resources of one type in a synthesized stack, by logical id. */
export function resourcesOf(json: StackJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type; fails when there is not exactly one. */
export function onlyResource(json: StackJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}

/** The Terraform addresses (`type.logicalId`) of one type in a stack, sorted. */
export function addresses(json: StackJson, type: string): string[] {
  return Object.keys(resourcesOf(json, type))
    .map((id) => `${type}.${id}`)
    .sort();
}

/** Writes a temporary environments folder with these files (name -> content) and returns its path. */
export function envDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "envs-"));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** A minimal valid shared.yaml that lists one environment, dev. */
export const SHARED_YAML = `project: shop
region: eu-west-1
account:
  id: "111111111111"
environments: [dev]
state:
  bucket: shop-tfstate
  lockTable: shop-tflock
`;

/** A minimal valid dev.yaml, four lines long: a section appended to it starts on line 5. */
export const DEV_YAML = `name: dev
account:
  id: "222222222222"
protected: false
`;

/** The lines of the ConfigError that loading an environments folder with these files throws, without the temporary folder. */
export function configProblems(files: Record<string, string | Buffer>): string[] {
  try {
    loadConfig(envDir(files));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n").map((l) => l.replace(/^.*?envs-[^/]+\//, ""));
  }
  throw new Error("expected a ConfigError");
}
