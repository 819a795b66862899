// `delivery`: the one promotion pipeline, in the shared account beside the source connection and the registries.
// It builds the image once, then releases the same digest into each environment in promotion order through the
// roles each `<env>-pipeline` stack owns in its own account. Deployed last: it reads every environment's stacks.
import { DataAwsCodestarconnectionsConnection } from "@cdktf/provider-aws/lib/data-aws-codestarconnections-connection";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodebuildReportGroup } from "@cdktf/provider-aws/lib/codebuild-report-group";
import { Codepipeline, type CodepipelineStageAction } from "@cdktf/provider-aws/lib/codepipeline";
import { CodestarnotificationsNotificationRule } from "@cdktf/provider-aws/lib/codestarnotifications-notification-rule";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { PipelineConfig } from "../environments/sections/pipeline.ts";
import { allowCheck } from "../guardrails/exceptions.ts";
import {
  accountRoot,
  assumeRolePolicy,
  ecrPushStatements,
  policy,
  policyJson,
  type PolicyStatement,
  writeLogsStatement,
} from "../modules/core/aws.ts";
import { ModuleError } from "../modules/core/errors.ts";
import { resourceName } from "../modules/core/naming.ts";
import { cloudWatchLogsGrant, KmsKey } from "../modules/kms-key/kms-key.ts";
import { SecureBucket } from "../modules/secure-bucket/secure-bucket.ts";
import type { EcsOutputs, FrontendOutputs, SharedOutputs } from "./contracts.ts";
import { BaseStack, type StackFrameProps } from "./base-stack.ts";
import { codebuildLogGroup, type ReleaseTarget } from "./pipeline.ts";
import {
  artifactBucket,
  ARTIFACT_KEY_ACTIONS,
  alertsKeyAlias,
  artifactKeyAlias,
  pipelineRole,
  sourceConnectionName,
  templateFile,
  TEMPLATES_PREFIX,
} from "./release-names.ts";

/** One environment the pipeline releases into, in promotion order. */
export interface ReleaseEnvironment {
  readonly name: string;
  readonly target: ReleaseTarget;
  readonly ecs: EcsOutputs;
  /** Stop for a manual approval before this environment. */
  readonly approval: boolean;
  /** Run the migration step before the deploy. */
  readonly migration: boolean;
  /** What the environment's frontend holds, published around the deploy as it needs. @default - no frontend */
  readonly frontend?: FrontendOutputs["content"];
  /** Where people use the environment: its frontend's URL when it has one, else the load balancer's. */
  readonly url: string;
}

export interface DeliveryStackProps {
  readonly frame: StackFrameProps;
  /** shared.yaml `pipeline:`. */
  readonly config: PipelineConfig;
  readonly source: { readonly repository: string; readonly branch: string };
  readonly shared: SharedOutputs;
  /** The registry the image is pushed to (a key of `shared.repositoryUrls`). */
  readonly registry: string;
  readonly environments: readonly ReleaseEnvironment[];
}

/** The artifact holding imageDetail.json, imagedefinitions.json and the CodeDeploy templates. */
const BUILD_OUTPUT = "BuildOutput";
const SOURCE_OUTPUT = "SourceOutput";
/** Days the artifacts of a release are kept: long enough to re-run or inspect a release. */
const ARTIFACT_DAYS = 30;

