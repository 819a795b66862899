// The remote Terraform state: a KMS-encrypted, versioned S3 bucket, locked with S3 lock files; optionally the
// DynamoDB lock table earlier versions used, kept until its owner removes it.
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { KmsKey } from "../kms-key/kms-key.ts";
import { SecureBucket } from "../secure-bucket/secure-bucket.ts";

export interface StateStoreProps {
  readonly bucketName: string;
  /**
   * Name of a DynamoDB lock table to keep managing. Locking no longer uses it (S3 lock files do); it exists so that
   * a table created by an earlier version is not destroyed by surprise.
   * @default - no table
   */
  readonly lockTableName?: string;
  readonly accountId: string;
  readonly region: string;
  /** Alias of the KMS key, without `alias/`. */
  readonly keyAlias: string;
  readonly noncurrentVersionDays: number;
  /** prevent_destroy and deletion protection on the bucket, table and key. */
  readonly protect: boolean;
}

/** State bucket, its key and, when asked for, the legacy lock table. */
export class StateStore extends Construct {
  public readonly bucket: SecureBucket;
  public readonly lockTable?: DynamodbTable;
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: StateStoreProps) {
    super(scope, id);
    this.key = new KmsKey(this, "Key", {
      alias: props.keyAlias,
      description: `Terraform state in s3://${props.bucketName}`,
      accountId: props.accountId,
      region: props.region,
      protect: props.protect,
    });
    this.bucket = new SecureBucket(this, "Bucket", {
      bucketName: props.bucketName,
      kmsKeyArn: this.key.arn,
      protect: props.protect,
      noncurrentVersionDays: props.noncurrentVersionDays,
    });
    if (props.lockTableName === undefined) return;
    this.lockTable = new DynamodbTable(this, "LockTable", {
      name: props.lockTableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
      deletionProtectionEnabled: props.protect,
      lifecycle: { preventDestroy: props.protect },
    });
  }
}
