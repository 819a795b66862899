// `shared`: registries, DNS zone, source connection and the alerts topic.
import { CodestarconnectionsConnection } from "@cdktf/provider-aws/lib/codestarconnections-connection";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { Config } from "../environments/schema.ts";
import {
  build,
  onlyResource,
  resourcesOf,
  sampleConfig,
  sampleStack,
  stackOf,
  synth,
  synthJson,
} from "./helpers.ts";

// The shared stack alone: no environment's stacks are needed to build it.
const sharedOf = (config: Config = sampleConfig()) => stackOf(build(config, []), "shared");
const withShared = (change: Partial<Config["shared"]>): Config => ({
  ...sampleConfig(),
  shared: { ...sampleConfig().shared, ...change },
});
const { text: out, json } = sampleStack("shared");

describe("the shared stack", () => {
  it("creates one ECR repository per registry, immutable, scanned on push and KMS-encrypted", () => {
    expect(out).toHaveResourceWithProperties(EcrRepository, {
      name: "shop/web",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: expect.stringMatching(/aws_kms_key/) }],
      force_delete: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("keeps released images apart, expires untagged images and keeps the newest tagged ones", () => {
    const rules = JSON.parse(onlyResource(json, "aws_ecr_lifecycle_policy").policy as string).rules;
    expect(rules).toEqual([
      expect.objectContaining({
        selection: expect.objectContaining({ tagPrefixList: ["released-"], countNumber: 100 }),
      }),
      expect.objectContaining({
        selection: expect.objectContaining({ tagStatus: "untagged", countNumber: 7, countUnit: "days" }),
      }),
      expect.objectContaining({
        selection: expect.objectContaining({ tagStatus: "tagged", countNumber: 30 }),
      }),
    ]);
  });

  it("lets the environment accounts pull images, and only their release roles tag what they released", () => {
    const policy = JSON.parse(onlyResource(json, "aws_ecr_repository_policy").policy as string);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      }),
      expect.objectContaining({
        Sid: "ReleasePrincipalsMarkReleased",
        Action: ["ecr:BatchGetImage", "ecr:PutImage"],
        Condition: { ArnEquals: { "aws:PrincipalArn": expect.any(Array) } },
      }),
    ]);
  });

  it("writes no repository policy when every environment shares the shared account", () => {
    const single = {
      ...sampleConfig(),
      environments: sampleConfig().environments.map((e) => ({ ...e, account: { id: "111111111111" } })),
    };
    expect(Object.keys(resourcesOf(synthJson(sharedOf(single)), "aws_ecr_repository_policy"))).toHaveLength(
      0,
    );
  });

  it("creates the hosted zone, guarded against destroy", () => {
    expect(out).toHaveResourceWithProperties(Route53Zone, {
      name: "shop.example.com",
      lifecycle: { prevent_destroy: true },
    });
  });

  it("looks up an existing zone instead when dns.create is false", () => {
    const lookup = synth(sharedOf(withShared({ dns: { zoneName: "shop.example.com", create: false } })));
    expect(lookup).toHaveDataSourceWithProperties(DataAwsRoute53Zone, {
      name: "shop.example.com",
      private_zone: false,
    });
    expect(Object.keys(resourcesOf(JSON.parse(lookup), "aws_route53_zone"))).toHaveLength(0);
  });

  it("creates the source connection for the configured code host", () => {
    expect(out).toHaveResourceWithProperties(CodestarconnectionsConnection, {
      name: "shop-shared-source",
      provider_type: "GitHub",
    });
  });

  it("creates no connection when shared.yaml has no source", () => {
    const { source: _omit, ...rest } = sampleConfig().shared;
    const json2 = synthJson(sharedOf({ ...sampleConfig(), shared: rest }));
    expect(Object.keys(resourcesOf(json2, "aws_codestarconnections_connection"))).toHaveLength(0);
  });

  it("encrypts the alerts topic with a customer-managed key and subscribes each address", () => {
    expect(out).toHaveResourceWithProperties(SnsTopic, {
      name: "shop-shared-alerts",
      kms_master_key_id: expect.stringMatching(/aws_kms_key/),
    });
    expect(out).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "email",
      endpoint: "oncall@example.com",
    });
  });

  it("lets alarm services publish only from the project's accounts, and only over TLS", () => {
    const policy = JSON.parse(onlyResource(json, "aws_sns_topic_policy").policy as string);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Action: "sns:Publish",
        Principal: { Service: expect.arrayContaining(["cloudwatch.amazonaws.com"]) },
        Condition: {
          StringEquals: { "aws:SourceAccount": ["111111111111", "222222222222", "333333333333"] },
        },
      }),
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
  });
});