/** The promotion pipeline: source, build once, then per environment approval, migration, deploy, record. */
export class DeliveryStack extends BaseStack {
  public readonly pipeline: Codepipeline;
  public readonly artifactKey: KmsKey;
  public readonly artifacts: SecureBucket;
  public readonly build: CodebuildProject;
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, props.frame);
    const { config, frame, shared, environments } = props;
    const { region, accountId } = this.where;
    const home = { project: frame.project, accountId, region };
    if (!shared.connectionArn) throw new ModuleError(this, "the shared stack has no source connection");
    // The connection and the alerts key are looked up by name in this (the shared) account instead of referenced:
    // a reference would add outputs to the shared stack that exist only when this stack is synthesized too.
    const connectionArn = new DataAwsCodestarconnectionsConnection(this, "SourceConnection", {
      name: sourceConnectionName(frame.project),
    }).arn;
    const alertsKeyArn = new DataAwsKmsAlias(this, "AlertsKey", {
      name: `alias/${alertsKeyAlias(frame.project)}`,
    }).targetKeyArn;
    const repositoryUrl = shared.repositoryUrls[props.registry];
    const repositoryArn = shared.repositoryArns[props.registry];
    if (!repositoryUrl || !repositoryArn)
      throw new ModuleError(this, `the shared stack has no registry "${props.registry}"`);

    // Each environment's release role and project role, and nobody else outside this account.
    const envPrincipals = environments.flatMap((e) => [e.target.actionRoleArn, e.target.projectRoleArn]);
    const envAccounts = [...new Set(environments.map((e) => e.target.accountId))].sort();
    const buildName = resourceName(this.names, "build", { maxLength: 255 });
    this.artifactKey = new KmsKey(this, "ArtifactKey", {
      alias: artifactKeyAlias(home),
      description: "Encrypts the release pipeline's artifacts, build reports and build logs",
      accountId,
      region,
      protect: this.protect,
      services: [cloudWatchLogsGrant(region, accountId, `/aws/codebuild/${buildName}`)],
      statements: envPrincipals.length
        ? [
            {
              Sid: "EnvironmentReleaseRoles",
              Effect: "Allow",
              Principal: { AWS: envAccounts.map((a) => accountRoot(region, a)) },
              Action: [...ARTIFACT_KEY_ACTIONS],
              Resource: "*",
              Condition: { ArnEquals: { "aws:PrincipalArn": envPrincipals } },
            },
          ]
        : [],
    });

    const bucket = artifactBucket(home);
    this.artifacts = new SecureBucket(this, "Artifacts", {
      bucketName: bucket.name,
      kmsKeyArn: this.artifactKey.arn,
      protect: this.protect,
      noncurrentVersionDays: ARTIFACT_DAYS,
      expirationDays: ARTIFACT_DAYS,
      policyStatements: envPrincipals.length
        ? [
            {
              Sid: "EnvironmentReleaseRolesUseArtifacts",
              Effect: "Allow",
              Principal: { AWS: envAccounts.map((a) => accountRoot(region, a)) },
              Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
              Resource: `${bucket.arn}/*`,
              Condition: { ArnEquals: { "aws:PrincipalArn": envPrincipals } },
            },
          ]
        : [],
    });

    allowCheck(
      this.artifacts.resource,
      "CKV_AWS_18",
      "server access logs would need a second bucket; every object here is written and read with the artifact key, so CloudTrail's KMS events already record each access",
    );

    // CodeDeploy's templates, rendered from each ECS stack's task definition: identical to Terraform's but for the
    // image, so the revision a release registers is the one Terraform then reads back (track_latest) unchanged.
    for (const e of environments) {
      if (e.ecs.deployment.type !== "codeDeploy") continue;
      new S3Object(this, `TaskDefinitionTemplate-${e.name}`, {
        bucket: this.artifacts.name,
        key: `${TEMPLATES_PREFIX}${templateFile(e.name, "taskdef")}`,
        content: e.ecs.taskDefinitionTemplate,
        contentType: "application/json",
        kmsKeyId: this.artifactKey.arn,
      });
      new S3Object(this, `AppSpecTemplate-${e.name}`, {
        bucket: this.artifacts.name,
        key: `${TEMPLATES_PREFIX}${templateFile(e.name, "appspec")}`,
        content: appSpec(e.ecs),
        contentType: "text/yaml",
        kmsKeyId: this.artifactKey.arn,
      });
    }

    this.build = this.buildProject(props, buildName, repositoryUrl, repositoryArn);

    const roleName = pipelineRole(home).name;
    this.role = new IamRole(this, "Role", {
      name: roleName,
      description: "The release pipeline: source, build, and the environments' release roles",
      assumeRolePolicy: assumeRolePolicy("codepipeline.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": accountId },
      }),
    });
    const approvals = environments.some((e) => e.approval);
    const pipelineStatements: PolicyStatement[] = [
      {
        Sid: "Source",
        Effect: "Allow",
        Action: ["codeconnections:UseConnection", "codestar-connections:UseConnection"],
        Resource: connectionArn,
      },
      {
        Sid: "Artifacts",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:GetBucketVersioning"],
        Resource: [this.artifacts.arn, `${this.artifacts.arn}/*`],
      },
      {
        Sid: "ArtifactKey",
        Effect: "Allow",
        Action: [...ARTIFACT_KEY_ACTIONS],
        Resource: this.artifactKey.arn,
      },
      {
        Sid: "Build",
        Effect: "Allow",
        Action: ["codebuild:BatchGetBuilds", "codebuild:StartBuild", "codebuild:StopBuild"],
        Resource: this.build.arn,
      },
      ...(environments.length
        ? [
            {
              Sid: "EnvironmentReleaseRoles",
              Effect: "Allow" as const,
              Action: "sts:AssumeRole",
              Resource: environments.map((e) => e.target.actionRoleArn),
            },
          ]
        : []),
      ...(approvals
        ? [
            {
              Sid: "AskForApproval",
              Effect: "Allow" as const,
              Action: "sns:Publish",
              Resource: shared.alertsTopicArn,
            },
            {
              Sid: "AlertsKey",
              Effect: "Allow" as const,
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: alertsKeyArn,
            },
          ]
        : []),
    ];
    const rolePolicy = new IamRolePolicy(this, "RolePolicy", {
      name: "least-privilege",
      role: this.role.id,
      policy: policyJson(policy(...pipelineStatements)),
    });

    const onPush = config.onPush;
    const branches = onPush.branches ?? [props.source.branch];
    const filePaths =
      onPush.includePaths.length || onPush.excludePaths.length
        ? {
            filePaths: {
              ...(onPush.includePaths.length ? { includes: [...onPush.includePaths] } : {}),
              ...(onPush.excludePaths.length ? { excludes: [...onPush.excludePaths] } : {}),
            },
          }
        : {};
    this.pipeline = new Codepipeline(this, "Resource", {
      name: resourceName(this.names, "release", { maxLength: 100 }),
      pipelineType: "V2",
      executionMode: config.executionMode,
      roleArn: this.role.arn,
      artifactStore: [
        {
          location: this.artifacts.name,
          type: "S3",
          encryptionKey: { id: this.artifactKey.arn, type: "KMS" },
        },
      ],
      trigger: [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: {
            sourceActionName: "Source",
            push: [
              { branches: { includes: [...branches] }, ...filePaths },
              ...(config.onTags.length ? [{ tags: { includes: [...config.onTags] } }] : []),
            ],
          },
        },
      ],
      stage: [
        {
          name: "Source",
          action: [
            {
              name: "Source",
              category: "Source",
              owner: "AWS",
              provider: "CodeStarSourceConnection",
              version: "1",
              namespace: "Source",
              outputArtifacts: [SOURCE_OUTPUT],
              configuration: {
                ConnectionArn: connectionArn,
                FullRepositoryId: props.source.repository,
                BranchName: props.source.branch,
                OutputArtifactFormat: "CODE_ZIP",
              },
            },
          ],
        },
        {
          name: "Build",
          action: [
            {
              name: "TestAndBuildImage",
              category: "Build",
              owner: "AWS",
              provider: "CodeBuild",
              version: "1",
              namespace: "Build",
              inputArtifacts: [SOURCE_OUTPUT],
              outputArtifacts: [BUILD_OUTPUT],
              configuration: {
                ProjectName: this.build.name,
                EnvironmentVariables: JSON.stringify([
                  { name: "COMMIT_ID", value: "#{Source.CommitId}", type: "PLAINTEXT" },
                ]),
              },
            },
          ],
        },
        ...environments.map((e, i) => ({
          name: `Release-${e.name}`,
          action: releaseActions(e, environments[i - 1], shared.alertsTopicArn),
        })),
      ],
      dependsOn: [rolePolicy],
    });

    // Failed and succeeded releases go to the alerts topic (its policy admits CodeStar Notifications).
    new CodestarnotificationsNotificationRule(this, "Notifications", {
      name: resourceName(this.names, "release", { maxLength: 64 }),
      resource: this.pipeline.arn,
      detailType: "FULL",
      eventTypeIds: [
        "codepipeline-pipeline-pipeline-execution-failed",
        "codepipeline-pipeline-pipeline-execution-succeeded",
      ],
      target: [{ address: shared.alertsTopicArn, type: "SNS" }],
    });

    new TerraformOutput(this, "pipeline_name", { value: this.pipeline.name });
    new TerraformOutput(this, "artifact_bucket", { value: this.artifacts.name });
  }

  /** The build: unit tests with a report group, then the image, pushed once per commit, and its digest. */
  private buildProject(
    props: DeliveryStackProps,
    name: string,
    repositoryUrl: string,
    repositoryArn: string,
  ): CodebuildProject {
    const { config, frame } = props;
    const accountId = frame.account.id;
    const b = config.build;
    const logGroup = codebuildLogGroup(this, "BuildLogs", name, {
      retentionDays: b.logRetentionDays,
      kmsKeyArn: this.artifactKey.arn,
      what: "build",
    });
    const reports = new CodebuildReportGroup(this, "TestReports", {
      name: resourceName(this.names, "unit-tests", { maxLength: 128 }),
      type: "TEST",
      deleteReports: true,
      exportConfig: {
        type: "S3",
        s3Destination: {
          bucket: this.artifacts.name,
          path: "reports",
          packaging: "NONE",
          encryptionKey: this.artifactKey.arn,
          encryptionDisabled: false,
        },
      },
    });
    const role = new IamRole(this, "BuildRole", {
      name: resourceName(this.names, "build", { maxLength: 64 }),
      description: "The release build: run the tests, build and push the image",
      assumeRolePolicy: assumeRolePolicy("codebuild.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": accountId },
      }),
    });
    const repositoryName = `${frame.project}/${props.registry}`;
    new IamRolePolicy(this, "BuildPolicy", {
      name: "least-privilege",
      role: role.id,
      policy: policyJson(
        policy(
          writeLogsStatement(logGroup.arn),
          {
            Sid: "Reports",
            Effect: "Allow",
            Action: [
              "codebuild:BatchPutCodeCoverages",
              "codebuild:BatchPutTestCases",
              "codebuild:CreateReport",
              "codebuild:UpdateReport",
            ],
            Resource: reports.arn,
          },
          {
            Sid: "Artifacts",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            Resource: `${this.artifacts.arn}/*`,
          },
          {
            Sid: "ArtifactKey",
            Effect: "Allow",
            Action: [...ARTIFACT_KEY_ACTIONS],
            Resource: this.artifactKey.arn,
          },
          ...ecrPushStatements(repositoryArn),
        ),
      ),
    });
    const project = new CodebuildProject(this, "Build", {
      name,
      description:
        "Runs the unit tests, builds the image once per commit and pushes it tagged with the commit id",
      serviceRole: role.arn,
      encryptionKey: this.artifactKey.arn,
      buildTimeout: b.timeoutMinutes,
      source: { type: "CODEPIPELINE", buildspec: buildSpec(props, repositoryName, reports.arn) },
      artifacts: { type: "CODEPIPELINE" },
      // The Docker layer cache survives between builds on the same host: unchanged layers are not rebuilt.
      cache: { type: "LOCAL", modes: ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_SOURCE_CACHE"] },
      environment: {
        type: "LINUX_CONTAINER",
        computeType: b.computeType,
        image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        privilegedMode: true,
        environmentVariable: [
          { name: "REPOSITORY_URI", value: repositoryUrl },
          { name: "REPOSITORY_NAME", value: repositoryName },
          { name: "ARTIFACT_BUCKET", value: this.artifacts.name },
          { name: "AWS_ACCOUNT_ID", value: accountId },
        ].map((v) => ({ ...v, type: "PLAINTEXT" })),
      },
      logsConfig: { cloudwatchLogs: { groupName: logGroup.name, status: "ENABLED" } },
    });
    allowCheck(
      project,
      "CKV_AWS_316",
      "docker build needs the Docker daemon, which CodeBuild runs only in privileged mode; this is the one project with it, and it runs only the repository's own build",
    );
    return project;
  }
}

