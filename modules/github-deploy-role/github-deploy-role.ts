// An IAM role that one GitHub Actions environment of one repository assumes through OIDC to release the
// application: push its image, register its task family, update its service, and nothing more.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { ecrPushStatements, partitionOf, policyJson, type PolicyStatement } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";

/** GitHub's OIDC issuer, without the scheme (the form IAM condition keys use). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** `owner/repo` as GitHub spells them: no wildcard can slip into the trust policy. */
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
/** GitHub environment names: no wildcard either. */
const ENVIRONMENT = /^[A-Za-z0-9_.-]{1,255}$/;

export interface GithubDeployRoleProps {
  readonly roleName: string;
  /** The account's `token.actions.githubusercontent.com` OIDC provider. */
  readonly oidcProviderArn: string;
  /** `owner/repo` of the application repository. */
  readonly repository: string;
  /** The GitHub environment whose jobs may assume the role (its protection rules gate production). */
  readonly githubEnvironment: string;
  readonly region: string;
  /** ECR repositories the workflow pushes the image to. */
  readonly repositoryArns: readonly string[];
  /** The service the workflow updates. */
  readonly serviceArn: string;
  /** The task definition family the workflow registers revisions of. */
  readonly taskFamily: string;
  readonly accountId: string;
  /** The task and execution roles the task definition names (passed to ECS tasks only). */
  readonly passRoleArns: readonly string[];
  /** SSM parameter where a release records the image digest it deployed. */
  readonly releaseParameterArn: string;
  /** The frontend bucket and distribution a release syncs and invalidates. @default - no frontend */
  readonly frontend?: { readonly bucketArn: string; readonly distributionArn: string };
  /** Longest session a job gets, in seconds. @default 3600 */
  readonly maxSessionSeconds?: number;
}

const DEFAULT_MAX_SESSION_SECONDS = 3600;

/** The deploy role of one environment for GitHub Actions; no AWS key is ever stored in GitHub. */
export class GithubDeployRole extends Construct {
  public readonly resource: IamRole;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    if (!REPOSITORY.test(props.repository))
      throw new ModuleError(this, `repository "${props.repository}" must be owner/repo, without wildcards`);
    if (!ENVIRONMENT.test(props.githubEnvironment))
      throw new ModuleError(
        this,
        `githubEnvironment "${props.githubEnvironment}" is not a GitHub environment name`,
      );
    if (props.repositoryArns.length === 0)
      throw new ModuleError(this, "repositoryArns must name at least one repository");
    const maxSession = props.maxSessionSeconds ?? DEFAULT_MAX_SESSION_SECONDS;
    const partition = partitionOf(props.region);

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

    const taskDefinitions = `arn:${partition}:ecs:${props.region}:${props.accountId}:task-definition/${props.taskFamily}:*`;
    const statements: PolicyStatement[] = [
      ...ecrPushStatements(props.repositoryArns),
      // Register/Describe of task definitions accept no resource ARN: AWS evaluates them against "*".
      {
        Sid: "TaskDefinitions",
        Effect: "Allow",
        Action: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"],
        Resource: "*",
      },
      {
        Sid: "UpdateService",
        Effect: "Allow",
        Action: ["ecs:UpdateService", "ecs:DescribeServices"],
        Resource: props.serviceArn,
      },
      { Sid: "TagTaskDefinitions", Effect: "Allow", Action: "ecs:TagResource", Resource: taskDefinitions },
      {
        Sid: "PassTaskRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: [...props.passRoleArns],
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
      {
        Sid: "RecordRelease",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:PutParameter"],
        Resource: props.releaseParameterArn,
      },
    ];
    if (props.frontend)
      statements.push(
        {
          Sid: "SyncFrontend",
          Effect: "Allow",
          Action: ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: [props.frontend.bucketArn, `${props.frontend.bucketArn}/*`],
        },
        {
          Sid: "InvalidateFrontend",
          Effect: "Allow",
          Action: ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"],
          Resource: props.frontend.distributionArn,
        },
      );
    new IamRolePolicy(this, "Policy", {
      role: this.resource.id,
      name: "release",
      policy: policyJson({ Version: "2012-10-17", Statement: statements }),
    });
  }
}
