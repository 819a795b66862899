// The SNS topic every alarm goes to: KMS-encrypted, publishable only by the AWS services that raise alarms, from
// the project's own accounts, with e-mail subscriptions.
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { allowCheck } from "../../guardrails/exceptions.ts";
import { accountRoot, dnsSuffixOf, policy, policyJson } from "../core/aws.ts";
import { KmsKey } from "../kms-key/kms-key.ts";

export interface AlertsTopicProps {
  readonly topicName: string;
  readonly keyAlias: string;
  readonly accountId: string;
  readonly region: string;
  /** Accounts whose alarms and events may publish here (the owner's included automatically). */
  readonly publisherAccountIds: readonly string[];
  readonly emails: readonly string[];
  readonly protect: boolean;
}

/** Services that publish alarms and notifications to the topic. */
const PUBLISHERS = ["cloudwatch", "events", "codestar-notifications", "backup"] as const;

/** The alerts topic and its key. */
export class AlertsTopic extends Construct {
  public readonly resource: SnsTopic;
  public readonly arn: string;
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlertsTopicProps) {
    super(scope, id);
    const accounts = [...new Set([props.accountId, ...props.publisherAccountIds])].sort();
    const services = PUBLISHERS.map((s) => `${s}.${dnsSuffixOf(props.region)}`);
    this.key = new KmsKey(this, "Key", {
      alias: props.keyAlias,
      description: `Encrypts the alerts topic ${props.topicName}`,
      accountId: props.accountId,
      region: props.region,
      protect: props.protect,
      services: services.map((service) => ({
        service,
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        condition: { StringEquals: { "aws:SourceAccount": accounts } },
      })),
    });
    this.resource = new SnsTopic(this, "Resource", { name: props.topicName, kmsMasterKeyId: this.key.arn });
    this.arn = this.resource.arn;
    const topicPolicy = new SnsTopicPolicy(this, "Policy", {
      arn: this.resource.arn,
      policy: policyJson(
        policy(
          {
            Sid: "OwnerManages",
            Effect: "Allow",
            Principal: { AWS: accountRoot(props.region, props.accountId) },
            Action: [
              "sns:GetTopicAttributes",
              "sns:SetTopicAttributes",
              "sns:Subscribe",
              "sns:ListSubscriptionsByTopic",
            ],
            Resource: this.resource.arn,
          },
          {
            Sid: "ServicesPublishFromProjectAccounts",
            Effect: "Allow",
            Principal: { Service: services },
            Action: "sns:Publish",
            Resource: this.resource.arn,
            Condition: { StringEquals: { "aws:SourceAccount": accounts } },
          },
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: this.resource.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ),
      ),
    });
    if (accounts.length > 1)
      allowCheck(
        topicPolicy,
        "CKV_AWS_385",
        "the environment accounts' CloudWatch alarms and EventBridge rules publish to this one shared alerts topic; only AWS service principals may publish, and only from the project's own accounts (aws:SourceAccount)",
      );
    props.emails.forEach(
      (email, i) =>
        new SnsTopicSubscription(this, `Email${i + 1}`, {
          topicArn: this.resource.arn,
          protocol: "email",
          endpoint: email,
        }),
    );
  }
}
