// BaseStack builds each stack's document from one resolution per block (stacks/stack-json.ts). It must be the
// document cdktf's own TerraformStack builds, key order included, for every stack of the sample and the examples.
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  Annotations,
  Aspects,
  DefaultTokenResolver,
  Fn,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Testing,
  Token,
  Tokenization,
} from "cdktf";
// Not re-exported from the package root: cdktf's own hook for constructs that write files at synthesis.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import type { IConstruct } from "constructs";
import { loadConfig } from "../environments/load.ts";
import type { Config } from "../environments/schema.ts";
import { synthCollectingErrors } from "../guardrails/data-safety.ts";
import { frameFor, type BuiltApp } from "../stacks/app.ts";
import { BaseStack } from "../stacks/base-stack.ts";
import { resolveValue } from "../stacks/stack-json.ts";
import { build, sampleConfig, stackOf, testApp, testStack, writtenStack } from "./helpers.ts";

/**
 * Each stack's document three ways after one synthesis of the app (app.synth()'s prepare pass over every stack, then
 * each stack's synthesizer): as written (built from the prepare pass's blocks, through the guardrail's review), as
 * BaseStack.toTerraform() builds it afresh, and as cdktf's own TerraformStack.toTerraform() resolves it.
 */
function documents(config: Config): Record<"written" | "fresh" | "cdktf", Record<string, unknown>> {
  const built = build(config);
  expect(synthCollectingErrors(built.app)).toEqual([]);
  const each = (f: (s: BaseStack) => unknown) =>
    Object.fromEntries(built.stacks.map((s) => [s.node.id, f(s)]));
  return {
    written: each((s) => writtenStack(built, s.node.id)),
    fresh: each((s) => JSON.stringify(s.toTerraform())),
    cdktf: each((s) => JSON.stringify(TerraformStack.prototype.toTerraform.call(s))),
  };
}

const SETS: readonly (readonly [string, () => Config])[] = [
  ["the sample", sampleConfig],
  ...["django-react", "fullstack-ecs-ec2", "notejam", "phoenix", "status-page"].map(
    (name) => [`examples/${name}`, () => loadConfig(join("examples", name))] as const,
  ),
];

