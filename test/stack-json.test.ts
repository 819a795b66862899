// BaseStack builds each stack's document from one resolution per block (stacks/stack-json.ts). It must be the
// document cdktf's own TerraformStack builds, key order included, for every stack of the sample and the examples.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  Aspects,
  DefaultTokenResolver,
  Fn,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
  type IAspect,
} from "cdktf";
import type { IConstruct } from "constructs";
import { loadConfig } from "../environments/load.ts";
import type { Config } from "../environments/schema.ts";
import { synthCollectingErrors } from "../guardrails/data-safety.ts";
import { resolveValue } from "../stacks/stack-json.ts";
import { build, sampleConfig, stackOf, testStack } from "./helpers.ts";

/**
 * Each stack's document from BaseStack and from cdktf's own TerraformStack.toTerraform(), as JSON text, after one
 * prepare pass over every stack (as app.synth() runs it). The prepare pass leaves cdktf's resolver every token, so
 * it registers the cross-stack references cdktf's own would; cdktf's toTerraform() then resolves every block anew.
 */
function documents(config: Config): { ours: Map<string, string>; cdktf: Map<string, string> } {
  const { stacks } = build(config);
  for (const s of stacks) s.prepareStack();
  const ours = new Map(stacks.map((s) => [s.node.id, JSON.stringify(s.toTerraform())]));
  const cdktf = new Map(
    stacks.map((s) => [s.node.id, JSON.stringify(TerraformStack.prototype.toTerraform.call(s))]),
  );
  return { ours, cdktf };
}

const SETS: readonly (readonly [string, () => Config])[] = [
  ["the sample", sampleConfig],
  ...["django-react", "fullstack-ecs-ec2", "notejam", "phoenix", "status-page"].map(
    (name) => [`examples/${name}`, () => loadConfig(join("examples", name))] as const,
  ),
];

describe("a stack's document, resolved once per block", () => {
  it.each(SETS)("is cdktf's own for every stack of %s", (_, config) => {
    const { ours, cdktf: theirs } = documents(config());
    // Cross-stack references register outputs in the producing stacks during the prepare pass: both sides have them.
    expect([...theirs.values()].some((d) => d.includes("cross-stack-output-"))).toBe(true);
    // Text against text, per stack id: key order counts, as it does in the written files.
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(theirs));
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

  it("rebuilds the document when another Aspect could have changed a block after the prepare pass", () => {
    const built = build(sampleConfig(), ["dev"]);
    const network = stackOf(built, "dev-network");
    const writer: IAspect = {
      visit(node: IConstruct) {
        if (node instanceof TerraformResource) node.addOverride("tags.Reviewed", "by-aspect");
      },
    };
    Aspects.of(network).add(writer);
    expect(synthCollectingErrors(built.app)).toEqual([]);
    const written = readFileSync(join(built.app.outdir, "stacks", "dev-network", "cdk.tf.json"), "utf8");
    const vpc = (JSON.parse(written) as { resource: { aws_vpc: Record<string, { tags?: object }> } }).resource
      .aws_vpc;
    expect(Object.values(vpc).map((v) => v.tags)).toEqual([
      expect.objectContaining({ Reviewed: "by-aspect" }),
    ]);
  });
});
