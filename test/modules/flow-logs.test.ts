// modules/flow-logs: flow logs of a whole VPC to a KMS-encrypted log group (through a narrow role) or S3 bucket.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { FlowLogs, type FlowLogsProps } from "../../modules/flow-logs/flow-logs.ts";
import { FAKE_NETWORK, itRefuses, moduleBuilder, statementsOf, TEST_TARGET } from "../helpers.ts";

const MINIMAL: FlowLogsProps = {
  vpcId: FAKE_NETWORK.vpcId,
  destination: { kind: "cloudWatchLogs", logGroupName: "/vpc/shop-test", retentionDays: 90 },
  trafficType: "ALL",
  keyAlias: "shop-test-flow-logs",
  ...TEST_TARGET,
  protect: true,
};
const TO_S3: FlowLogsProps["destination"] = {
  kind: "s3",
  bucketName: "shop-test-flow-logs",
  retentionDays: 90,
};
const flowLogs = moduleBuilder((s, p) => new FlowLogs(s, "FlowLogs", p), MINIMAL);

it("logs all traffic of the VPC to a KMS-encrypted, retained log group, aggregated over 600 s by default", () => {
  // GIVEN / WHEN the CloudWatch destination with minimal props
  const built = flowLogs();
  // THEN
  expect(built.one(FlowLog)).toMatchObject({
    vpc_id: FAKE_NETWORK.vpcId,
    traffic_type: "ALL",
    log_destination_type: "cloud-watch-logs",
    max_aggregation_interval: 600,
  });
  expect(built.one(CloudwatchLogGroup)).toMatchObject({
    name: "/vpc/shop-test",
    retention_in_days: 90,
    kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\./),
    lifecycle: { prevent_destroy: true },
  });
});

it("lets its role write to its own log group only", () => {
  const group = `arn:aws:logs:${TEST_TARGET.region}:${TEST_TARGET.accountId}:log-group:/vpc/shop-test`;
  const write = statementsOf(flowLogs().one(IamRolePolicy)).find((s) => s.Sid === "WriteOwnLogGroup");
  expect(write!.Resource).toEqual([group, `${group}:*`]);
});

it("writes Parquet with hourly partitions to an encrypted bucket, without a role, for the S3 destination", () => {
  const built = flowLogs({ destination: TO_S3, maxAggregationIntervalSeconds: 60 });
  expect(built.one(FlowLog)).toMatchObject({
    log_destination_type: "s3",
    max_aggregation_interval: 60,
    destination_options: { file_format: "parquet", per_hour_partition: true },
  });
  expect(built.one(FlowLog)).not.toHaveProperty("iam_role_arn");
  expect(built.all(IamRole)).toEqual([]);
  expect(built.text).toHaveResourceWithProperties(S3Bucket, { bucket: "shop-test-flow-logs" });
  expect(built.exceptions(S3Bucket)).toEqual([["CKV_AWS_18", "CKV_AWS_144", "CKV2_AWS_62"]]);
});

itRefuses(flowLogs, "test/FlowLogs", [
  [
    "a retention shorter than a day in S3",
    { destination: { ...TO_S3, retentionDays: 0 } },
    "retentionDays must be at least 1, got 0",
  ],
  [
    "a retention shorter than a day in CloudWatch Logs",
    { destination: { kind: "cloudWatchLogs", logGroupName: "/vpc/x", retentionDays: -1 } },
    "retentionDays must be at least 1, got -1",
  ],
]);
