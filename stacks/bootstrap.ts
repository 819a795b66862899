// `bootstrap`: the remote state itself. Applied once with a local backend, then migrated into its own bucket.
import { TerraformOutput } from "cdktf";
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

/** The state bucket, its lock table and their KMS key. */
export class BootstrapStack extends BaseStack {
  public readonly store: StateStore;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id, props.frame);
    this.store = new StateStore(this, "State", {
      bucketName: props.state.bucket,
      lockTableName: props.state.lockTable,
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
    new TerraformOutput(this, "lock_table", { value: this.store.lockTable.name });
    new TerraformOutput(this, "state_key_arn", { value: this.store.key.arn });
  }
}
