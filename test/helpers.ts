// Shared test helpers: the sample app (built and synthesized once per worker), a fresh stack for one module, a fake
// network, reading resources out of synthesized JSON, and fixture folders.
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing, type App } from "cdktf";
import { ConfigError, loadConfig } from "../environments/load.ts";
import type { Config } from "../environments/schema.ts";
import { EXCEPTIONS_METADATA_KEY } from "../guardrails/exceptions.ts";
import { buildApp, type BuiltApp } from "../stacks/app.ts";
import type { BaseStack } from "../stacks/base-stack.ts";
import type { NetworkOutputs } from "../stacks/contracts.ts";
import type { PolicyStatement } from "../modules/core/aws.ts";
import type { RdsFamilyStoreProps } from "../modules/core/store.ts";

/** A synthesized stack as parsed JSON. */
export interface StackJson {
  readonly terraform: Record<string, unknown>;
  readonly provider?: Record<string, unknown[]>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, unknown>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly moved?: readonly { readonly from: string; readonly to: string }[];
}

/** Makes `value` and everything in it read-only, so a test that changes a shared fixture fails where it does so. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

let cachedSample: Config | undefined;
/** The sample configuration in environments/, parsed once per worker and frozen: derive a copy to change it. */
export function sampleConfig(): Config {
  cachedSample ??= deepFreeze(loadConfig("environments"));
  return cachedSample;
}

/** A config derived from the sample with one environment changed. */
export function withEnvironment(name: string, change: (e: Config["environments"][number]) => object): Config {
  const c = sampleConfig();
  return { ...c, environments: c.environments.map((e) => (e.name === name ? { ...e, ...change(e) } : e)) };
}

/**
 * Builds the app into a temporary folder (nothing is written until synth): every stack, or with `environments`
 * bootstrap, shared and only those environments' stacks (the same stacks, as `npm run synth -- --env` shows).
 */
export function build(config: Config = sampleConfig(), environments?: readonly string[]): BuiltApp {
  const outdir = mkdtempSync(join(tmpdir(), "cdktf-test-"));
  return buildApp(config, { outdir, ...(environments ? { environments } : {}) });
}

/** A stack's document as a synthesis of `built` wrote it. */
export function writtenStack(built: BuiltApp, id: string): StackJson {
  return JSON.parse(readFileSync(join(built.app.outdir, "stacks", id, "cdk.tf.json"), "utf8")) as StackJson;
}

/** An app as `npm run synth` writes it: references between stacks are the remote-state reads Terraform sees. */
export interface WrittenApp {
  /** Stack ids, as the manifest lists them. */
  readonly ids: readonly string[];
  /** A stack's written document, read once. */
  stack(id: string): StackJson;
  /** The stacks a stack is deployed after, from the manifest. */
  dependencies(id: string): readonly string[];
}

