// The frame every stack stands in: S3 backend, provider with allowed account and role, default tags.
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { TerraformResource } from "cdktf";
import { synthCollectingErrors } from "../guardrails/data-safety.ts";
import { build, sampleApp, sampleConfig, sampleStack, synthJson } from "./helpers.ts";

const built = sampleApp();
const remote = built.stacks.filter((s) => s.node.id !== "bootstrap");

describe("the stack frame", () => {
  it("orders stacks bootstrap, shared, then each environment in promotion order", () => {
    const ids = built.stacks.map((s) => s.node.id);
    expect(ids.slice(0, 2)).toEqual(["bootstrap", "shared"]);
    const envOrder = ids.slice(2).map((id) => id.split("-")[0]);
    const firstIndex = (e: string) => envOrder.indexOf(e);
    expect(firstIndex("dev")).toBeLessThan(firstIndex("test"));
    expect(firstIndex("test")).toBeLessThan(firstIndex("prod"));
  });

  it.each(remote.map((s) => s.node.id))(
    "gives %s an encrypted S3 backend keyed <project>/<stack>.tfstate, locked by S3 lock files only",
    (id) => {
      const { state } = sampleConfig().shared;
      expect(sampleStack(id).json.terraform.backend).toEqual({
        s3: {
          bucket: state.bucket,
          key: `shop/${id}.tfstate`,
          region: "eu-west-1",
          encrypt: true,
          use_lockfile: true,
        },
      });
    },
  );

  it.each(built.stacks.map((s) => s.node.id))(
    "pins %s's provider to its account and tags everything with project, environment, stack and managed-by",
    (id) => {
      const env = id.includes("-") ? id.split("-")[0]! : "shared";
      const account = sampleConfig().environments.find((e) => e.name === env)?.account.id ?? "111111111111";
      expect(sampleStack(id).text).toHaveProviderWithProperties(AwsProvider, {
        region: "eu-west-1",
        allowed_account_ids: [account],
        default_tags: [
          { tags: { CostCenter: "shop", Project: "shop", Environment: env, Stack: id, ManagedBy: "cdktf" } },
        ],
      });
    },
  );

  it("assumes the environment's role when its file names one", () => {
    const prod = built.stacks.find((s) => s.node.id.startsWith("prod-"))!;
    expect(sampleStack(prod.node.id).text).toHaveProviderWithProperties(AwsProvider, {
      assume_role: [
        {
          // the read-only plan role when TF_VAR_plan=true (pull requests), else the deploy role
          role_arn:
            '${var.plan ? "arn:aws:iam::333333333333:role/shop-terraform-plan" : "arn:aws:iam::333333333333:role/shop-terraform"}',
          session_name: `cdktf-${prod.node.id}`,
        },
      ],
    });
  });

  it("keeps the bootstrap state local, outside cdktf.out, until it is migrated", () => {
    expect(sampleStack("bootstrap").json.terraform.backend).toEqual({
      local: { path: "../../../terraform.bootstrap.tfstate" },
    });
  });

  it("moves the bootstrap state into the bucket once shared.yaml says so", () => {
    const config = sampleConfig();
    const migrated = build({
      ...config,
      shared: { ...config.shared, state: { ...config.shared.state, bootstrapBackend: "s3" } },
    });
    expect(synthJson(migrated.stacks[0]!).terraform.backend).toMatchObject({
      s3: { key: "shop/bootstrap.tfstate" },
    });
  });

  it("gives every stack of the app the synthesis-time guardrails", () => {
    // GIVEN the sample app with an SSH port opened to the world in the last stack built
    const app = build();
    const last = app.stacks[app.stacks.length - 1]!;
    new SecurityGroup(last, "PlantedSsh", {
      ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
    });
    // WHEN synthesizing THEN exactly that mistake is reported
    expect(synthCollectingErrors(app.app)).toEqual([expect.stringMatching(/PlantedSsh: CKV_AWS_24 /)]);
  });

  it("resolves each resource once per synthesis: the guardrails read the JSON that is written", () => {
    // GIVEN a fresh shared stack and a count of the resources turned into Terraform JSON
    const stack = build(sampleConfig(), []).stacks.find((s) => s.node.id === "shared")!;
    const resolved = vi.spyOn(TerraformResource.prototype, "toTerraform");
    try {
      // WHEN synthesizing it, guardrail Aspect included
      const json = synthJson(stack);
      // THEN each resource was resolved once, not once for the guardrails and again for the output
      const resources = Object.values(json.resource ?? {}).flatMap((byId) => Object.keys(byId));
      expect(resolved).toHaveBeenCalledTimes(resources.length);
    } finally {
      resolved.mockRestore();
    }
  });
});
