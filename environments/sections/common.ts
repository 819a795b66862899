// Field types and refinement helpers shared by every section of the environment schema.
import { z } from "zod";

/** Every AWS commercial, GovCloud and China region name, as of the provider 6.x region list. */
export const AWS_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
] as const;

export const Region = z
  .enum(AWS_REGIONS, {
    error: (i) => `${JSON.stringify(i.input)} is not an AWS region (for example eu-west-1, us-east-1)`,
  })
  .describe("An AWS region name");

export const AccountId = z
  .string({ error: "must be a 12-digit AWS account id in quotes (a YAML number loses leading zeros)" })
  .regex(/^\d{12}$/, { error: (i) => `${JSON.stringify(i.input)} is not a 12-digit AWS account id` })
  .describe("A 12-digit AWS account id, quoted");

export const RoleArn = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
    error: (i) => `${JSON.stringify(i.input)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
  })
  .describe("An IAM role ARN");

/** Lower-case DNS label: the shape every derived AWS name is built from. */
export const Label = (what: string, max: number) =>
  z
    .string()
    .regex(new RegExp(`^[a-z][a-z0-9-]{0,${max - 2}}[a-z0-9]$`), {
      error: (i) =>
        `${JSON.stringify(i.input)} is not a valid ${what}: 2-${max} characters, lower-case letters, digits and hyphens, starting with a letter`,
    })
    .describe(`The ${what}`);

export const EnvironmentName = Label("environment name", 12);

export const DomainName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: (i) => `${JSON.stringify(i.input)} is not a lower-case DNS name such as app.example.com`,
  })
  .describe("A fully qualified, lower-case DNS name without the trailing dot");

export const Account = z
  .strictObject({
    id: AccountId.describe(
      "The AWS account the stacks are deployed to; plans refuse to run against any other",
    ),
    roleArn: RoleArn.optional().describe(
      "Role Terraform assumes in that account. Terraform runs with the shared account's credentials, so an environment in another account must name one; omit it in the shared account to use the caller's credentials",
    ),
    planRoleArn: RoleArn.optional().describe(
      "Read-only role in that account that plans assume instead of roleArn when TF_VAR_plan=true (pull requests in CI): a pull request's plan role may assume it and never roleArn (README: Continuous integration)",
    ),
  })
  .superRefine((a, ctx) => {
    addRoleAccountIssues(ctx, a, a.id, [], `not in this account (${a.id})`);
    if (a.planRoleArn !== undefined && a.roleArn === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["planRoleArn"],
        message: "a plan role stands in for roleArn in plans: set roleArn too, or drop planRoleArn",
      });
  })
  .describe("Target AWS account");

export const Tags = z
  .record(
    z.string().regex(/^[\w .:/=+@-]{1,128}$/, {
      error: "tag keys are 1-128 characters of letters, digits and _ .:/=+-@",
    }),
    z.string().max(256),
  )
  .default({})
  .describe("Extra tags applied to every resource through the provider's default_tags");

/**
 * Adds an issue at `<path>.roleArn` and `<path>.planRoleArn` for each of the two roles that is not in `accountId`:
 * `the role is in account <owner>, <expected>`, where `expected` says which account it must be in.
 */
export function addRoleAccountIssues(
  ctx: z.RefinementCtx,
  roles: { readonly roleArn?: string | undefined; readonly planRoleArn?: string | undefined } | undefined,
  accountId: string,
  path: readonly string[],
  expected: string,
): void {
  for (const key of ["roleArn", "planRoleArn"] as const) {
    const owner = roles?.[key]?.split(":")[4];
    if (owner !== undefined && owner !== accountId)
      ctx.addIssue({
        code: "custom",
        path: [...path, key],
        message: `the role is in account ${owner}, ${expected}`,
      });
  }
}

/** Adds an issue at every repeat of a value (the first occurrence stays quiet): `"x" is <verb> twice`. */
export function addRepeatIssues(
  ctx: z.RefinementCtx,
  values: readonly string[],
  pathOf: (i: number) => (string | number)[],
  verb: "listed" | "declared" | "used",
): void {
  values.forEach((v, i) => {
    if (values.indexOf(v) !== i)
      ctx.addIssue({ code: "custom", path: pathOf(i), message: `"${v}" is ${verb} twice` });
  });
}

/** Adds an issue at every repeat of a name in the list under `key`, at `<key>.<i>.name`. */
export function addRepeatNameIssues(
  ctx: z.RefinementCtx,
  items: readonly { readonly name: string }[],
  key: string,
  verb: "listed" | "declared" | "used",
): void {
  addRepeatIssues(
    ctx,
    items.map((x) => x.name),
    (i) => [key, i, "name"],
    verb,
  );
}

/** An alarm threshold in percent of a resource's capacity. */
export const AlarmPercent = (what: string) => z.number().min(1).max(100).default(80).describe(what);

export const Days = (what: string, dflt: number, max = 3650) =>
  z.number().int().min(1).max(max).default(dflt).describe(what);

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const LogRetentionDays = (dflt: (typeof LOG_RETENTION_DAYS)[number], what: string) =>
  z
    .number()
    .int()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      error: (i) =>
        `${String(i.input)} is not a CloudWatch Logs retention; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .default(dflt)
    .describe(what);

/** Reports `low` above `high` on the `low` key: `minTasks (8) must be ≤ maxTasks (4)`. */
export function addOrderIssue<K extends string>(
  ctx: z.RefinementCtx,
  o: Record<K, number>,
  low: K,
  high: K,
): void {
  if (o[low] > o[high])
    ctx.addIssue({
      code: "custom",
      path: [low],
      message: `${low} (${o[low]}) must be ≤ ${high} (${o[high]})`,
    });
}