/** The approval, migration, deploy and record actions of one environment's stage. */
function releaseActions(
  e: ReleaseEnvironment,
  previous: ReleaseEnvironment | undefined,
  alertsTopicArn: string,
): CodepipelineStageAction[] {
  const actions: CodepipelineStageAction[] = [];
  const inEnv = { roleArn: e.target.actionRoleArn };
  const step = (name: string, value: string): CodepipelineStageAction => ({
    name,
    category: "Build",
    owner: "AWS",
    provider: "CodeBuild",
    version: "1",
    inputArtifacts: [BUILD_OUTPUT],
    ...inEnv,
    configuration: {
      ProjectName: e.target.projectName,
      EnvironmentVariables: JSON.stringify([{ name: "STEP", value, type: "PLAINTEXT" }]),
    },
  });
  if (e.approval)
    actions.push({
      name: "Approve",
      category: "Approval",
      owner: "AWS",
      provider: "Manual",
      version: "1",
      configuration: {
        NotificationArn: alertsTopicArn,
        CustomData: `Release commit #{Build.COMMIT_ID}, image #{Build.IMAGE_DIGEST}, to ${e.name}?${previous ? ` It runs on ${previous.name}: ${previous.url}` : ""}`,
        ...(previous ? { ExternalEntityLink: previous.url } : {}),
      },
    });
  if (e.migration) actions.push(step("Migrate", "migrate"));
  // An app's new static files go up before its new pages can ask for them; the old ones stay until the deploy is
  // done, for the old tasks' pages.
  if (e.frontend === "app") actions.push(step("UploadStaticFiles", "static-files"));
  const deployment = e.ecs.deployment;
  actions.push(
    deployment.type === "codeDeploy"
      ? {
          name: "Deploy",
          category: "Deploy",
          owner: "AWS",
          provider: "CodeDeployToECS",
          version: "1",
          inputArtifacts: [BUILD_OUTPUT],
          ...inEnv,
          configuration: {
            ApplicationName: deployment.applicationName,
            DeploymentGroupName: deployment.deploymentGroupName,
            TaskDefinitionTemplateArtifact: BUILD_OUTPUT,
            TaskDefinitionTemplatePath: templateFile(e.name, "taskdef"),
            AppSpecTemplateArtifact: BUILD_OUTPUT,
            AppSpecTemplatePath: templateFile(e.name, "appspec"),
            Image1ArtifactName: BUILD_OUTPUT,
            Image1ContainerName: "IMAGE1_NAME",
          },
        }
      : {
          name: "Deploy",
          category: "Deploy",
          owner: "AWS",
          provider: "ECS",
          version: "1",
          inputArtifacts: [BUILD_OUTPUT],
          ...inEnv,
          configuration: {
            ClusterName: e.ecs.clusterName,
            ServiceName: e.ecs.serviceName,
            FileName: "imagedefinitions.json",
          },
        },
  );
  actions.push(step("RecordImage", "record"));
  if (e.frontend !== undefined) actions.push(step("PublishFrontend", "frontend"));
  return actions.map((a, i) => ({ ...a, runOrder: i + 1 }));
}

