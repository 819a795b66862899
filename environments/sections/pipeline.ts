// The delivery sections: `pipeline:` in shared.yaml (how the image is built and which events start a release) and
// `pipeline:` in an environment's file (how that environment is released: approval, migration).
import { z } from "zod";
import { LogRetentionDays } from "./common.ts";

/**
 * Whether `pattern` is a glob CodePipeline's Git tag and file-path filters accept: no whitespace or control
 * characters, and every `[...]` and `{...}` closed and non-empty. Returns the problem, or undefined.
 */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return "is empty";
  if (pattern.length > 255) return "is longer than 255 characters";
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(pattern)) return "contains whitespace or a control character";
  const stack: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\") {
      i++;
      continue;
    }
    if (ch === "[" || ch === "{") {
      if (pattern[i + 1] === (ch === "[" ? "]" : "}")) return `has an empty ${ch}${ch === "[" ? "]" : "}"}`;
      stack.push(ch);
    } else if (ch === "]" || ch === "}") {
      const open = stack.pop();
      if (open !== (ch === "]" ? "[" : "{")) return `has a ${ch} without its opening bracket`;
    }
  }
  if (stack.length) return `has a ${stack.at(-1)} that is never closed`;
  return undefined;
}

const Glob = (what: string) =>
  z
    .string()
    .superRefine((s, ctx) => {
      const problem = globProblem(s);
      if (problem)
        ctx.addIssue({ code: "custom", message: `${JSON.stringify(s)} is not a valid glob: ${problem}` });
    })
    .describe(what);

const PushTrigger = z
  .strictObject({
    branches: z
      .array(Glob("A branch name or glob, e.g. main or release/*"))
      .min(1)
      .optional()
      .describe("Branches whose pushes start a release; defaults to shared.yaml source.branch"),
    includePaths: z
      .array(Glob("A file path glob, e.g. src/**"))
      .default([])
      .describe("Only pushes that change a matching file start a release; [] = any file"),
    excludePaths: z
      .array(Glob("A file path glob, e.g. docs/**"))
      .default([])
      .describe("Pushes that change only matching files start nothing"),
  })
  .describe("Releases on pushes to branches");

const Tests = z
  .strictObject({
    command: z
      .string()
      .min(1)
      .default("make test")
      .describe("Shell command that runs the unit tests in the build, before the image is built"),
    reports: z
      .string()
      .min(1)
      .default("reports/**/*.xml")
      .describe("Glob of the test report files the command writes, published to a CodeBuild report group"),
    format: z
      .enum(["JUNITXML", "CUCUMBERJSON", "TESTNGXML", "VISUALSTUDIOTRX", "NUNITXML", "NUNIT3XML"])
      .default("JUNITXML")
      .describe("Format of the report files"),
  })
  .describe("Unit tests and their reports");

/** `pipeline:` in shared.yaml. */
export const PipelineSection = z
  .strictObject({
    delivery: z
      .enum(["codepipeline", "github-actions"])
      .default("codepipeline")
      .describe(
        "Who releases: codepipeline (one promotion pipeline in the shared account, README: Delivery) or github-actions (workflows in the application repository assume a deploy role per environment)",
      ),
    githubOidcProvider: z
      .enum(["create", "existing"])
      .default("create")
      .describe(
        "github-actions: create = the first released environment of each account creates that account's token.actions.githubusercontent.com OIDC provider (IAM allows one per account); existing = every account has one already",
      ),
    registry: z
      .string()
      .optional()
      .describe(
        "The shared.yaml registry the image is pushed to; defaults to the only one declared (required with several)",
      ),
    executionMode: z
      .enum(["QUEUED", "SUPERSEDED"])
      .default("QUEUED")
      .describe(
        "QUEUED releases every commit in order; SUPERSEDED lets a newer commit replace one still waiting",
      ),
    onPush: PushTrigger.prefault({}).describe(
      "Pushes to these branches (with optional file filters) start a release",
    ),
    onTags: z
      .array(Glob("A Git tag glob, e.g. v*"))
      .default([])
      .describe("Git tags matching these globs start a release too (e.g. [v*]); [] = tags start nothing"),
    build: z
      .strictObject({
        tests: Tests.prefault({}),
        frontend: z
          .strictObject({
            command: z
              .string()
              .min(1)
              .default("npm ci && npm run build")
              .describe("Shell command that builds the static site, once per release"),
            outputDir: z
              .string()
              .min(1)
              .default("dist")
              .describe(
                "Folder the command writes the site to: index.html at its top for a single-page app; the static files under their paths when frontend.defaultOrigin is app",
              ),
          })
          .prefault({})
          .describe("The static site's build; used when an environment has a frontend"),
        dockerfile: z.string().min(1).default("Dockerfile").describe("Dockerfile path in the repository"),
        context: z.string().min(1).default(".").describe("Docker build context in the repository"),
        computeType: z
          .enum([
            "BUILD_GENERAL1_SMALL",
            "BUILD_GENERAL1_MEDIUM",
            "BUILD_GENERAL1_LARGE",
            "BUILD_GENERAL1_XLARGE",
            "BUILD_GENERAL1_2XLARGE",
          ])
          .default("BUILD_GENERAL1_MEDIUM")
          .describe("CodeBuild compute type of the build"),
        timeoutMinutes: z
          .number()
          .int()
          .min(5)
          .max(480)
          .default(30)
          .describe("The build is stopped after this"),
        logRetentionDays: LogRetentionDays(365, "Days the build and release logs are kept"),
      })
      .prefault({})
      .describe("The one build of each release: tests, then the image"),
  })
  .describe("The release pipeline: builds the image once and promotes it through the environments in order");

export type PipelineConfig = z.output<typeof PipelineSection>;

/** `pipeline:` in an environment's file. */
export const ReleaseSection = z
  .strictObject({
    approval: z
      .boolean()
      .optional()
      .describe(
        "Stop for a manual approval (announced on the alerts topic with the previous environment's URL and the image digest) before releasing here; defaults to the environment's protected. false = promoted automatically",
      ),
    migration: z
      .strictObject({
        command: z
          .array(z.string().min(1))
          .min(1)
          .describe('Command run before the deploy, in ECS form, e.g. ["python", "manage.py", "migrate"]'),
        timeoutMinutes: z
          .number()
          .int()
          .min(1)
          .max(480)
          .default(30)
          .describe("The migration fails the release when it runs longer"),
      })
      .optional()
      .describe(
        "A one-off ECS task from the released image, in the private subnets with the application's task role and secrets; a non-zero exit fails the release",
      ),
  })
  .prefault({})
  .describe("How the release pipeline releases this environment");

export type ReleaseConfig = z.output<typeof ReleaseSection>;
