// `bootstrap`: the state store wired to shared.yaml, and the legacy lock table only while shared.yaml names it.
// How the bucket and key are hardened is StateStore's (test/modules/state-store.test.ts).
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { StateStore } from "../modules/state-store/state-store.ts";
import { type BootstrapStack, LOCK_TABLE_WARNING } from "../stacks/bootstrap.ts";
import { build, sampleConfig, sampleStack, stackOf, synth } from "./helpers.ts";

const { stack, text: out } = sampleStack("bootstrap");

describe("the bootstrap stack", () => {
  it("creates the state store with the bucket named in shared.yaml and keeps it on destroy", () => {
    expect((stack as BootstrapStack).store).toBeInstanceOf(StateStore);
    expect(out).toHaveResourceWithProperties(S3Bucket, {
      bucket: "shop-tfstate-111111111111-eu-west-1",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
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

  it("keeps a lock table that shared.yaml still names, protected, and warns that it is no longer used", () => {
    // GIVEN shared.yaml of an earlier version, which still names its lock table
    const sample = sampleConfig();
    const legacy = stackOf(
      build({
        ...sample,
        shared: { ...sample.shared, state: { ...sample.shared.state, lockTable: "shop-tflock" } },
      }),
      "bootstrap",
    );
    // THEN the deployed table stays, protected like the environment (its hardening: test/modules/state-store)
    expect(synth(legacy)).toHaveResourceWithProperties(DynamodbTable, {
      name: "shop-tflock",
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    // AND synthesis says it is no longer used and how to remove it
    expect(legacy.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data)).toEqual([
      LOCK_TABLE_WARNING,
    ]);
  });
});
