// `bootstrap`: the remote state itself. Applied once with a local backend, then migrated into its own bucket.
import { Annotations, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { SharedConfig } from "../environments/schema.ts";
import { allowCheck } from "../guardrails/exceptions.ts";
import { resourceName } from "../modules/core/naming.ts";
import { StateStore } from "../modules/state-store/state-store.ts";
import { BaseStack, type StackFrameProps } from "./base-stack.ts";

export interface BootstrapStackProps {
  readonly frame: StackFrameProps;
  readonly state: SharedConfig["state"];
}

/** Synth warning while shared.yaml still names the DynamoDB lock table that S3 lock files replaced. */
export const LOCK_TABLE_WARNING =
  "state.lockTable is no longer used for locking (S3 lock files are); the table is kept so it is not destroyed by surprise. Remove it as the README's State locking section says";

/** The state bucket and its KMS key (plus the legacy lock table while shared.yaml names it). */
export class BootstrapStack extends BaseStack {
  public readonly store: StateStore;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id, props.frame);
    this.store = new StateStore(this, "State", {
      bucketName: props.state.bucket,
      ...(props.state.lockTable === undefined ? {} : { lockTableName: props.state.lockTable }),
      accountId: props.frame.account.id,
      region: props.frame.region,
      keyAlias: resourceName(this.names, "tfstate", { maxLength: 250 }),
      noncurrentVersionDays: props.state.noncurrentVersionDays,
      protect: this.protect,
    });
    allowCheck(
      this.store.bucket.resource,
      "CKV_AWS_18",
      "server access logs would need a log bucket before any state exists; every read and write of state decrypts or encrypts with the state key, so CloudTrail's KMS events already record each access",
    );
    new TerraformOutput(this, "state_bucket", { value: this.store.bucket.name });
    if (this.store.lockTable) {
      Annotations.of(this).addWarning(LOCK_TABLE_WARNING);
      new TerraformOutput(this, "lock_table", { value: this.store.lockTable.name });
    }
    new TerraformOutput(this, "state_key_arn", { value: this.store.key.arn });
  }
}
