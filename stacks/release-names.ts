// Names the promotion pipeline (`delivery`, shared account) and each `<env>-pipeline` stack must agree on without
// referencing each other: the env stacks come first, so they can only know the pipeline's role and artifact store
// by name, and the pipeline then references the env stacks' roles directly.
import { partitionOf } from "../modules/core/aws.ts";
import { type NameContext, resourceName } from "../modules/core/naming.ts";

/** The account and region of the promotion pipeline (the shared account). */
export interface PipelineHome {
  readonly project: string;
  readonly accountId: string;
  readonly region: string;
}

const shared = (home: PipelineHome): NameContext => ({ project: home.project, environment: "shared" });

/** Name of the shared source connection (the shared stack creates it; the pipeline looks it up by it). */
export function sourceConnectionName(project: string): string {
  return resourceName({ project, environment: "shared" }, "source", { maxLength: 32 });
}

/** Alias of the alerts topic's key (the shared stack creates it; the pipeline's approvals publish with it). */
export function alertsKeyAlias(project: string): string {
  return resourceName({ project, environment: "shared" }, "alerts", { maxLength: 250 });
}

/** Name and ARN of the promotion pipeline's service role, the one principal an env's release role trusts. */
export function pipelineRole(home: PipelineHome): { name: string; arn: string } {
  const name = resourceName(shared(home), "pipeline", { maxLength: 64 });
  return { name, arn: `arn:${partitionOf(home.region)}:iam::${home.accountId}:role/${name}` };
}

/** Name and ARN of the artifact bucket (S3 bucket ARNs carry no account or region). */
export function artifactBucket(home: PipelineHome): { name: string; arn: string } {
  const name = resourceName(shared(home), ["pipeline", home.accountId, home.region], { maxLength: 63 });
  return { name, arn: `arn:${partitionOf(home.region)}:s3:::${name}` };
}

/** What every role that reads or writes pipeline artifacts does with the artifact key. */
export const ARTIFACT_KEY_ACTIONS = [
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "kms:ReEncrypt*",
] as const;

/** Alias of the artifact key: env roles may use the key that carries it (`kms:ResourceAliases`). */
export function artifactKeyAlias(home: PipelineHome): string {
  return resourceName(shared(home), "pipeline-artifacts", { maxLength: 250 });
}

/** File name of an environment's CodeDeploy task definition or appspec template in the build's artifact. */
export function templateFile(environment: string, kind: "taskdef" | "appspec"): string {
  return kind === "taskdef" ? `taskdef-${environment}.json` : `appspec-${environment}.yaml`;
}

/** Where the build finds the templates in the artifact bucket: under this prefix, by `templateFile` name. */
export const TEMPLATES_PREFIX = "templates/";

/** The account and region of an environment's role. */
type RoleAccount = { readonly id: string; readonly region: string };

/** Name and ARN of the role `<project>-<env>-<purpose>` in an environment's account. */
function environmentRole(
  names: NameContext,
  account: RoleAccount,
  purpose: string,
): { name: string; arn: string } {
  const name = resourceName(names, purpose, { maxLength: 64 });
  return { name, arn: `arn:${partitionOf(account.region)}:iam::${account.id}:role/${name}` };
}

/** Name and ARN of an environment's GitHub Actions deploy role (the shared registry admits it by ARN). */
export const githubDeployRole = (names: NameContext, account: RoleAccount) =>
  environmentRole(names, account, "github-release");

/** Name and ARN of an environment's release action role: the promotion pipeline's actions assume it there. */
export const releaseActionRole = (names: NameContext, account: RoleAccount) =>
  environmentRole(names, account, "release");

/** Name and ARN of an environment's release project role (CodePipeline), which marks the images it released. */
export const releaseProjectRole = (names: NameContext, account: RoleAccount) =>
  environmentRole(names, account, "release-project");

/** The SSM parameter the GitHub Actions workflow reads its release target from. */
export function releaseTargetParameterName(names: NameContext): string {
  return `/${names.project}/${names.environment}/app/release-target`;
}

/** ARN of a registry of the shared stack (`<project>/<name>` in the pipeline's account and region). */
export function registryArn(home: PipelineHome, registry: string): string {
  return `arn:${partitionOf(home.region)}:ecr:${home.region}:${home.accountId}:repository/${home.project}/${registry}`;
}
