// modules/state-store: the Terraform state bucket and lock table, both under one KMS key.
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { KmsKey as KmsKeyModule } from "../../modules/kms-key/kms-key.ts";
import { SecureBucket } from "../../modules/secure-bucket/secure-bucket.ts";
import { StateStore, type StateStoreProps } from "../../modules/state-store/state-store.ts";
import { addresses, moduleBuilder, TEST_TARGET } from "../helpers.ts";

const MINIMAL: StateStoreProps = {
  bucketName: "shop-tfstate",
  lockTableName: "shop-tflock",
  ...TEST_TARGET,
  keyAlias: "shop-tfstate",
  noncurrentVersionDays: 90,
  protect: true,
};
const store = moduleBuilder((s, p) => new StateStore(s, "State", p), MINIMAL);

it("keeps a protected bucket, lock table and key on destroy, with deletion protection on the table", () => {
  // GIVEN / WHEN a protected state store
  const { text } = store();
  // THEN
  expect(text).toHaveResourceWithProperties(S3Bucket, {
    bucket: "shop-tfstate",
    lifecycle: { prevent_destroy: true },
  });
  expect(text).toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: true } });
  expect(text).toHaveResourceWithProperties(DynamodbTable, {
    name: "shop-tflock",
    billing_mode: "PAY_PER_REQUEST",
    hash_key: "LockID",
    attribute: [{ name: "LockID", type: "S" }],
    point_in_time_recovery: { enabled: true },
    deletion_protection_enabled: true,
    lifecycle: { prevent_destroy: true },
  });
});

it("keeps the state in a versioned SecureBucket that expires noncurrent versions, under its own KmsKey", () => {
  // GIVEN / WHEN a store keeping noncurrent versions 90 days
  const built = store();
  // THEN the bucket has what every SecureBucket has (public access blocked, owner enforced, TLS only), the key
  // what every KmsKey has (rotation, the longest deletion window): test/modules/secure-bucket and kms-key
  expect(built.construct.bucket).toBeInstanceOf(SecureBucket);
  expect(built.construct.key).toBeInstanceOf(KmsKeyModule);
  expect(built.text).toHaveResourceWithProperties(S3BucketVersioningA, {
    versioning_configuration: { status: "Enabled" },
  });
  expect(built.one(S3BucketLifecycleConfiguration).rule).toEqual([
    expect.objectContaining({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 90 }] }),
  ]);
});

it("creates no lock table unless one is named", () => {
  const built = store({ lockTableName: undefined });
  expect(built.all(DynamodbTable)).toEqual([]);
  expect(built.construct.lockTable).toBeUndefined();
});

it("encrypts the bucket and the table with its own key", () => {
  const built = store();
  const [keyAddress] = addresses(built.json, KmsKey.tfResourceType);
  const keyArn = `\${${keyAddress}.arn}`;
  expect(built.one(DynamodbTable).server_side_encryption).toEqual({ enabled: true, kms_key_arn: keyArn });
  expect(built.one(S3BucketServerSideEncryptionConfigurationA).rule).toEqual([
    expect.objectContaining({
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn },
    }),
  ]);
});

it("lets an unprotected store be destroyed", () => {
  expect(store({ protect: false }).text).toHaveResourceWithProperties(DynamodbTable, {
    deletion_protection_enabled: false,
    lifecycle: { prevent_destroy: false },
  });
});
