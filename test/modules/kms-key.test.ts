// modules/kms-key: a rotating customer-managed key whose policy delegates to IAM, with optional service grants.
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKey, type KmsKeyProps } from "../../modules/kms-key/kms-key.ts";
import { moduleBuilder, statementsOf, TEST_ACCOUNT, TEST_TARGET } from "../helpers.ts";

const MINIMAL: KmsKeyProps = {
  alias: "shop-test-data",
  description: "test data",
  ...TEST_TARGET,
  protect: true,
};

const key = moduleBuilder((s, p) => new KmsKey(s, "Key", p), MINIMAL);
const keyStatements = (change: Partial<KmsKeyProps> = {}) => statementsOf(key(change).one(KmsKeyResource));

it("rotates yearly, waits the longest deletion window and is kept on destroy by default", () => {
  // GIVEN / WHEN a key with minimal props
  const out = key().text;
  // THEN
  expect(out).toHaveResourceWithProperties(KmsKeyResource, {
    enable_key_rotation: true,
    deletion_window_in_days: 30,
    lifecycle: { prevent_destroy: true },
  });
  expect(out).toHaveResourceWithProperties(KmsAlias, { name: "alias/shop-test-data" });
});

it("delegates the key to the account's IAM and to nobody else without grants", () => {
  // GIVEN / WHEN a key without service grants
  const statements = keyStatements();
  // THEN only the account root administers it
  expect(statements).toEqual([
    expect.objectContaining({
      Sid: "AccountAdministersKeyThroughIam",
      Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` },
      Action: "kms:*",
    }),
  ]);
});

it("grants a service the data-key actions under its condition, and the actions it names instead", () => {
  // GIVEN one grant with default actions and one with its own
  const condition = { StringEquals: { "aws:SourceAccount": TEST_ACCOUNT } };
  const statements = keyStatements({
    services: [
      { service: "logs.eu-west-1.amazonaws.com", condition },
      { service: "sns.amazonaws.com", actions: ["kms:Decrypt"] },
    ],
  });
  // THEN
  expect(statements.slice(1)).toEqual([
    expect.objectContaining({
      Sid: "Service0",
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Condition: condition,
    }),
    expect.objectContaining({ Sid: "Service1", Action: ["kms:Decrypt"] }),
  ]);
  expect(statements[2]).not.toHaveProperty("Condition");
});

it("uses the partition of a China region in the root principal", () => {
  const [root] = keyStatements({ region: "cn-north-1" });
  expect(root!.Principal).toEqual({ AWS: `arn:aws-cn:iam::${TEST_ACCOUNT}:root` });
});
