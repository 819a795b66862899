// The replacement-name guardrail: a create_before_destroy resource must not hold a fixed unique name.
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformStack, Testing } from "cdktf";
import { replacementNames } from "../guardrails/rules/replacement-names.ts";
import { blocksOf } from "../guardrails/view.ts";

function newStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

const findings = (stack: TerraformStack): string[] =>
  replacementNames({ stackId: "test", blocks: blocksOf(stack), protected: true }).map(
    (f) => `${f.checkId} ${f.block.address}`,
  );

describe("replacement names (GUARD_REPLACEMENT_NAME)", () => {
  it("fails a create_before_destroy security group with a fixed name", () => {
    const stack = newStack();
    new SecurityGroup(stack, "Tasks", {
      name: "shop-prod-web-tasks",
      lifecycle: { createBeforeDestroy: true },
    });
    expect(findings(stack)).toEqual(["GUARD_REPLACEMENT_NAME aws_security_group.Tasks"]);
  });

  it("passes name_prefix, and a fixed name without create_before_destroy", () => {
    const stack = newStack();
    new SecurityGroup(stack, "Prefixed", { namePrefix: "shop-", lifecycle: { createBeforeDestroy: true } });
    new SecurityGroup(stack, "Plain", { name: "shop-plain" });
    expect(findings(stack)).toEqual([]);
  });

  it("passes a parameter group without name_prefix only when its name carries the family", () => {
    const stack = newStack();
    const lifecycle = { createBeforeDestroy: true };
    new ElasticacheParameterGroup(stack, "Aware", { name: "shop-cache-redis7", family: "redis7", lifecycle });
    new ElasticacheParameterGroup(stack, "Fixed", { name: "shop-cache", family: "redis7", lifecycle });
    expect(findings(stack)).toEqual(["GUARD_REPLACEMENT_NAME aws_elasticache_parameter_group.Fixed"]);
  });
});
