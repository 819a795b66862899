// The schema of environments/shared.yaml: what every environment shares.
import { z } from "zod";
import {
  Account,
  addRepeatIssues,
  addRepeatNameIssues,
  addRoleAccountIssues,
  DomainName,
  EnvironmentName,
  Label,
  Region,
  RoleArn,
  Tags,
} from "./common.ts";
import { PipelineSection } from "./pipeline.ts";

export const Registry = z
  .strictObject({
    name: Label("repository name", 40).describe("Repository name; the ECR name is <project>/<name>"),
    keepTaggedImages: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(30)
      .describe(
        "How many tagged images the lifecycle policy keeps (newest first); images a release marked released-<env>-* are kept apart, by keepReleasedImages",
      ),
    keepReleasedImages: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(100)
      .describe(
        "How many released images (each release tags the image it deploys released-<env>-<digest>) the lifecycle policy keeps, newest first: an image an environment still runs is never expired by the pushes after it",
      ),
    untaggedExpiryDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(7)
      .describe("Days after which untagged images are expired"),
  })
  .describe("An ECR repository");

export const SharedConfigSchema = z
  .strictObject({
    project: Label("project name", 20).describe(
      "Short project name; the prefix of every AWS name (<project>-<env>-<component>)",
    ),
    region: Region.describe("Region of the bootstrap and shared stacks, and the default for environments"),
    account: Account.describe("Account of the bootstrap and shared stacks (state, registries, DNS, alerts)"),
    environments: z
      .array(EnvironmentName)
      .min(1)
      .describe("The environments in promotion order; each has a <name>.yaml file beside this one"),
    state: z
      .strictObject({
        bucket: z
          .string()
          .regex(/^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
            error: (i) => `${JSON.stringify(i.input)} is not a valid S3 bucket name`,
          })
          .describe("S3 bucket that holds every stack's Terraform state (created by the bootstrap stack)"),
        lockTable: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{3,255}$/, {
            error: (i) => `${JSON.stringify(i.input)} is not a valid DynamoDB table name`,
          })
          .optional()
          .describe(
            "Deprecated: the DynamoDB lock table of earlier versions. State is locked with S3 lock files (use_lockfile) now; set it only to keep an existing table until you remove it (README: State locking)",
          ),
        roleArn: z
          .string()
          .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/.+$/)
          .optional()
          .describe("Role the S3 backend assumes to reach the state; omit to use the caller's credentials"),
        bootstrapBackend: z
          .enum(["local", "s3"])
          .default("local")
          .describe(
            "Where the bootstrap stack keeps its own state: local until the bucket exists, then s3 after `terraform init -migrate-state` (see README)",
          ),
        noncurrentVersionDays: z
          .number()
          .int()
          .min(1)
          .max(3650)
          .default(90)
          .describe("Days old state versions are kept before they expire"),
      })
      .describe("Remote state location"),
    dns: z
      .strictObject({
        zoneName: DomainName.describe("The public hosted zone, e.g. example.com"),
        create: z
          .boolean()
          .default(true)
          .describe("Create the hosted zone (true) or look up an existing one by name (false)"),
        roleArn: RoleArn.optional().describe(
          "Role in the zone's account (this file's account) that an environment in another account assumes to write its DNS records; omit when Terraform runs with this account's credentials (README: Credentials). Defaults to account.roleArn",
        ),
        planRoleArn: RoleArn.optional().describe(
          "Read-only role in the zone's account that plans assume instead of the DNS role when TF_VAR_plan=true (pull requests in CI), so a pull request never writes records (README: Continuous integration). Defaults to account.planRoleArn",
        ),
      })
      .optional()
      .describe("Route 53 public hosted zone; omit for an environment without a domain"),
    registries: z.array(Registry).default([]).describe("ECR repositories for the application images"),
    source: z
      .strictObject({
        provider: z
          .enum(["GitHub", "GitHubEnterpriseServer", "Bitbucket", "GitLab"])
          .default("GitHub")
          .describe("Code host of the CodeStar (CodeConnections) connection"),
        repository: z
          .string()
          .regex(/^[\w.-]+\/[\w.-]+$/, { error: (i) => `${JSON.stringify(i.input)} is not owner/repository` })
          .describe("Repository the pipeline builds, as owner/name"),
        branch: z.string().min(1).default("main").describe("Branch that triggers the pipeline"),
      })
      .optional()
      .describe("Source repository connection; omit when no pipeline is used"),
    pipeline: PipelineSection.optional().describe(
      "The release pipeline (build once, promote the image through environments in order); omit to release by hand",
    ),
    alerts: z
      .strictObject({
        emails: z
          .array(z.email({ error: (i) => `${JSON.stringify(i.input)} is not an e-mail address` }))
          .default([])
          .describe("Addresses subscribed to the alerts topic (each confirms by e-mail once)"),
      })
      .prefault({})
      .describe("Where alarms of every stack are sent"),
    tags: Tags,
  })
  .superRefine((s, ctx) => {
    addRepeatIssues(ctx, s.environments, (i) => ["environments", i], "listed");
    // The zone lives in this file's account (the shared stack creates or reads it there).
    addRoleAccountIssues(
      ctx,
      s.dns,
      s.account.id,
      ["dns"],
      `but the hosted zone is in account ${s.account.id}`,
    );
    if (s.dns?.planRoleArn !== undefined && (s.dns.roleArn ?? s.account.roleArn) === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["dns", "planRoleArn"],
        message:
          "a plan role stands in for the DNS role in plans: set dns.roleArn (or account.roleArn) too, or drop dns.planRoleArn",
      });
    if (s.pipeline && !s.source)
      ctx.addIssue({
        code: "custom",
        path: ["pipeline", "delivery"],
        message:
          s.pipeline.delivery === "github-actions"
            ? "github-actions needs the repository its workflows run in: add source.repository (owner/name)"
            : "a pipeline needs source (the repository and connection it builds from)",
      });
    const names = s.registries.map((r) => r.name);
    if (s.pipeline?.registry !== undefined && !names.includes(s.pipeline.registry))
      ctx.addIssue({
        code: "custom",
        path: ["pipeline", "registry"],
        message: `"${s.pipeline.registry}" is not a registry declared under registries (${names.join(", ") || "none"})`,
      });
    else if (s.pipeline && s.pipeline.registry === undefined && names.length !== 1)
      ctx.addIssue({
        code: "custom",
        path: ["pipeline"],
        message: names.length
          ? `name the registry the image is pushed to: registry: one of ${names.join(", ")}`
          : "a pipeline pushes its image to a registry: declare one under registries",
      });
    addRepeatNameIssues(ctx, s.registries, "registries", "declared");
  })
  .describe("Values every environment shares");

export type SharedConfig = z.output<typeof SharedConfigSchema>;