/** CodeDeploy's appspec for the service: the new task set behind the ECS stack's container and port. */
function appSpec(ecs: EcsOutputs): string {
  return [
    "version: 0.0",
    "Resources:",
    "  - TargetService:",
    "      Type: AWS::ECS::Service",
    "      Properties:",
    '        TaskDefinition: "<TASK_DEFINITION>"',
    "        LoadBalancerInfo:",
    `          ContainerName: "${ecs.containerName}"`,
    `          ContainerPort: ${ecs.containerPort}`,
    "",
  ].join("\n");
}

/**
 * The build's buildspec: tests and their report, then the image tagged with the commit id (pushed once: a commit
 * already in the immutable repository is reused, never rebuilt or retagged), its digest exported for every later
 * stage, and the CodeDeploy templates copied into the artifact.
 */
function buildSpec(props: DeliveryStackProps, repositoryName: string, reportGroupArn: string): string {
  const b = props.config.build;
  const containerName = props.environments[0]?.ecs.containerName ?? "app";
  // One copy per file: the build role may read objects but not list the bucket.
  const templates = props.environments
    .filter((e) => e.ecs.deployment.type === "codeDeploy")
    .flatMap((e) => [templateFile(e.name, "taskdef"), templateFile(e.name, "appspec")])
    .map((f) => `\n      - aws s3 cp "s3://$ARTIFACT_BUCKET/${TEMPLATES_PREFIX}${f}" ${f}`)
    .join("");
  // The static site is built once too, when any environment serves one, and travels in the same artifact.
  const site = props.environments.some((e) => e.frontend !== undefined)
    ? `\n      - ${JSON.stringify(b.frontend.command)}\n      - mkdir -p site && cp -R ${JSON.stringify(b.frontend.outputDir)}/. site/`
    : "";
  return `version: 0.2
env:
  shell: bash
  exported-variables: [COMMIT_ID, IMAGE_URI, IMAGE_DIGEST]
phases:
  pre_build:
    commands:
      - set -euo pipefail
      - COMMIT_ID="$$\{COMMIT_ID:-$CODEBUILD_RESOLVED_SOURCE_VERSION}"
      - aws ecr get-login-password | docker login --username AWS --password-stdin "$$\{REPOSITORY_URI%%/*}"
  build:
    commands:
      - ${JSON.stringify(b.tests.command)}${site}
      - |
        if ! aws ecr describe-images --repository-name "${repositoryName}" --image-ids imageTag="$COMMIT_ID" > /dev/null 2>&1; then
          docker build --file ${JSON.stringify(b.dockerfile)} --tag "$REPOSITORY_URI:$COMMIT_ID" ${JSON.stringify(b.context)}
          docker push "$REPOSITORY_URI:$COMMIT_ID"
        fi
      - IMAGE_DIGEST=$(aws ecr describe-images --repository-name "${repositoryName}" --image-ids imageTag="$COMMIT_ID" --query 'imageDetails[0].imageDigest' --output text)
      - IMAGE_URI="$REPOSITORY_URI@$IMAGE_DIGEST"
      - printf '{"ImageURI":"%s"}' "$IMAGE_URI" > imageDetail.json
      - printf '[{"name":"%s","imageUri":"%s"}]' "${containerName}" "$IMAGE_URI" > imagedefinitions.json${templates}
reports:
  ${reportGroupArn}:
    files: [${JSON.stringify(b.tests.reports)}]
    file-format: ${b.tests.format}
artifacts:
  files: ["imageDetail.json", "imagedefinitions.json", "taskdef-*.json", "appspec-*.yaml"${site ? ', "site/**/*"' : ""}]
`;
}
