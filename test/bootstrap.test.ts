// `bootstrap`: the state bucket and key, hardened, and the legacy lock table only while shared.yaml names it.
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { LOCK_TABLE_WARNING } from "../stacks/bootstrap.ts";
import { build, onlyResource, sampleConfig, sampleStack, stackOf, synth } from "./helpers.ts";

const { stack, text: out, json } = sampleStack("bootstrap");

describe("the bootstrap stack", () => {
  it("creates the state bucket named in shared.yaml and keeps it on destroy", () => {
    expect(out).toHaveResourceWithProperties(S3Bucket, {
      bucket: "shop-tfstate-111111111111-eu-west-1",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("versions the state bucket", () => {
    expect(out).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: "Enabled" },
    });
  });

  it("encrypts the state with a rotating customer-managed key", () => {
    expect(out).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    const sse = onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: expect.stringMatching(/aws_kms_key\..*\.arn/),
        },
        bucket_key_enabled: true,
      },
    ]);
  });

  it("blocks public access on all four flags and enforces object ownership", () => {
    expect(out).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(out).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  it("denies every request that does not use TLS", () => {
    const policy = JSON.parse(onlyResource(json, "aws_s3_bucket_policy").policy as string);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
  });

  it("expires noncurrent state versions after the configured days", () => {
    expect(out).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        expect.objectContaining({
          status: "Enabled",
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        }),
      ],
    });
  });

  it("creates no DynamoDB lock table: S3 lock files lock the state", () => {
    expect(out).not.toHaveResource(DynamodbTable);
    expect(stack.node.metadata.filter((m) => m.type === "@cdktf/warn")).toEqual([]);
  });

  it("keeps a lock table that shared.yaml still names, hardened, and warns that it is no longer used", () => {
    // GIVEN shared.yaml of an earlier version, which still names its lock table
    const sample = sampleConfig();
    const legacy = stackOf(
      build({
        ...sample,
        shared: { ...sample.shared, state: { ...sample.shared.state, lockTable: "shop-tflock" } },
      }),
      "bootstrap",
    );
    // THEN the deployed table stays, with its protections
    expect(synth(legacy)).toHaveResourceWithProperties(DynamodbTable, {
      name: "shop-tflock",
      hash_key: "LockID",
      billing_mode: "PAY_PER_REQUEST",
      attribute: [{ name: "LockID", type: "S" }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: expect.stringMatching(/aws_kms_key/) },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    // AND synthesis says it is no longer used and how to remove it
    expect(legacy.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data)).toEqual([
      LOCK_TABLE_WARNING,
    ]);
  });
});