/** Builds `config`'s app (or only bootstrap, shared and `environments`' stacks) and synthesizes it once. */
export function writtenApp(config: Config = sampleConfig(), environments?: readonly string[]): WrittenApp {
  const built = build(config, environments);
  built.app.synth();
  const manifest = JSON.parse(readFileSync(join(built.app.outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { dependencies: string[] }>;
  };
  const read = new Map<string, StackJson>();
  return {
    ids: Object.keys(manifest.stacks),
    stack(id) {
      let json = read.get(id);
      if (!json) read.set(id, (json = writtenStack(built, id)));
      return json;
    },
    dependencies: (id) => manifest.stacks[id]!.dependencies,
  };
}

/** The accounts of the sample environments. */
export const SAMPLE_ACCOUNTS: Readonly<Record<string, string>> = {
  dev: "222222222222",
  test: "222222222222",
  prod: "333333333333",
};

/** A synthesized stack: the JSON text (for cdktf's matchers) and the same JSON parsed. */
export interface Synthesized {
  readonly stack: BaseStack;
  readonly text: string;
  readonly json: StackJson;
}

/** Each stack of `built`, synthesized on first use and then reused. */
export function synthesizedStacks(built: BuiltApp): (id: string) => Synthesized {
  const done = new Map<string, Synthesized>();
  return (id) => {
    let s = done.get(id);
    if (!s) {
      const stack = stackOf(built, id);
      const text = synth(stack);
      s = { stack, text, json: JSON.parse(text) as StackJson };
      done.set(id, s);
    }
    return s;
  };
}

let cachedApp: BuiltApp | undefined;
let cachedStacks: ((id: string) => Synthesized) | undefined;

/**
 * The sample app, built once per worker and shared by every test file that only reads it (vitest runs files
 * without isolation, see vitest.config.ts). Never add to it or change it: call build() for an app to change.
 */
export function sampleApp(): BuiltApp {
  cachedApp ??= build();
  return cachedApp;
}

/** One stack of the sample app, synthesized once per worker. */
export function sampleStack(id: string): Synthesized {
  cachedStacks ??= synthesizedStacks(sampleApp());
  return cachedStacks(id);
}

/** A fresh app writing to its own temporary folder, without stack traces: the one way tests build an app by hand. */
export function testApp(): App {
  return Testing.app();
}

/** The region and account of testStack(). */
export const TEST_REGION = "eu-west-1";
export const TEST_ACCOUNT = "111111111111";

/** A fresh stack with an AWS provider (TEST_REGION) in a fresh app: the scope a module test builds one module in. */
export function testStack(id = "test"): TerraformStack {
  const stack = new TerraformStack(testApp(), id);
  new AwsProvider(stack, "aws", { region: TEST_REGION });
  return stack;
}

/** Network outputs that name no real resource: three AZs, ids a test can recognise in the synthesized JSON. */
export const FAKE_NETWORK: NetworkOutputs = {
  vpcId: "vpc-0123",
  vpcCidr: "10.0.0.0/16",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  publicSubnetIds: ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"],
  privateSubnetIds: ["subnet-app-a", "subnet-app-b", "subnet-app-c"],
  isolatedSubnetIds: ["subnet-db-a", "subnet-db-b", "subnet-db-c"],
  privateRouteTableIds: [],
  isolatedRouteTableIds: [],
};

/** What every data store module takes besides its own props, placed in FAKE_NETWORK's isolated subnets. */
export const FAKE_STORE: RdsFamilyStoreProps = {
  vpcId: FAKE_NETWORK.vpcId,
  subnetIds: FAKE_NETWORK.isolatedSubnetIds,
  clientSecurityGroupId: "sg-client",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/data",
  logRetentionDays: 30,
  protect: true,
  tags: { Backup: "shop-test" },
};

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

/** Every resource of `type` in a synthesized stack, as plain objects. */
export const values = (j: StackJson, type: string): Record<string, unknown>[] =>
  Object.values(resourcesOf(j, type));

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
export function idOf(j: StackJson, type: string, prefix: string): string {
  const ids = Object.keys(resourcesOf(j, type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${ids.join(", ")}`);
  return ids[0]!;
}

/** The Terraform reference a resource makes to another's attribute: `${type.id.attr}`. */
export const ref = (type: string, id: string, attr = "id"): string => `\${${type}.${id}.${attr}}`;

/** The only resource of a type; fails when there is not exactly one. */
export function onlyResource(json: StackJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}

/** The Checkov exceptions declared on each resource of `type`, by logical id (read from the `//` metadata). */
export function exceptionsOf(stack: TerraformStack, type: string): Record<string, string[]> {
  const tf = stack.toTerraform() as StackJson;
  return Object.fromEntries(
    Object.entries(resourcesOf(tf, type)).map(([id, r]) => [
      id,
      (
        ((r["//"] as Record<string, unknown> | undefined)?.[EXCEPTIONS_METADATA_KEY] as { id: string }[]) ??
        []
      ).map((e) => e.id),
    ]),
  );
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

/** A copy of the sample environments folder without `prod`: its file and its entry in shared.yaml. */
export function sampleWithoutProd(): string {
  const dir = mkdtempSync(join(tmpdir(), "envs-"));
  cpSync("environments", dir, { recursive: true });
  const shared = readFileSync(join(dir, "shared.yaml"), "utf8").replace(
    /^environments: .*$/m,
    "environments: [dev, test]",
  );
  writeFileSync(join(dir, "shared.yaml"), shared);
  rmSync(join(dir, "prod.yaml"));
  return dir;
}

/** A minimal valid shared.yaml that lists one environment, dev, in the same account (so dev needs no role). */
export const SHARED_YAML = `project: shop
region: eu-west-1
account:
  id: "222222222222"
environments: [dev]
state:
  bucket: shop-tfstate
`;

/** SHARED_YAML with a hosted zone and one registry, for the sections that need a domain or an image. */
export const SHARED_WITH_ZONE_YAML = `${SHARED_YAML}dns:
  zoneName: shop.example.com
registries:
  - name: web
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

// ---- Module tests: one way to build a module in a fresh stack, read what it synthesizes, and table its refusals.

/** A provider resource class (its `tfResourceType` is read) or a Terraform type name. */
export type ResourceType = string | { readonly tfResourceType: string };
const typeName = (type: ResourceType): string => (typeof type === "string" ? type : type.tfResourceType);

/** A module built in a fresh test stack; the stack is synthesized once, on the first read. */
export class BuiltModule<M> {
  private synthesized?: { text: string; json: StackJson };

  constructor(
    readonly stack: TerraformStack,
    readonly construct: M,
  ) {}

  private get out(): { text: string; json: StackJson } {
    if (!this.synthesized) {
      const text = synth(this.stack);
      this.synthesized = { text, json: JSON.parse(text) as StackJson };
    }
    return this.synthesized;
  }

  /** The Terraform JSON text, for cdktf's matchers. */
  get text(): string {
    return this.out.text;
  }

  /** The Terraform JSON, parsed. */
  get json(): StackJson {
    return this.out.json;
  }

  /** The only resource of `type`; fails when there is not exactly one. */
  one(type: ResourceType): Record<string, unknown> {
    return onlyResource(this.json, typeName(type));
  }

  /** Every resource of `type`, in logical-id order (how Testing.synth orders them, not construction order). */
  all(type: ResourceType): Record<string, unknown>[] {
    return values(this.json, typeName(type));
  }

  /** The Checkov exceptions declared on the resources of `type`, one list per resource. */
  exceptions(type: ResourceType): string[][] {
    return Object.values(exceptionsOf(this.stack, typeName(type)));
  }
}

/** Props to change from the minimal ones, or a function that makes them in the test stack (e.g. a second provider). */
export type PropsChange<P> = Partial<P> | ((scope: TerraformStack) => Partial<P>);

/**
 * The builder a module test calls: `const vpc = moduleBuilder((s, p) => new Vpc(s, "Vpc", p), MINIMAL)`, then
 * `vpc()` builds the module with its minimal props in a fresh test stack and `vpc({ natMode: "single" })` with one
 * changed. A ModuleError thrown while building propagates to the caller.
 */
export function moduleBuilder<P extends object, M>(
  make: (scope: TerraformStack, props: P) => M,
  minimal: P,
): (change?: PropsChange<P>) => BuiltModule<M> {
  return (change = {}) => {
    const stack = testStack();
    const props = { ...minimal, ...(typeof change === "function" ? change(stack) : change) };
    return new BuiltModule(stack, make(stack, props));
  };
}

/** What an RDS instance and an Aurora cluster of PostgreSQL both take besides FAKE_STORE and their own props. */
export const FAKE_POSTGRES = {
  databaseName: "app",
  masterUsername: "app",
  port: 5432,
  backupRetentionDays: 14,
  backupWindow: "02:00-03:00",
  maintenanceWindow: "sun:03:00-sun:04:00",
  performanceInsightsRetentionDays: 7,
  monitoringIntervalSeconds: 60,
  monitoringRoleArn: "arn:aws:iam::111111111111:role/monitoring",
  slowQueryMs: 1000,
};

/** One row of a refusal table: what the test calls the bad input, the props that make it, and the message. */
export type Refusal<P> = readonly [what: string, change: PropsChange<P>, message: string | RegExp];

/**
 * One test per bad input ("refuses <what>"): building with the row's props throws the ModuleError of the construct
 * at `path` (e.g. "test/Vpc"), `<path>: <message>`; a RegExp message is matched right after `<path>: `.
 */
export function itRefuses<P extends object>(
  builder: (change: PropsChange<P>) => unknown,
  path: string,
  rows: readonly Refusal<P>[],
): void {
  it.each(rows)("refuses %s", (_, change, message) => {
    const expected =
      typeof message === "string" ? `${path}: ${message}` : new RegExp(`^${path}: (?:${message.source})`);
    expect(() => builder(change)).toThrow(expected);
  });
}

/** The statements of the policy document a resource holds as JSON text in `attribute`. */
export function statementsOf(resource: Record<string, unknown>, attribute = "policy"): PolicyStatement[] {
  return (JSON.parse(resource[attribute] as string) as { Statement: PolicyStatement[] }).Statement;
}

// ---- Config tests: environment files around the section under test, and the lines a ConfigError must have.

/**
 * Environment files for a config test: shared.yaml (`shared`) and a dev.yaml of DEV_YAML, then `prefix`, then the
 * text under test. `env(text)` loads the dev environment; `problems(text)` returns the ConfigError's lines.
 */
export function devFiles(prefix = "", shared = SHARED_YAML) {
  const files = (text: string, sharedYaml = shared) => ({
    "shared.yaml": sharedYaml,
    "dev.yaml": `${DEV_YAML}${prefix}${text}`,
  });
  return {
    files,
    env: (text: string) => loadConfig(envDir(files(text))).environments[0]!,
    problems: (text: string, sharedYaml = shared) => configProblems(files(text, sharedYaml)),
  };
}

/** The expected lines of a ConfigError: a string is the whole line, a RegExp matches it. */
export const lines = (...expected: (string | RegExp)[]): unknown[] =>
  expected.map((l) => (typeof l === "string" ? l : expect.stringMatching(l)));

/** A service section after DEV_YAML (dev.yaml lines 5-10): the web registry's image on port 8080, no domain. */
export const SERVICE_YAML = `service:
  container:
    image:
      repository: web
      tag: v1
    port: 8080
`;

/** Where a module under test deploys: the test account, in the test region. */
export const TEST_TARGET = { accountId: TEST_ACCOUNT, region: TEST_REGION };
