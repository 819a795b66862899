// modules/cloudfront-logs: CloudFront access logs delivered to a KMS-encrypted log group, all in us-east-1.
import { CloudFrontLogs } from "../../modules/cloudfront-logs/cloudfront-logs.ts";
import { moduleBuilder } from "../helpers.ts";

const built = moduleBuilder((s, p) => new CloudFrontLogs(s, "AccessLogs", p), {
  name: "shop-prod-frontend",
  distributionArn: "arn:aws:cloudfront::333333333333:distribution/E1",
  retentionDays: 90,
  kmsKeyArn: "arn:aws:kms:us-east-1:333333333333:key/k",
})();

it("puts every part in us-east-1, where CloudFront hands over its logs", () => {
  for (const type of [
    "aws_cloudwatch_log_group",
    "aws_cloudwatch_log_delivery_source",
    "aws_cloudwatch_log_delivery_destination",
    "aws_cloudwatch_log_delivery",
  ])
    expect(built.one(type).region).toBe("us-east-1");
});

it("delivers the distribution's access logs to an encrypted log group kept as long as asked", () => {
  expect(built.one("aws_cloudwatch_log_group")).toMatchObject({
    name: "/aws/vendedlogs/cloudfront/shop-prod-frontend",
    retention_in_days: 90,
    kms_key_id: "arn:aws:kms:us-east-1:333333333333:key/k",
  });
  expect(built.one("aws_cloudwatch_log_delivery_source")).toMatchObject({
    log_type: "ACCESS_LOGS",
    resource_arn: "arn:aws:cloudfront::333333333333:distribution/E1",
  });
  const destination = Object.keys(built.json.resource!.aws_cloudwatch_log_delivery_destination!)[0]!;
  expect(built.one("aws_cloudwatch_log_delivery").delivery_destination_arn).toBe(
    `\${aws_cloudwatch_log_delivery_destination.${destination}.arn}`,
  );
});
