// The synthesized stacks as a graph: names, folders and dependencies read from cdktf.out, never from a hand-kept list.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One synthesized stack. */
export interface SynthStack {
  readonly name: string;
  /** Absolute folder Terraform runs in (`cdktf.out/stacks/<name>`). */
  readonly dir: string;
  /** Stacks that must be deployed first, sorted. */
  readonly dependencies: readonly string[];
  /** The stacks whose outputs this one reads (cdktf's cross-stack references), sorted. */
  readonly references: readonly string[];
  /** The synthesized Terraform JSON. */
  readonly json: TerraformJson;
}

/** The parts of a `cdk.tf.json` the tools read. */
export interface TerraformJson {
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>> };
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { readonly value?: unknown; readonly description?: string }>;
}

interface Manifest {
  readonly stacks: Record<
    string,
    {
      readonly dependencies?: string[];
      readonly synthesizedStackPath: string;
      readonly workingDirectory: string;
    }
  >;
}

/** The S3 bucket a stack keeps its state in, when it has an S3 backend. */
function stateBucketOf(json: TerraformJson): unknown {
  return json.terraform?.backend?.s3?.bucket;
}

/**
 * Reads every stack of a synthesis output. A stack also depends on the stack that creates the bucket holding its
 * state: cdktf's manifest lists only cross-stack references, but nothing can be initialized before that bucket exists.
 */
export function readStacks(outdir: string): Map<string, SynthStack> {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  const jsons = new Map(
    Object.entries(manifest.stacks).map(([name, s]) => [
      name,
      JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8")) as TerraformJson,
    ]),
  );
  const bucketOwner = new Map<unknown, string>();
  for (const [name, json] of jsons)
    for (const bucket of Object.values(json.resource?.aws_s3_bucket ?? {}))
      bucketOwner.set(bucket.bucket, name);
  const stacks = new Map<string, SynthStack>();
  for (const name of Object.keys(manifest.stacks).sort()) {
    const s = manifest.stacks[name]!;
    const json = jsons.get(name)!;
    const deps = new Set(s.dependencies ?? []);
    const owner = bucketOwner.get(stateBucketOf(json));
    if (owner && owner !== name) deps.add(owner);
    stacks.set(name, {
      name,
      dir: join(outdir, s.workingDirectory),
      dependencies: [...deps].sort(),
      references: [...(s.dependencies ?? [])].sort(),
      json,
    });
  }
  return stacks;
}

/** The environment a stack belongs to (`<env>-<component>`), or undefined for stacks every environment shares. */
export function environmentOf(stack: string, environments: readonly string[]): string | undefined {
  return environments.find((env) => stack.startsWith(`${env}-`));
}

/** The stacks that depend on `name` (directly). */
export function dependentsOf(stacks: ReadonlyMap<string, SynthStack>, name: string): string[] {
  return [...stacks.values()].filter((s) => s.dependencies.includes(name)).map((s) => s.name);
}

/** `names` plus everything they need (`up`: dependencies) or everything that needs them (`down`: dependents). */
export function closure(
  stacks: ReadonlyMap<string, SynthStack>,
  names: Iterable<string>,
  direction: "up" | "down",
): Set<string> {
  const out = new Set<string>();
  const visit = (n: string): void => {
    if (out.has(n)) return;
    out.add(n);
    for (const next of direction === "up" ? (stacks.get(n)?.dependencies ?? []) : dependentsOf(stacks, n))
      visit(next);
  };
  for (const n of names) visit(n);
  return out;
}

/**
 * Deploy order of `selected`: every stack after the stacks it depends on. Among stacks ready at the same time, shared
 * stacks come first, then environments in promotion order, then by name, so the order is stable and reads naturally.
 */
export function deployOrder(
  stacks: ReadonlyMap<string, SynthStack>,
  selected: Iterable<string>,
  environments: readonly string[],
): string[] {
  const pending = new Set(selected);
  const rank = (n: string) => {
    const env = environmentOf(n, environments);
    return env === undefined ? -1 : environments.indexOf(env);
  };
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending]
      .filter((n) => (stacks.get(n)?.dependencies ?? []).every((d) => !pending.has(d)))
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    // A cycle cannot come out of cdktf (it refuses to synthesize one); guard anyway rather than loop forever.
    if (ready.length === 0) throw new Error(`dependency cycle among ${[...pending].join(", ")}`);
    order.push(ready[0]!);
    pending.delete(ready[0]!);
  }
  return order;
}
