// modules/flow-logs: flow logs of a whole VPC to a KMS-encrypted log group (through a narrow role) or S3 bucket.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { FlowLogs, type FlowLogsProps } from "../../modules/flow-logs/flow-logs.ts";
import {
  exceptionsOf,
  FAKE_NETWORK,
  moduleStack,
  onlyResource,
  resourcesOf,
  synth,
  synthJson,
  TEST_ACCOUNT,
  TEST_REGION,
} from "../helpers.ts";

const MINIMAL: FlowLogsProps = {
  vpcId: FAKE_NETWORK.vpcId,
  destination: { kind: "cloudWatchLogs", logGroupName: "/vpc/shop-test", retentionDays: 90 },
  trafficType: "ALL",
  keyAlias: "shop-test-flow-logs",
  accountId: TEST_ACCOUNT,
  region: TEST_REGION,
  protect: true,
};
const TO_S3: FlowLogsProps["destination"] = {
  kind: "s3",
  bucketName: "shop-test-flow-logs",
  retentionDays: 90,
};

const flowLogs = (props: Partial<FlowLogsProps> = {}) =>
  moduleStack((s) => new FlowLogs(s, "FlowLogs", { ...MINIMAL, ...props }));

describe("FlowLogs", () => {
  it("logs all traffic of the VPC to a KMS-encrypted, retained log group, aggregated over 600 s by default", () => {
    // GIVEN / WHEN the CloudWatch destination with minimal props
    const json = synthJson(flowLogs());
    // THEN
    expect(onlyResource(json, FlowLog.tfResourceType)).toMatchObject({
      vpc_id: FAKE_NETWORK.vpcId,
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      max_aggregation_interval: 600,
    });
    expect(onlyResource(json, CloudwatchLogGroup.tfResourceType)).toMatchObject({
      name: "/vpc/shop-test",
      retention_in_days: 90,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\./),
      lifecycle: { prevent_destroy: true },
    });
  });

  it("lets its role write to its own log group only", () => {
    const json = synthJson(flowLogs());
    const { Statement } = JSON.parse(onlyResource(json, IamRolePolicy.tfResourceType).policy as string) as {
      Statement: { Sid: string; Resource: string | string[] }[];
    };
    const group = `arn:aws:logs:eu-west-1:${TEST_ACCOUNT}:log-group:/vpc/shop-test`;
    expect(Statement.find((s) => s.Sid === "WriteOwnLogGroup")!.Resource).toEqual([group, `${group}:*`]);
  });

  it("writes Parquet with hourly partitions to an encrypted bucket, without a role, for the S3 destination", () => {
    const stack = flowLogs({ destination: TO_S3, maxAggregationIntervalSeconds: 60 });
    const json = synthJson(stack);
    expect(onlyResource(json, FlowLog.tfResourceType)).toMatchObject({
      log_destination_type: "s3",
      max_aggregation_interval: 60,
      destination_options: { file_format: "parquet", per_hour_partition: true },
    });
    expect(onlyResource(json, FlowLog.tfResourceType)).not.toHaveProperty("iam_role_arn");
    expect(resourcesOf(json, "aws_iam_role")).toEqual({});
    expect(synth(stack)).toHaveResourceWithProperties(S3Bucket, { bucket: "shop-test-flow-logs" });
    expect(Object.values(exceptionsOf(stack, S3Bucket.tfResourceType))).toEqual([
      ["CKV_AWS_18", "CKV_AWS_144", "CKV2_AWS_62"],
    ]);
  });

  it("refuses a retention shorter than a day, for either destination", () => {
    expect(() => flowLogs({ destination: { ...TO_S3, retentionDays: 0 } })).toThrow(
      "test/FlowLogs: retentionDays must be at least 1, got 0",
    );
    expect(() =>
      flowLogs({ destination: { kind: "cloudWatchLogs", logGroupName: "/vpc/x", retentionDays: -1 } }),
    ).toThrow("test/FlowLogs: retentionDays must be at least 1, got -1");
  });
});
