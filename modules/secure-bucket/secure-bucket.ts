// An S3 bucket with the hardening every bucket here needs: public access blocked, owner-enforced objects,
// encryption, TLS-only access, versioning and lifecycle.
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { policy, policyJson, type PolicyStatement } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";

export interface SecureBucketProps {
  readonly bucketName: string;
  /** KMS key for SSE-KMS; without one the bucket uses SSE-S3 (needed where a service cannot use KMS, e.g. ALB logs). */
  readonly kmsKeyArn?: string;
  /** Keep the bucket on `terraform destroy`, and refuse deleting a non-empty one. */
  readonly protect: boolean;
  /** Days before noncurrent object versions expire. */
  readonly noncurrentVersionDays: number;
  /** Days before current objects expire. @default - never */
  readonly expirationDays?: number;
  /** Extra statements for the bucket policy (the TLS-only deny is always there). @default - none */
  readonly policyStatements?: readonly PolicyStatement[];
  /** Versioning. @default true */
  readonly versioned?: boolean;
}

/** A private, encrypted, TLS-only bucket. */
export class SecureBucket extends Construct {
  public readonly resource: S3Bucket;
  public readonly arn: string;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const versioned = props.versioned ?? true;
    if (props.expirationDays !== undefined && props.expirationDays < 1)
      throw new ModuleError(this, `expirationDays must be at least 1, got ${props.expirationDays}`);

    this.resource = new S3Bucket(this, "Resource", {
      bucket: props.bucketName,
      forceDestroy: !props.protect,
      lifecycle: { preventDestroy: props.protect },
    });
    this.arn = this.resource.arn;
    this.name = this.resource.bucket;

    new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket: this.resource.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "Ownership", {
      bucket: this.resource.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket: this.resource.id,
      rule: [
        props.kmsKeyArn
          ? {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: props.kmsKeyArn,
              },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    new S3BucketVersioningA(this, "Versioning", {
      bucket: this.resource.id,
      versioningConfiguration: { status: versioned ? "Enabled" : "Suspended" },
    });
    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: this.resource.id,
      rule: [
        {
          id: "expire-noncurrent-and-incomplete",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          ...(props.expirationDays ? { expiration: [{ days: props.expirationDays }] } : {}),
        },
      ],
    });
    new S3BucketPolicy(this, "Policy", {
      bucket: this.resource.id,
      policy: policyJson(
        policy(
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.resource.arn, `${this.resource.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
          ...(props.policyStatements ?? []),
        ),
      ),
    });
  }
}
