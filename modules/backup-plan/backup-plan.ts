// Long-term retention: an AWS Backup vault (KMS), a plan with daily and monthly rules, and a selection by tag.
import { BackupPlan as BackupPlanResource } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { assumeRolePolicy, dnsSuffixOf, partitionOf } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";

/** One backup rule: when it runs and how long its recovery points live. */
export interface BackupRule {
  /** UTC cron expression, e.g. `cron(0 3 * * ? *)`. */
  readonly schedule: string;
  readonly retentionDays: number;
}

/** WORM lock of the vault; with `changeableForDays` it becomes immutable (compliance mode) after that many days. */
export interface VaultLock {
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  readonly changeableForDays?: number;
}

export interface BackupPlanProps {
  /** Vault, plan, selection and role name; at most 50 characters (the vault's limit). */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly kmsKeyArn: string;
  readonly daily: BackupRule;
  readonly monthly: BackupRule;
  /** Resources carrying this tag key and value are backed up. */
  readonly selectionTag: { readonly key: string; readonly value: string };
  readonly vaultLock: VaultLock | undefined;
  /** prevent_destroy on the vault. */
  readonly protect: boolean;
  /** Minutes a job may wait to start. @default 60 */
  readonly startWindowMinutes?: number;
  /** Minutes a started job may run. @default 480 */
  readonly completionWindowMinutes?: number;
}

const DEFAULT_START_WINDOW = 60;
const DEFAULT_COMPLETION_WINDOW = 480;

/** The vault, its optional lock, the plan, its service role and the tag selection. */
export class BackupPlan extends Construct {
  public readonly vault: BackupVault;
  public readonly resource: BackupPlanResource;
  public readonly vaultName: string;
  public readonly planId: string;

  constructor(scope: Construct, id: string, props: BackupPlanProps) {
    super(scope, id);
    const lock = props.vaultLock;
    if (lock) {
      if (lock.minRetentionDays > lock.maxRetentionDays)
        throw new ModuleError(
          this,
          `vault lock minRetentionDays (${lock.minRetentionDays}) must be ≤ maxRetentionDays (${lock.maxRetentionDays})`,
        );
      for (const [rule, r] of [
        ["daily", props.daily],
        ["monthly", props.monthly],
      ] as const)
        if (r.retentionDays < lock.minRetentionDays || r.retentionDays > lock.maxRetentionDays)
          throw new ModuleError(
            this,
            `${rule} retention ${r.retentionDays} is outside the vault lock's ${lock.minRetentionDays}-${lock.maxRetentionDays} days`,
          );
    }
    const startWindow = props.startWindowMinutes ?? DEFAULT_START_WINDOW;
    const completionWindow = props.completionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW;

    this.vault = new BackupVault(this, "Vault", {
      name: props.name,
      kmsKeyArn: props.kmsKeyArn,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.protect },
    });
    if (lock)
      new BackupVaultLockConfiguration(this, "VaultLock", {
        backupVaultName: this.vault.name,
        minRetentionDays: lock.minRetentionDays,
        maxRetentionDays: lock.maxRetentionDays,
        changeableForDays: lock.changeableForDays,
      });

    const rule = (ruleName: string, r: BackupRule) => ({
      ruleName,
      targetVaultName: this.vault.name,
      schedule: r.schedule,
      startWindow,
      completionWindow,
      lifecycle: { deleteAfter: r.retentionDays },
      recoveryPointTags: { BackupRule: ruleName },
    });
    this.resource = new BackupPlanResource(this, "Resource", {
      name: props.name,
      rule: [rule("daily", props.daily), rule("monthly", props.monthly)],
    });

    const role = new IamRole(this, "Role", {
      name: `${props.name}-backup`.slice(0, 64),
      description: "AWS Backup creates and restores recovery points of the data stores with this role",
      assumeRolePolicy: assumeRolePolicy(`backup.${dnsSuffixOf(props.region)}`, {
        StringEquals: { "aws:SourceAccount": props.accountId },
      }),
    });
    for (const [cid, policy] of [
      ["BackupPolicy", "AWSBackupServiceRolePolicyForBackup"],
      ["RestorePolicy", "AWSBackupServiceRolePolicyForRestores"],
    ] as const)
      new IamRolePolicyAttachment(this, cid, {
        role: role.name,
        policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/service-role/${policy}`,
      });

    new BackupSelection(this, "Selection", {
      name: props.name,
      planId: this.resource.id,
      iamRoleArn: role.arn,
      selectionTag: [{ type: "STRINGEQUALS", key: props.selectionTag.key, value: props.selectionTag.value }],
    });
    this.vaultName = this.vault.name;
    this.planId = this.resource.id;
  }
}
