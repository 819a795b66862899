// modules/alerts-topic: a KMS-encrypted SNS topic that only alarm-raising services of the project's accounts publish to.
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { AlertsTopic, type AlertsTopicProps } from "../../modules/alerts-topic/alerts-topic.ts";
import { moduleBuilder, statementsOf, TEST_ACCOUNT, TEST_TARGET } from "../helpers.ts";

const MINIMAL: AlertsTopicProps = {
  topicName: "shop-alerts",
  keyAlias: "shop-alerts",
  ...TEST_TARGET,
  publisherAccountIds: [],
  emails: [],
  protect: true,
};
const topic = moduleBuilder((s, p) => new AlertsTopic(s, "Alerts", p), MINIMAL);

it("encrypts the topic with its own key and subscribes nobody by default", () => {
  // GIVEN / WHEN a topic with minimal props
  const built = topic();
  // THEN
  expect(built.one(SnsTopic)).toMatchObject({
    name: "shop-alerts",
    kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Alerts_Key_[0-9A-F]+\.arn\}$/),
  });
  expect(built.all(SnsTopicSubscription)).toEqual([]);
});

it("lets only the alarm-raising services publish, only from the owner's account, only over TLS", () => {
  const statements = statementsOf(topic().one(SnsTopicPolicy));
  expect(statements.map((s) => s.Sid)).toEqual([
    "OwnerManages",
    "ServicesPublishFromProjectAccounts",
    "DenyInsecureTransport",
  ]);
  expect(statements[1]).toMatchObject({
    Principal: {
      Service: [
        "cloudwatch.amazonaws.com",
        "events.amazonaws.com",
        "codestar-notifications.amazonaws.com",
        "backup.amazonaws.com",
      ],
    },
    Condition: { StringEquals: { "aws:SourceAccount": [TEST_ACCOUNT] } },
  });
});

it("admits the publisher accounts once each, sorted, and declares the cross-account exception", () => {
  // GIVEN two other accounts, one of them listed twice with the owner
  const built = topic({ publisherAccountIds: ["333333333333", TEST_ACCOUNT, "222222222222"] });
  // THEN
  expect(statementsOf(built.one(SnsTopicPolicy))[1]!.Condition).toEqual({
    StringEquals: { "aws:SourceAccount": [TEST_ACCOUNT, "222222222222", "333333333333"] },
  });
  expect(built.exceptions(SnsTopicPolicy)).toEqual([["CKV_AWS_385"]]);
});

it("subscribes each e-mail address", () => {
  const { text } = topic({ emails: ["ops@example.com", "oncall@example.com"] });
  for (const endpoint of ["ops@example.com", "oncall@example.com"])
    expect(text).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: "email", endpoint });
});