describe("a stack's document, resolved once per block", () => {
  it.each(SETS)("is cdktf's own for every stack of %s", (_, config) => {
    const { written, fresh, cdktf } = documents(config());
    // The prepare pass registered cross-stack outputs in the producing stacks: every side has them.
    expect(Object.values(cdktf).some((d) => String(d).includes("cross-stack-output-"))).toBe(true);
    // Text against text, stack by stack: key order counts.
    expect(fresh).toEqual(cdktf);
    // The files cdktf wrote (json-stable-stringify sorts their keys).
    expect(written).toEqual(
      Object.fromEntries(Object.entries(cdktf).map(([id, d]) => [id, JSON.parse(String(d))])),
    );
  });

  const port = Token.asNumber(Fn.tonumber("8080"));
  it.each<[string, unknown]>([
    [
      "plain values, with undefined entries dropped",
      { a: "x", b: [true, undefined, { c: undefined }], d: {} },
    ],
    ["a string that looks like an encoded number to cdktf", ["e2e-1e5", "release-2e"]],
    ["a number token written into a string", { joined: `port-${Token.asString(port)}` }],
    ["a number token", { port, ports: [port, 443] }],
    ["a list token", { list: Token.asList(Fn.split(",", "a,b")) }],
    ["a token in a nested list", [{ keep: true }, undefined, [Fn.upper("x")]]],
    ["a map key with a token", { [Token.asString(Fn.lower("KEY"))]: "value" }],
  ])("resolves %s as cdktf's resolver does", (_, value) => {
    const stack = testStack();
    const cdktf = Tokenization.resolve(value, {
      scope: stack,
      resolver: new DefaultTokenResolver(new StringConcat()),
    });
    expect(JSON.stringify(resolveValue(stack, value))).toBe(JSON.stringify(cdktf));
  });

  const nested = (depth: number): object => (depth === 0 ? { leaf: "x" } : { next: nested(depth - 1) });
  it.each<[string, unknown]>([
    ["a function", { resource: { fn: () => 1 } }],
    ["a tree deeper than cdktf resolves", nested(250)],
  ])("refuses %s with cdktf's own error, path included", (_, value) => {
    const stack = testStack();
    const resolver = new DefaultTokenResolver(new StringConcat());
    let cdktfError: unknown;
    try {
      Tokenization.resolve(value, { scope: stack, resolver });
    } catch (e) {
      cdktfError = e;
    }
    expect(cdktfError).toBeInstanceOf(Error);
    expect(() => resolveValue(stack, value)).toThrow((cdktfError as Error).message);
  });

  /** The tags of the one VPC in dev-network's document. */
  const vpcTags = (document: unknown) =>
    Object.values(
      (document as { resource: { aws_vpc: Record<string, { tags?: object }> } }).resource.aws_vpc,
    ).map((v) => v.tags);
  /** Sets tags.Changed on every resource it is given. */
  const change = (node: IConstruct) => {
    if (node instanceof TerraformResource) node.addOverride("tags.Changed", "yes");
  };

  // The guardrail Aspect resolves each stack while the Aspects run, and the write reuses that JSON only when
  // nothing since could have changed a block.
  it.each<[string, (built: BuiltApp, network: BaseStack) => void]>([
    ["another Aspect on the stack", (_, network) => Aspects.of(network).add({ visit: change })],
    [
      "a custom synthesis (run after the Aspects)",
      (_, network) =>
        addCustomSynthesis(network, {
          onSynthesize: () => network.node.findAll().forEach(change),
        }),
    ],
  ])("writes what %s changed", (_, plant) => {
    const built = build(sampleConfig(), ["dev"]);
    plant(built, stackOf(built, "dev-network"));
    expect(synthCollectingErrors(built.app)).toEqual([]);
    expect(vpcTags(writtenStack(built, "dev-network"))).toEqual([
      expect.objectContaining({ Changed: "yes" }),
    ]);
  });

  it("writes what an Aspect of an enclosing stack changed in a stack nested in it", () => {
    const app = testApp();
    const outer = new TerraformStack(app, "outer");
    const inner = new BaseStack(outer, "inner", frameFor(sampleConfig()));
    new SnsTopic(inner, "Topic", { name: "topic", tags: { Team: "web" } });
    Aspects.of(outer).add({ visit: change });
    app.synth();
    const doc = JSON.parse(readFileSync(join(app.outdir, "stacks", "inner", "cdk.tf.json"), "utf8")) as {
      resource: { aws_sns_topic: Record<string, { tags: object }> };
    };
    expect(Object.values(doc.resource.aws_sns_topic).map((t) => t.tags)).toEqual([
      { Team: "web", Changed: "yes" },
    ]);
  });

  it("uses the prepare pass's blocks only in the synthesis that follows it, not in a toTerraform() before", () => {
    const network = stackOf(build(sampleConfig(), ["dev"]), "dev-network");
    network.prepareStack();
    network.node.findAll().forEach(change);
    expect(vpcTags(network.toTerraform())).toEqual([expect.objectContaining({ Changed: "yes" })]);
  });

  it("keeps nothing of a synthesis that failed for a later toTerraform() or synthesis", () => {
    // GIVEN an app.synth() that stops at dev-network's error, after every stack's prepare pass and dev-network's
    // Aspects resolved their blocks
    const built = build(sampleConfig(), ["dev"]);
    const network = stackOf(built, "dev-network");
    const db = stackOf(built, "dev-db");
    Annotations.of(network).addError("planted");
    expect(() => built.app.synth()).toThrow(/planted/);
    // WHEN blocks change afterwards
    for (const stack of [network, db]) stack.node.findAll().forEach(change);
    // THEN the stack's document and a later synthesis of a stack app.synth() never reached show the change
    expect(vpcTags(network.toTerraform())).toEqual([expect.objectContaining({ Changed: "yes" })]);
    const outdir = Testing.fullSynth(db);
    const doc = JSON.parse(readFileSync(join(outdir, "stacks", "dev-db", "cdk.tf.json"), "utf8")) as {
      resource: { aws_kms_key: Record<string, { tags?: object }> };
    };
    expect(Object.values(doc.resource.aws_kms_key).map((k) => k.tags)).toEqual([
      expect.objectContaining({ Changed: "yes" }),
    ]);
  });
});
