// `shared`: what every environment uses: image registries, the DNS zone, the source connection and the alerts topic.
import { CodestarconnectionsConnection } from "@cdktf/provider-aws/lib/codestarconnections-connection";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { SharedConfig } from "../environments/schema.ts";
import { allowCheck } from "../guardrails/exceptions.ts";
import { AlertsTopic } from "../modules/alerts-topic/alerts-topic.ts";
import { accountRoot, dnsSuffixOf } from "../modules/core/aws.ts";
import { resourceName } from "../modules/core/naming.ts";
import { EcrRepository } from "../modules/ecr-repository/ecr-repository.ts";
import { KmsKey } from "../modules/kms-key/kms-key.ts";
import type { SharedOutputs } from "./contracts.ts";
import { BaseStack, type StackFrameProps } from "./base-stack.ts";
import { alertsKeyAlias, sourceConnectionName } from "./release-names.ts";

export interface SharedStackProps {
  readonly frame: StackFrameProps;
  readonly config: SharedConfig;
  /** Accounts of the environments: they pull images and publish alarms. */
  readonly consumerAccountIds: readonly string[];
  /**
   * How releases reach the registry they use: the GitHub Actions deploy role that pushes the image, and the release
   * principals that tag each image they deployed `released-<env>-<digest>` (roles of other accounts are admitted
   * by the repository's policy; this account's need only their own). @default - no releases
   */
  readonly release?: {
    readonly registry: string;
    readonly pushRoleArn?: string;
    readonly markRoleArns: readonly string[];
  };
}

/** Registries, DNS zone, source connection and alerts topic. */
export class SharedStack extends BaseStack {
  public readonly outputs: SharedOutputs;

  constructor(scope: Construct, id: string, props: SharedStackProps) {
    super(scope, id, props.frame);
    const { config, frame } = props;
    const otherAccounts = props.consumerAccountIds.filter((a) => a !== frame.account.id);
    const { protect } = this;

    const elsewhere = (arn: string) => arn.split(":")[4] !== frame.account.id;
    const release = props.release;
    const repositoryUrls: Record<string, string> = {};
    const repositoryArns: Record<string, string> = {};
    if (config.registries.length > 0) {
      const key = new KmsKey(this, "RegistryKey", {
        alias: resourceName(this.names, "ecr", { maxLength: 250 }),
        description: "Encrypts the container images in ECR",
        accountId: frame.account.id,
        region: frame.region,
        protect,
        // Environment accounts decrypt image layers only through ECR.
        statements: otherAccounts.length
          ? [
              {
                Sid: "EnvironmentAccountsDecryptViaEcr",
                Effect: "Allow",
                Principal: { AWS: otherAccounts.map((a) => accountRoot(frame.region, a)) },
                Action: ["kms:Decrypt", "kms:DescribeKey"],
                Resource: "*",
                Condition: {
                  StringEquals: { "kms:ViaService": `ecr.${frame.region}.${dnsSuffixOf(frame.region)}` },
                },
              },
            ]
          : [],
      });
      for (const r of config.registries) {
        const repo = new EcrRepository(this, `Registry-${r.name}`, {
          repositoryName: `${config.project}/${r.name}`,
          kmsKeyArn: key.arn,
          keepTaggedImages: r.keepTaggedImages,
          untaggedExpiryDays: r.untaggedExpiryDays,
          keepReleasedImages: r.keepReleasedImages,
          pullAccountIds: otherAccounts,
          ...(r.name === release?.registry
            ? {
                // GitHub Actions builds in the first released environment's job: its role pushes across accounts.
                pushRoleArns: [release.pushRoleArn].filter(
                  (a): a is string => a !== undefined && elsewhere(a),
                ),
                markRoleArns: release.markRoleArns.filter(elsewhere),
              }
            : {}),
          region: frame.region,
          protect,
        });
        repositoryUrls[r.name] = repo.url;
        repositoryArns[r.name] = repo.arn;
        new TerraformOutput(this, `registry_${r.name.replace(/-/g, "_")}_url`, { value: repo.url });
      }
    }

    let zone: SharedOutputs["zone"];
    if (config.dns) {
      if (config.dns.create) {
        const z = new Route53Zone(this, "Zone", {
          name: config.dns.zoneName,
          comment: `${config.project}: public zone, managed by cdktf`,
          lifecycle: { preventDestroy: protect },
        });
        allowCheck(
          z,
          "CKV2_AWS_38",
          "DNSSEC signing needs a us-east-1 KMS signing key and a DS record at the registrar, and losing either takes the whole domain offline: an operational decision for the domain's owner, not a default",
        );
        allowCheck(
          z,
          "CKV2_AWS_39",
          "query logging of a public zone needs a CloudWatch log group in us-east-1 and a second provider in this stack; the zone only serves the load balancers' aliases, whose requests the ALB access logs and WAF already record",
        );
        zone = { id: z.zoneId, name: config.dns.zoneName };
        new TerraformOutput(this, "zone_name_servers", {
          value: z.nameServers,
          description: "Delegate the domain to these name servers at its registrar",
        });
      } else {
        const z = new DataAwsRoute53Zone(this, "Zone", { name: config.dns.zoneName, privateZone: false });
        zone = { id: z.zoneId, name: config.dns.zoneName };
      }
    }

    let connectionArn: string | undefined;
    // GitHub Actions reaches the repository itself: a connection would only wait, PENDING, for a console approval.
    if (config.source && config.pipeline?.delivery !== "github-actions") {
      // Created PENDING: approve it once in the console (Developer Tools > Connections) after the first apply.
      const connection = new CodestarconnectionsConnection(this, "SourceConnection", {
        name: sourceConnectionName(config.project),
        providerType: config.source.provider,
      });
      connectionArn = connection.arn;
      new TerraformOutput(this, "source_connection_arn", { value: connection.arn });
    }

    const alerts = new AlertsTopic(this, "Alerts", {
      topicName: resourceName(this.names, "alerts", { maxLength: 256 }),
      keyAlias: alertsKeyAlias(config.project),
      accountId: frame.account.id,
      region: frame.region,
      publisherAccountIds: props.consumerAccountIds,
      emails: config.alerts.emails,
      protect,
    });
    new TerraformOutput(this, "alerts_topic_arn", { value: alerts.arn });

    this.outputs = {
      repositoryUrls,
      repositoryArns,
      alertsTopicArn: alerts.arn,
      alertsKeyArn: alerts.key.arn,
      ...(zone ? { zone } : {}),
      ...(connectionArn ? { connectionArn } : {}),
    };
  }
}
