// An IAM role that one GitHub Actions environment of one repository assumes through OIDC to release the
// application: push its image (the first environment only), register its task family, update its service, run its
// migration, record the released image, publish its site, and nothing more.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { ecrPushStatements, policyJson, type PolicyStatement } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";
import {
  codeDeployReleaseStatements,
  codeDeployRevisionStatements,
  markReleasedStatement,
  migrationStatements,
  passTaskRolesStatement,
  type ReleasedService,
  type ReleasedSite,
  serviceReleaseStatements,
  siteReleaseStatements,
} from "../core/release.ts";

/** GitHub's OIDC issuer, without the scheme (the form IAM condition keys use). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** `owner/repo` as GitHub spells them: no wildcard can slip into the trust policy. */
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
/** GitHub environment names: no wildcard either. */
const ENVIRONMENT = /^[A-Za-z0-9_.-]{1,255}$/;

/** How the service is released: the deployment mode of the ECS stack. */
export type GithubReleaseDeployment =
  | { readonly type: "rolling" }
  | { readonly type: "codeDeploy"; readonly applicationName: string; readonly deploymentGroupName: string }
  /** ECS-native blue/green: `UpdateService` plus the managed policy the ECS stack publishes for releases. */
  | { readonly type: "nativeBlueGreen"; readonly releasePolicyArn: string };

export interface GithubDeployRoleProps {
  readonly roleName: string;
  /** The account's `token.actions.githubusercontent.com` OIDC provider. */
  readonly oidcProviderArn: string;
  /** `owner/repo` of the application repository. */
  readonly repository: string;
  /** The GitHub environment whose jobs may assume the role (its protection rules gate production). */
  readonly githubEnvironment: string;
  /** The service the workflow releases, in this role's account and region. */
  readonly service: ReleasedService;
  readonly deployment: GithubReleaseDeployment;
  /** The task and execution roles the task definitions name (passed to ECS tasks only). */
  readonly passRoleArns: readonly string[];
  /** SSM parameter where a release records the image it deployed (the ECS stack reads it back). */
  readonly releaseParameterArn: string;
  /** SSM parameter describing the release target, which the workflow reads first. */
  readonly targetParameterArn: string;
  /** The repository of the released image, where the release tags it `released-<env>-<digest>`. */
  readonly releasedRepositoryArn: string;
  /**
   * ECR repositories the workflow pushes the image to: the first environment's job builds it once.
   * @default - none: the environment deploys the image an earlier environment pushed
   */
  readonly pushRepositoryArns?: readonly string[];
  /** Task definition family of the migration the workflow runs before the deploy. @default - no migration */
  readonly migrationFamily?: string;
  /** The frontend a release syncs and invalidates. @default - no frontend */
  readonly frontend?: ReleasedSite;
  /** Longest session a job gets, in seconds: a release with a migration and a blue/green bake. @default 14400 */
  readonly maxSessionSeconds?: number;
}

/** What a release job's credentials last by default (docs/github-actions: role-duration-seconds). */
export const DEFAULT_MAX_SESSION_SECONDS = 4 * 3600;

/** The deploy role of one environment for GitHub Actions; no AWS key is ever stored in GitHub. */
export class GithubDeployRole extends Construct {
  public readonly resource: IamRole;
  public readonly arn: string;
  /** The inline policy, for Checkov exceptions beside it. */
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    if (!REPOSITORY.test(props.repository))
      throw new ModuleError(this, `repository "${props.repository}" must be owner/repo, without wildcards`);
    if (!ENVIRONMENT.test(props.githubEnvironment))
      throw new ModuleError(
        this,
        `githubEnvironment "${props.githubEnvironment}" is not a GitHub environment name`,
      );
    if (props.passRoleArns.length === 0)
      throw new ModuleError(this, "passRoleArns must name the task's roles");
    const maxSession = props.maxSessionSeconds ?? DEFAULT_MAX_SESSION_SECONDS;

    this.resource = new IamRole(this, "Resource", {
      name: props.roleName,
      description: `GitHub Actions environment ${props.githubEnvironment} of ${props.repository} releases here`,
      maxSessionDuration: maxSession,
      assumeRolePolicy: policyJson({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: props.oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            // StringEquals on both: a job of another repository, branch or environment gets no token accepted.
            Condition: {
              StringEquals: {
                [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
                [`${GITHUB_OIDC_HOST}:sub`]: `repo:${props.repository}:environment:${props.githubEnvironment}`,
              },
            },
          },
        ],
      }),
    });
    this.arn = this.resource.arn;

    const { service, deployment } = props;
    const push = props.pushRepositoryArns ?? [];
    const statements: PolicyStatement[] = [
      ...(push.length ? ecrPushStatements(push) : []),
      ...(deployment.type === "codeDeploy"
        ? codeDeployReleaseStatements(service, deployment.applicationName, deployment.deploymentGroupName)
        : serviceReleaseStatements(service)),
      passTaskRolesStatement(props.passRoleArns),
    ];
    // The workflow copies the family's newest revision (Terraform's) with the released image, also for CodeDeploy.
    if (deployment.type === "codeDeploy") statements.push(...codeDeployRevisionStatements(service));
    if (props.migrationFamily !== undefined)
      statements.push(...migrationStatements(service, props.migrationFamily));
    statements.push(
      { Sid: "ReadTarget", Effect: "Allow", Action: "ssm:GetParameter", Resource: props.targetParameterArn },
      {
        Sid: "RecordRelease",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:PutParameter"],
        Resource: props.releaseParameterArn,
      },
      markReleasedStatement(props.releasedRepositoryArn),
    );
    if (props.frontend) statements.push(...siteReleaseStatements(props.frontend));
    this.policy = new IamRolePolicy(this, "Policy", {
      role: this.resource.id,
      name: "release",
      policy: policyJson({ Version: "2012-10-17", Statement: statements }),
    });
    // ECS-native blue/green: the policy the ECS stack publishes for whoever releases the service.
    if (deployment.type === "nativeBlueGreen")
      new IamRolePolicyAttachment(this, "NativeBlueGreenRelease", {
        role: this.resource.name,
        policyArn: deployment.releasePolicyArn,
      });
  }
}
