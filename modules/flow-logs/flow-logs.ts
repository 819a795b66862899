// VPC flow logs for a whole VPC, to a KMS-encrypted CloudWatch Logs group or S3 bucket.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { allowCheck } from "../../guardrails/exceptions.ts";
import { assumeRolePolicy, dnsSuffixOf, partitionOf, policy, policyJson } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";
import { cloudWatchLogsGrant, KmsKey } from "../kms-key/kms-key.ts";
import { SecureBucket } from "../secure-bucket/secure-bucket.ts";

/** Where the flow log records go. */
export type FlowLogDestination =
  | { readonly kind: "cloudWatchLogs"; readonly logGroupName: string; readonly retentionDays: number }
  | { readonly kind: "s3"; readonly bucketName: string; readonly retentionDays: number };

export interface FlowLogsProps {
  readonly vpcId: string;
  readonly destination: FlowLogDestination;
  readonly trafficType: "ALL" | "ACCEPT" | "REJECT";
  /** Alias of the KMS key that encrypts the records, without `alias/`. */
  readonly keyAlias: string;
  readonly accountId: string;
  readonly region: string;
  /** Keep the key, log group or bucket on `terraform destroy`. */
  readonly protect: boolean;
  /** Longest time a flow is aggregated before it is written: 60 or 600 seconds. @default 600 */
  readonly maxAggregationIntervalSeconds?: 60 | 600;
}

const DEFAULT_AGGREGATION_SECONDS = 600;

/**
 * Flow logs for every ENI of a VPC (satisfies CKV2_AWS_11). The CloudWatch variant writes through a role that
 * may only create streams and put events in its one log group; the S3 variant lets the log delivery service
 * write only under this account's `AWSLogs/` prefix.
 */
export class FlowLogs extends Construct {
  public readonly resource: FlowLog;
  public readonly key: KmsKey;
  /** The log group (CloudWatch destination only). */
  public readonly logGroup?: CloudwatchLogGroup;
  /** The bucket (S3 destination only). */
  public readonly bucket?: SecureBucket;
  public readonly role?: IamRole;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const { accountId, region, destination } = props;
    const aggregation = props.maxAggregationIntervalSeconds ?? DEFAULT_AGGREGATION_SECONDS;
    if (destination.retentionDays < 1)
      throw new ModuleError(this, `retentionDays must be at least 1, got ${destination.retentionDays}`);
    const partition = partitionOf(region);
    const suffix = dnsSuffixOf(region);
    const sourceAccount = { "aws:SourceAccount": accountId };

    if (destination.kind === "cloudWatchLogs") {
      const logGroupArn = `arn:${partition}:logs:${region}:${accountId}:log-group:${destination.logGroupName}`;
      this.key = new KmsKey(this, "Key", {
        alias: props.keyAlias,
        description: "Encrypts the VPC flow logs in CloudWatch Logs",
        accountId,
        region,
        protect: props.protect,
        // CloudWatch Logs may use the key for this one log group only.
        services: [cloudWatchLogsGrant(region, accountId, destination.logGroupName)],
      });
      this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
        name: destination.logGroupName,
        retentionInDays: destination.retentionDays,
        kmsKeyId: this.key.arn,
        lifecycle: { preventDestroy: props.protect },
      });
      this.role = new IamRole(this, "Role", {
        name: destination.logGroupName.slice(0, 64),
        description: "Lets VPC Flow Logs write to its own log group",
        assumeRolePolicy: assumeRolePolicy(`vpc-flow-logs.${suffix}`, {
          StringEquals: sourceAccount,
          ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*` },
        }),
      });
      new IamRolePolicy(this, "RolePolicy", {
        role: this.role.id,
        name: "write-flow-logs",
        policy: policyJson(
          policy(
            {
              Sid: "WriteOwnLogGroup",
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              Resource: [logGroupArn, `${logGroupArn}:*`],
            },
            {
              Sid: "FindOwnLogGroup",
              Effect: "Allow",
              Action: "logs:DescribeLogGroups",
              Resource: `arn:${partition}:logs:${region}:${accountId}:log-group:*`,
            },
          ),
        ),
      });
      this.resource = new FlowLog(this, "Resource", {
        vpcId: props.vpcId,
        trafficType: props.trafficType,
        logDestinationType: "cloud-watch-logs",
        logDestination: this.logGroup.arn,
        iamRoleArn: this.role.arn,
        maxAggregationInterval: aggregation,
        tags: { Name: destination.logGroupName },
      });
    } else {
      const deliveryFrom = { ArnLike: { "aws:SourceArn": `arn:${partition}:logs:${region}:${accountId}:*` } };
      this.key = new KmsKey(this, "Key", {
        alias: props.keyAlias,
        description: "Encrypts the VPC flow logs in S3",
        accountId,
        region,
        protect: props.protect,
        services: [
          {
            service: `delivery.logs.${suffix}`,
            actions: [
              "kms:Encrypt",
              "kms:Decrypt",
              "kms:ReEncrypt*",
              "kms:GenerateDataKey*",
              "kms:DescribeKey",
            ],
            condition: { StringEquals: sourceAccount, ...deliveryFrom },
          },
        ],
      });
      this.bucket = new SecureBucket(this, "Bucket", {
        bucketName: destination.bucketName,
        kmsKeyArn: this.key.arn,
        protect: props.protect,
        noncurrentVersionDays: destination.retentionDays,
        expirationDays: destination.retentionDays,
        policyStatements: [
          {
            Sid: "LogDeliveryWrite",
            Effect: "Allow",
            Principal: { Service: `delivery.logs.${suffix}` },
            Action: "s3:PutObject",
            Resource: `${bucketArn(destination.bucketName, partition)}/AWSLogs/${accountId}/*`,
            Condition: {
              StringEquals: { ...sourceAccount, "s3:x-amz-acl": "bucket-owner-full-control" },
              ...deliveryFrom,
            },
          },
          {
            Sid: "LogDeliveryAclCheck",
            Effect: "Allow",
            Principal: { Service: `delivery.logs.${suffix}` },
            Action: ["s3:GetBucketAcl", "s3:ListBucket"],
            Resource: bucketArn(destination.bucketName, partition),
            Condition: { StringEquals: sourceAccount, ...deliveryFrom },
          },
        ],
      });
      const raw = this.bucket.resource;
      allowCheck(
        raw,
        "CKV_AWS_18",
        "this bucket is itself a log destination; access-logging it would only produce logs about logs",
      );
      allowCheck(
        raw,
        "CKV_AWS_144",
        "flow logs are diagnostic records kept for a retention period; a copy in a second region is not required of them",
      );
      allowCheck(
        raw,
        "CKV2_AWS_62",
        "nothing reacts to new flow-log objects; they are queried on demand (Athena)",
      );
      this.resource = new FlowLog(this, "Resource", {
        vpcId: props.vpcId,
        trafficType: props.trafficType,
        logDestinationType: "s3",
        logDestination: this.bucket.arn,
        maxAggregationInterval: aggregation,
        // Parquet with hourly partitions: cheaper and faster to query with Athena than plain text.
        destinationOptions: { fileFormat: "parquet", perHourPartition: true },
        tags: { Name: destination.bucketName },
      });
    }
  }
}

/** A bucket's ARN from its name, known at synth time (the policy must not depend on the bucket it sits on). */
function bucketArn(name: string, partition: string): string {
  return `arn:${partition}:s3:::${name}`;
}
