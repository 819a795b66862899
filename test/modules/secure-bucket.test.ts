// modules/secure-bucket: public access blocked, owner-enforced, encrypted, TLS-only, versioned, with a lifecycle.
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecureBucket, type SecureBucketProps } from "../../modules/secure-bucket/secure-bucket.ts";
import { type BuiltModule, itRefuses, moduleBuilder, statementsOf } from "../helpers.ts";

const MINIMAL: SecureBucketProps = { bucketName: "shop-test-logs", protect: true, noncurrentVersionDays: 30 };

const bucket = moduleBuilder((s, p) => new SecureBucket(s, "Bucket", p), MINIMAL);
type Bucket = BuiltModule<SecureBucket>;

it("blocks public access, enforces the owner, versions and keeps the bucket on destroy by default", () => {
  // GIVEN / WHEN a bucket with minimal props
  const out = bucket().text;
  // THEN
  expect(out).toHaveResourceWithProperties(S3Bucket, {
    bucket: "shop-test-logs",
    force_destroy: false,
    lifecycle: { prevent_destroy: true },
  });
  expect(out).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  expect(out).toHaveResourceWithProperties(S3BucketOwnershipControls, {
    rule: { object_ownership: "BucketOwnerEnforced" },
  });
  expect(out).toHaveResourceWithProperties(S3BucketVersioningA, {
    versioning_configuration: { status: "Enabled" },
  });
});

it("encrypts with SSE-S3 without a key and with the key (and a bucket key) when given one", () => {
  const sse = (built: Bucket) => (built.one(S3BucketServerSideEncryptionConfigurationA).rule as unknown[])[0];
  expect(sse(bucket())).toEqual({
    apply_server_side_encryption_by_default: { sse_algorithm: "AES256" },
  });
  expect(sse(bucket({ kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k" }))).toEqual({
    apply_server_side_encryption_by_default: {
      sse_algorithm: "aws:kms",
      kms_master_key_id: "arn:aws:kms:eu-west-1:111111111111:key/k",
    },
    bucket_key_enabled: true,
  });
});

it("denies every request without TLS, before any statement the caller adds", () => {
  const built = bucket({ policyStatements: [{ Sid: "Extra", Effect: "Allow", Action: "s3:GetObject" }] });
  const statements = statementsOf(built.one(S3BucketPolicy));
  expect(statements.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "Extra"]);
  expect(statements[0]).toMatchObject({
    Effect: "Deny",
    Action: "s3:*",
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
});

it("expires noncurrent versions and stale uploads, and current objects only when asked", () => {
  const rule = (built: Bucket) =>
    (built.one(S3BucketLifecycleConfiguration).rule as Record<string, unknown>[])[0]!;
  const kept = rule(bucket());
  expect(kept).toMatchObject({
    noncurrent_version_expiration: [{ noncurrent_days: 30 }],
    abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
  });
  expect(kept).not.toHaveProperty("expiration");
  expect(rule(bucket({ expirationDays: 90 }))).toMatchObject({ expiration: [{ days: 90 }] });
});

it("lets an unprotected bucket be destroyed with its objects, and suspends versioning when asked", () => {
  const out = bucket({ protect: false, versioned: false }).text;
  expect(out).toHaveResourceWithProperties(S3Bucket, {
    force_destroy: true,
    lifecycle: { prevent_destroy: false },
  });
  expect(out).toHaveResourceWithProperties(S3BucketVersioningA, {
    versioning_configuration: { status: "Suspended" },
  });
});

itRefuses(bucket, "test/Bucket", [
  ["an expiration shorter than a day", { expirationDays: 0 }, "expirationDays must be at least 1, got 0"],
]);
