// modules/origin-header: a generated secret header and the listener rule that forwards only requests carrying it.
import { OriginHeader, type OriginHeaderProps } from "../../modules/origin-header/origin-header.ts";
import { findSecrets } from "../../guardrails/secrets.ts";
import { moduleBuilder } from "../helpers.ts";

const MINIMAL: OriginHeaderProps = {
  secretName: "shop-prod-origin-header",
  kmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/k",
  listenerArn: "arn:listener",
  targetGroupArn: "arn:target-group",
};

const header = moduleBuilder((s, p) => new OriginHeader(s, "OriginHeader", p), MINIMAL);

it("keeps the first generated value in a KMS-encrypted secret", () => {
  const built = header();
  const { json } = built;
  expect(built.one("aws_secretsmanager_secret")).toMatchObject({
    name: "shop-prod-origin-header",
    kms_key_id: MINIMAL.kmsKeyArn,
  });
  const generator = Object.keys(json.data!.aws_secretsmanager_random_password!)[0]!;
  expect(json.data!.aws_secretsmanager_random_password![generator]).toMatchObject({
    password_length: 64,
    exclude_punctuation: true,
  });
  expect(built.one("aws_secretsmanager_secret_version")).toMatchObject({
    secret_string: `\${data.aws_secretsmanager_random_password.${generator}.random_password}`,
    lifecycle: { ignore_changes: ["secret_string"] },
  });
  expect(findSecrets(json, "test/cdk.tf.json")).toEqual([]);
});

it("forwards to the target group only requests whose header matches the stored value", () => {
  const built = header({ headerName: "X-From-Cdn", priority: 7 });
  const version = Object.keys(built.json.resource!.aws_secretsmanager_secret_version!)[0]!;
  expect(built.one("aws_lb_listener_rule")).toEqual(
    expect.objectContaining({
      listener_arn: "arn:listener",
      priority: 7,
      condition: [
        {
          http_header: {
            http_header_name: "X-From-Cdn",
            values: [`\${aws_secretsmanager_secret_version.${version}.secret_string}`],
          },
        },
      ],
      action: [{ type: "forward", target_group_arn: "arn:target-group" }],
    }),
  );
});

it("uses X-Origin-Verify at priority 1 by default", () => {
  expect(header().one("aws_lb_listener_rule")).toMatchObject({
    priority: 1,
    condition: [{ http_header: { http_header_name: "X-Origin-Verify" } }],
  });
});
