// modules/backup-plan: a KMS vault (optionally locked), daily and monthly rules, a service role, a tag selection.
import { BackupPlan as BackupPlanResource } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { BackupPlan, type BackupPlanProps } from "../../modules/backup-plan/backup-plan.ts";
import { itRefuses, moduleBuilder, statementsOf, TEST_ACCOUNT, TEST_TARGET } from "../helpers.ts";

const MINIMAL: BackupPlanProps = {
  name: "shop-test-db",
  ...TEST_TARGET,
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k",
  daily: { schedule: "cron(0 3 * * ? *)", retentionDays: 35 },
  monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 365 },
  selectionTag: { key: "Backup", value: "shop-test" },
  vaultLock: undefined,
  protect: true,
};
const plan = moduleBuilder((s, p) => new BackupPlan(s, "Backup", p), MINIMAL);

it("keeps recovery points in a protected KMS vault, daily and monthly, in 60/480-minute windows by default", () => {
  // GIVEN / WHEN a plan with minimal props
  const built = plan();
  // THEN
  expect(built.one(BackupVault)).toMatchObject({
    kms_key_arn: MINIMAL.kmsKeyArn,
    force_destroy: false,
    lifecycle: { prevent_destroy: true },
  });
  expect(built.one(BackupPlanResource).rule).toEqual([
    expect.objectContaining({
      rule_name: "daily",
      schedule: "cron(0 3 * * ? *)",
      start_window: 60,
      completion_window: 480,
      lifecycle: { delete_after: 35 },
    }),
    expect.objectContaining({ rule_name: "monthly", lifecycle: { delete_after: 365 } }),
  ]);
  expect(built.all(BackupVaultLockConfiguration)).toEqual([]);
});

it("selects by tag through a role only AWS Backup of this account assumes", () => {
  const built = plan();
  expect(built.text).toHaveResourceWithProperties(BackupSelection, {
    selection_tag: [{ type: "STRINGEQUALS", key: "Backup", value: "shop-test" }],
  });
  expect(statementsOf(built.one(IamRole), "assume_role_policy")).toMatchObject([
    {
      Principal: { Service: "backup.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": TEST_ACCOUNT } },
    },
  ]);
});

it("locks the vault when asked", () => {
  const lock = { minRetentionDays: 7, maxRetentionDays: 400, changeableForDays: 3 };
  expect(plan({ vaultLock: lock }).text).toHaveResourceWithProperties(BackupVaultLockConfiguration, {
    min_retention_days: 7,
    max_retention_days: 400,
    changeable_for_days: 3,
  });
});

itRefuses(plan, "test/Backup", [
  [
    "a vault lock whose minimum is above its maximum",
    { vaultLock: { minRetentionDays: 400, maxRetentionDays: 7 } },
    "vault lock minRetentionDays (400) must be ≤ maxRetentionDays (7)",
  ],
  [
    "a monthly retention the vault lock would reject",
    { vaultLock: { minRetentionDays: 7, maxRetentionDays: 100 } },
    "monthly retention 365 is outside the vault lock's 7-100 days",
  ],
  [
    "a daily retention the vault lock would reject",
    { vaultLock: { minRetentionDays: 36, maxRetentionDays: 400 } },
    "daily retention 35 is outside the vault lock's 36-400 days",
  ],
]);
