// CloudFront standard logging (v2): access logs delivered by CloudWatch Logs to a KMS-encrypted log group.
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";

export interface CloudFrontLogsProps {
  /** Name of the delivery source and destination; the log group is `/aws/vendedlogs/cloudfront/<name>`. */
  readonly name: string;
  readonly distributionArn: string;
  readonly retentionDays: number;
  /** KMS key in us-east-1 that CloudWatch Logs may use there. */
  readonly kmsKeyArn: string;
}

/**
 * CloudFront hands its log deliveries to CloudWatch Logs in us-east-1 only, so every resource here is placed
 * there through the per-resource region argument. Chosen over legacy logging to S3, which needs ACLs on the log
 * bucket (Object Ownership other than BucketOwnerEnforced), and gives retention in days without a lifecycle rule.
 */
export class CloudFrontLogs extends Construct {
  /** The delivery from the distribution to the log group. */
  public readonly resource: CloudwatchLogDelivery;
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: CloudFrontLogsProps) {
    super(scope, id);
    const region = "us-east-1";
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/aws/vendedlogs/cloudfront/${props.name}`,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
      region,
    });
    const source = new CloudwatchLogDeliverySource(this, "Source", {
      name: props.name,
      logType: "ACCESS_LOGS",
      resourceArn: props.distributionArn,
      region,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, "Destination", {
      name: props.name,
      deliveryDestinationConfiguration: [{ destinationResourceArn: this.logGroup.arn }],
      region,
    });
    this.resource = new CloudwatchLogDelivery(this, "Resource", {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      region,
    });
  }
}
