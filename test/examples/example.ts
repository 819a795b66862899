// One reference architecture from examples/<name>/: its files loaded, its app built once, and each stack
// synthesized on first use, so every test of an example's file shares one synthesis.
import { join } from "node:path";
import { loadConfig } from "../../environments/load.ts";
import type { Config } from "../../environments/schema.ts";
import {
  build,
  exceptionsOf,
  idOf,
  resourcesOf,
  stackOf,
  type StackJson,
  synthesizedStacks,
} from "../helpers.ts";

/** A resource of a synthesized stack, with its Terraform address. */
export interface FoundResource {
  readonly address: string;
  readonly body: Record<string, unknown>;
}

/** An example's configuration and its synthesized stacks. */
export interface Example {
  readonly config: Config;
  /** Stack ids in deploy order. */
  readonly stackIds: readonly string[];
  /** The synthesized JSON of one stack (synthesized once, then reused). */
  stack(id: string): StackJson;
  /**
   * Every resource of `type` in a stack whose logical id starts with `idPrefix` (the construct path joined by
   * `_`, e.g. `Service_LogGroup`), in synthesis order.
   */
  find(stackId: string, type: string, idPrefix?: string): FoundResource[];
  /** The one resource of `type` whose logical id starts with `idPrefix`; fails unless there is exactly one. */
  one(stackId: string, type: string, idPrefix?: string): Record<string, unknown>;
  /** The Checkov ids excepted beside each resource of `type` in a stack, by logical id. */
  exceptions(stackId: string, type: string): Record<string, string[]>;
}

/** Loads examples/<name>, builds its app and returns lazy, cached access to each stack's JSON. */
export function loadExample(name: string): Example {
  const config = loadConfig(join("examples", name));
  const built = build(config);
  const synthesized = synthesizedStacks(built);
  const stackIds = built.stacks.map((s) => s.node.id);
  const stack = (id: string): StackJson => synthesized(id).json;
  // Testing.synth drops the `//` metadata, so resources are recognised by their logical ids.
  const find = (stackId: string, type: string, idPrefix = ""): FoundResource[] =>
    Object.entries(resourcesOf(stack(stackId), type))
      .filter(([id]) => id.startsWith(idPrefix))
      .map(([id, body]) => ({ address: `${type}.${id}`, body }));
  const one = (stackId: string, type: string, idPrefix = ""): Record<string, unknown> => {
    const json = stack(stackId);
    return resourcesOf(json, type)[idOf(json, type, idPrefix)]!;
  };
  const exceptions = (stackId: string, type: string) => exceptionsOf(stackOf(built, stackId), type);
  return { config, stackIds, stack, find, one, exceptions };
}

/** A CloudFront distribution as the tests read it: its body, origins, path behaviours and default origin. */
export interface DistributionView {
  readonly d: Record<string, unknown>;
  readonly origins: readonly { origin_id: string; domain_name: string; vpc_origin_config?: object }[];
  readonly behaviours: readonly { path_pattern: string; target_origin_id: string }[];
  readonly defaultOrigin: string;
}

/** The CloudFront distribution of an environment's `<env>-frontend` stack. */
export function distributionOf(ex: Example, env: string): DistributionView {
  const d = ex.one(`${env}-frontend`, "aws_cloudfront_distribution");
  return {
    d,
    origins: d.origin as DistributionView["origins"],
    behaviours: (d.ordered_cache_behavior ?? []) as DistributionView["behaviours"],
    defaultOrigin: (d.default_cache_behavior as { target_origin_id: string }).target_origin_id,
  };
}

/** The promotion pipeline of the `delivery` stack: each stage's name with its actions as `name:provider`. */
export function pipelineStagesOf(ex: Example): [string, string[]][] {
  const pipeline = ex.one("delivery", "aws_codepipeline");
  return (pipeline.stage as { name: string; action: { name: string; provider: string }[] }[]).map((s) => [
    s.name,
    s.action.map((a) => `${a.name}:${a.provider}`),
  ]);
}

/** The buildspec of the delivery stack's one build project. */
export function buildspecOf(ex: Example): string {
  return (ex.one("delivery", "aws_codebuild_project", "Build").source as { buildspec: string }).buildspec;
}
