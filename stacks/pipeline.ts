// `<env>-pipeline`: what the promotion pipeline does inside one environment's account, and nothing more: the role
// its cross-account actions assume, and the release project that runs the migration and records the released
// image. Every permission names this environment's resources.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { ReleaseConfig } from "../environments/sections/pipeline.ts";
import { allowCheck, allowShortRetention } from "../guardrails/exceptions.ts";
import {
  accountRoot,
  assumeRolePolicy,
  policy,
  policyJson,
  type PolicyStatement,
  writeLogsStatement,
} from "../modules/core/aws.ts";
import { ModuleError } from "../modules/core/errors.ts";
import {
  codeDeployReleaseStatements,
  MARK_RELEASED_SCRIPT,
  markReleasedStatement,
  migrationStatements,
  passTaskRolesStatement,
  type ReleasedService,
  serviceReleaseStatements,
  siteReleaseStatements,
} from "../modules/core/release.ts";
import { resourceName } from "../modules/core/naming.ts";
import { cloudWatchLogsGrant, KmsKey } from "../modules/kms-key/kms-key.ts";
import type { EcsOutputs, FrontendOutputs } from "./contracts.ts";
import { BaseStack, type StackFrameProps } from "./base-stack.ts";
import {
  ARTIFACT_KEY_ACTIONS,
  artifactBucket,
  artifactKeyAlias,
  type PipelineHome,
  pipelineRole,
  releaseActionRole,
  releaseProjectRole,
} from "./release-names.ts";

/** What the promotion pipeline needs from an environment's pipeline stack. */
export interface ReleaseTarget {
  readonly environment: string;
  readonly accountId: string;
  /** The role every action of this environment's stage runs as. */
  readonly actionRoleArn: string;
  /** The CodeBuild project that migrates and records a release (`STEP=migrate|record`). */
  readonly projectName: string;
  /** The release project's own role: it reads the build's artifact. */
  readonly projectRoleArn: string;
}

export interface EnvPipelineStackProps {
  readonly frame: StackFrameProps;
  /** The environment's `pipeline:` section. */
  readonly config: ReleaseConfig;
  readonly ecs: EcsOutputs;
  /** `fargate` runs the migration on Fargate, `ec2` on the cluster's instances. */
  readonly capacityType: "fargate" | "ec2";
  /** Where the promotion pipeline lives. */
  readonly home: PipelineHome;
  /** The repository the pipeline pushes to: the release project tags each image it released there. */
  readonly registryArn: string;
  /** Days the release project's logs are kept (shared.yaml pipeline.build.logRetentionDays). */
  readonly logRetentionDays: number;
  /** The environment's frontend, synced and invalidated by `STEP=frontend`. @default - none */
  readonly frontend?: FrontendOutputs;
}

/** Minutes the release project may run beyond the migration's own timeout (registering, recording). */
const RELEASE_OVERHEAD_MINUTES = 10;
/** Without a migration the release project only records the image. */
const RECORD_ONLY_MINUTES = 10;

/** The release role and project of one environment, for the promotion pipeline in the shared account. */
export class EnvPipelineStack extends BaseStack {
  public readonly outputs: ReleaseTarget;
  public readonly actionRole: IamRole;
  public readonly project: CodebuildProject;

  constructor(scope: Construct, id: string, props: EnvPipelineStackProps) {
    super(scope, id, props.frame);
    const { ecs, home, frame, config } = props;
    const { region, accountId, partition } = this.where;
    const bucket = artifactBucket(home);
    const migrationFamily = migrationFamilyOf(ecs);
    const roleAccount = { id: accountId, region };
    const actionRoleRef = releaseActionRole(this.names, roleAccount);
    const projectRoleRef = releaseProjectRole(this.names, roleAccount);
    if (!ecs.imageParameter)
      throw new ModuleError(
        this,
        "the ECS stack publishes no release parameter: build it with a releaseRegistry",
      );

    // The artifact key lives in the shared account and its id is unknown here: allow the key carrying its alias.
    const artifactKey: PolicyStatement = {
      Sid: "ArtifactKey",
      Effect: "Allow",
      Action: [...ARTIFACT_KEY_ACTIONS],
      Resource: `arn:${partition}:kms:${home.region}:${home.accountId}:key/*`,
      Condition: {
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${artifactKeyAlias(home)}` },
      },
    };
    const passTaskRoles = passTaskRolesStatement([
      ecs.taskRoleArn,
      ecs.executionRoleArn,
      ...(ecs.migrationExecutionRoleArn ? [ecs.migrationExecutionRoleArn] : []),
    ]);
    const released = releasedService(this.where, ecs);

    const logsKey = new KmsKey(this, "LogsKey", {
      alias: resourceName(this.names, "release-logs", { maxLength: 250 }),
      description: `Encrypts the release logs of ${frame.environment}`,
      accountId,
      region,
      protect: this.protect,
      services: [cloudWatchLogsGrant(region, accountId)],
    });
    const projectName = resourceName(this.names, "release", { maxLength: 255 });
    const logGroup = codebuildLogGroup(this, "LogGroup", projectName, {
      retentionDays: props.logRetentionDays,
      kmsKeyArn: logsKey.arn,
      what: "release",
    });

    const projectRole = new IamRole(this, "ProjectRole", {
      name: projectRoleRef.name,
      description: `Release steps in ${frame.environment}: run the migration task, record the released image`,
      assumeRolePolicy: assumeRolePolicy("codebuild.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": accountId },
      }),
    });
    const projectStatements: PolicyStatement[] = [
      writeLogsStatement(logGroup.arn),
      {
        Sid: "ReadBuildArtifact",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: `${bucket.arn}/*`,
      },
      artifactKey,
      {
        Sid: "OutputKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: logsKey.arn,
      },
      {
        Sid: "RecordReleasedImage",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:PutParameter"],
        Resource: ecs.imageParameter.arn,
      },
      markReleasedStatement(props.registryArn),
    ];
    if (config.migration)
      projectStatements.push(
        // Neither action supports resource-level permissions: AWS accepts only "*" for them.
        {
          Sid: "ReadAndRegisterTaskDefinitions",
          Effect: "Allow",
          Action: ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"],
          Resource: "*",
        },
        ...migrationStatements(released, migrationFamily),
        passTaskRoles,
      );
    const frontend = props.frontend;
    if (frontend) projectStatements.push(...siteReleaseStatements(frontend));
    const projectPolicy = new IamRolePolicy(this, "ProjectPolicy", {
      name: "least-privilege",
      role: projectRole.id,
      policy: policyJson(policy(...projectStatements)),
    });
    if (config.migration) allowTaskDefinitionWildcard(projectPolicy);

    const migration = config.migration;
    this.project = new CodebuildProject(this, "Project", {
      name: projectName,
      description: `Release steps of ${frame.environment}: STEP=migrate runs the migration task, STEP=record records the image, STEP=static-files uploads an app's static files before the deploy, STEP=frontend publishes the site`,
      serviceRole: projectRole.arn,
      encryptionKey: logsKey.arn,
      buildTimeout: migration ? migration.timeoutMinutes + RELEASE_OVERHEAD_MINUTES : RECORD_ONLY_MINUTES,
      source: { type: "CODEPIPELINE", buildspec: RELEASE_BUILDSPEC },
      artifacts: { type: "CODEPIPELINE" },
      environment: {
        type: "LINUX_CONTAINER",
        computeType: "BUILD_GENERAL1_SMALL",
        image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        privilegedMode: false,
        environmentVariable: [
          { name: "ENVIRONMENT", value: frame.environment },
          { name: "IMAGE_PARAMETER", value: ecs.imageParameter.name },
          { name: "CLUSTER", value: ecs.clusterArn },
          { name: "TASK_FAMILY", value: ecs.taskFamily },
          { name: "MIGRATION_FAMILY", value: migrationFamily },
          { name: "CONTAINER_NAME", value: ecs.containerName },
          { name: "LAUNCH_TYPE", value: props.capacityType === "fargate" ? "FARGATE" : "EC2" },
          { name: "SUBNETS", value: ecs.taskSubnetIds.join(",") },
          { name: "SECURITY_GROUPS", value: ecs.taskSecurityGroupIds.join(",") },
          { name: "MIGRATION_COMMAND", value: JSON.stringify(migration?.command ?? []) },
          { name: "MIGRATION_TIMEOUT_SECONDS", value: String((migration?.timeoutMinutes ?? 0) * 60) },
          { name: "FRONTEND_BUCKET", value: frontend?.bucketName ?? "" },
          { name: "DISTRIBUTION_ID", value: frontend?.distributionId ?? "" },
        ].map((v) => ({ ...v, type: "PLAINTEXT" })),
      },
      logsConfig: { cloudwatchLogs: { groupName: logGroup.name, status: "ENABLED" } },
    });

    // Trusts only the promotion pipeline's role, named because the pipeline is created after this stack.
    const trusted = pipelineRole(home);
    this.actionRole = new IamRole(this, "ActionRole", {
      name: actionRoleRef.name,
      description: `The promotion pipeline's actions in ${frame.environment}: deploy, migrate, record`,
      assumeRolePolicy: policyJson(
        policy({
          Effect: "Allow",
          Principal: { AWS: accountRoot(home.region, home.accountId) },
          Action: "sts:AssumeRole",
          Condition: { ArnEquals: { "aws:PrincipalArn": trusted.arn } },
        }),
      ),
    });
    const actionPolicy = new IamRolePolicy(this, "ActionPolicy", {
      name: "least-privilege",
      role: this.actionRole.id,
      policy: policyJson(
        policy(...this.actionStatements(ecs, released, bucket.arn, artifactKey, passTaskRoles)),
      ),
    });
    allowTaskDefinitionWildcard(actionPolicy);
    // ECS-native blue/green publishes the policy its release principal needs on top (pass the infrastructure role
    // to ECS only); the ECS deploy action then starts the blue/green deployment through UpdateService.
    if (ecs.deployment.type === "nativeBlueGreen")
      new IamRolePolicyAttachment(this, "NativeBlueGreenRelease", {
        role: this.actionRole.name,
        policyArn: ecs.deployment.releasePolicyArn,
      });
    allowCheck(
      this.actionRole,
      "CKV_AWS_61",
      "IAM refuses a trust policy naming a role that does not exist yet, and the pipeline role is created after this stack: the trust names the shared account and admits only that role (ArnEquals aws:PrincipalArn)",
    );

    // Handed to the promotion pipeline by name, not by reference: a reference would add outputs to this stack
    // that exist only when `delivery` is synthesized too, and `--env` synthesizes one environment's stacks alone.
    this.outputs = {
      environment: frame.environment,
      accountId,
      actionRoleArn: actionRoleRef.arn,
      projectName,
      projectRoleArn: projectRoleRef.arn,
    };
    new TerraformOutput(this, "release_role_arn", { value: this.actionRole.arn });
    new TerraformOutput(this, "release_project_name", { value: this.project.name });
    // What the promotion pipeline reads from the ECS stack, referenced here as well, so the ECS stack publishes
    // the same outputs whether or not `delivery` is synthesized with it.
    const d = ecs.deployment;
    new TerraformOutput(this, "release_target", {
      value: {
        url: ecs.url,
        cluster: ecs.clusterName,
        service: ecs.serviceName,
        ...(d.type === "codeDeploy"
          ? {
              codedeploy: `${d.applicationName}/${d.deploymentGroupName}`,
              taskDefinitionTemplate: ecs.taskDefinitionTemplate,
            }
          : {}),
      },
      description: "What the promotion pipeline releases into",
    });
  }

  /** The action role: artifacts, the release project, and the deploy of this environment's deployment mode. */
  private actionStatements(
    ecs: EcsOutputs,
    released: ReleasedService,
    bucketArn: string,
    artifactKey: PolicyStatement,
    passTaskRoles: PolicyStatement,
  ): PolicyStatement[] {
    const deployment = ecs.deployment;
    return [
      {
        Sid: "Artifacts",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        Resource: `${bucketArn}/*`,
      },
      artifactKey,
      {
        Sid: "ReleaseProject",
        Effect: "Allow",
        Action: ["codebuild:BatchGetBuilds", "codebuild:StartBuild", "codebuild:StopBuild"],
        Resource: this.project.arn,
      },
      ...(deployment.type === "codeDeploy"
        ? codeDeployReleaseStatements(released, deployment.applicationName, deployment.deploymentGroupName)
        : serviceReleaseStatements(released)),
      passTaskRoles,
    ];
  }
}

/** The family of the migration task a release runs before its deploy: `<service family>-migrate`. */
export const migrationFamilyOf = (ecs: EcsOutputs): string => `${ecs.taskFamily}-migrate`;

/** The ECS service a release updates, in the environment's account and region. */
export function releasedService(
  where: { readonly region: string; readonly accountId: string; readonly partition: string },
  ecs: EcsOutputs,
): ReleasedService {
  const { region, accountId, partition } = where;
  return {
    region,
    accountId,
    serviceArn: `arn:${partition}:ecs:${region}:${accountId}:service/${ecs.clusterName}/${ecs.serviceName}`,
    clusterArn: ecs.clusterArn,
    clusterName: ecs.clusterName,
    taskFamily: ecs.taskFamily,
  };
}

/**
 * The log group of a CodeBuild project (`/aws/codebuild/<project>`, where CodeBuild writes), KMS-encrypted and kept
 * as long as shared.yaml pipeline.build.logRetentionDays says, with the short-retention exception that allows.
 */
export function codebuildLogGroup(
  scope: Construct,
  id: string,
  projectName: string,
  logs: { readonly retentionDays: number; readonly kmsKeyArn: string; readonly what: "build" | "release" },
): CloudwatchLogGroup {
  const group = new CloudwatchLogGroup(scope, id, {
    name: `/aws/codebuild/${projectName}`,
    retentionInDays: logs.retentionDays,
    kmsKeyId: logs.kmsKeyArn,
  });
  allowShortRetention(
    group,
    logs.retentionDays,
    `${logs.what} logs are kept as long as shared.yaml pipeline.build.logRetentionDays says (cost)`,
  );
  return group;
}

/** The CKV_AWS_290/355 exceptions of a policy whose only "*" resource is the task definition calls'. */
export function allowTaskDefinitionWildcard(rolePolicy: IamRolePolicy): void {
  const reason =
    "ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition have no resource-level permissions (AWS accepts only *); every other statement names its resource";
  allowCheck(rolePolicy, "CKV_AWS_290", reason);
  allowCheck(rolePolicy, "CKV_AWS_355", reason);
}

/**
 * The release project's steps. `migrate` registers a revision of `<family>-migrate` (copied from that family when
 * Terraform keeps one, else from the service's) with the released image and runs it in the service's subnets and
 * groups, failing on a non-zero exit; `record` writes the released image to the parameter the ECS stack reads and
 * tags it `released-<env>-<digest>` in its repository, whose lifecycle rules keep released images.
 */
export const RELEASE_BUILDSPEC = `version: 0.2
env:
  shell: bash
phases:
  build:
    commands:
      - set -euo pipefail
      - IMAGE_URI=$(jq -r .ImageURI "$CODEBUILD_SRC_DIR/imageDetail.json")
      - echo "step $STEP with $IMAGE_URI"
      - |
        if [ "$STEP" = record ]; then
          aws ssm put-parameter --name "$IMAGE_PARAMETER" --type String --overwrite --value "$IMAGE_URI"
          IMAGE=$IMAGE_URI
${MARK_RELEASED_SCRIPT.replace(/^/gm, "          ")}
          exit 0
        fi
        if [ "$STEP" = static-files ]; then
          # An app's static files, before its deploy: the new pages find theirs, and the old pages keep theirs.
          aws s3 sync "$CODEBUILD_SRC_DIR/site/" "s3://$FRONTEND_BUCKET/"
          exit 0
        fi
        if [ "$STEP" = frontend ] && [ ! -f "$CODEBUILD_SRC_DIR/site/index.html" ]; then
          # An app's static files (frontend.defaultOrigin app), after its deploy: the files no page names any more
          # go, and as its pages are never cached, /* clears just these.
          aws s3 sync "$CODEBUILD_SRC_DIR/site/" "s3://$FRONTEND_BUCKET/" --delete
          aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths "/*"
          exit 0
        fi
        if [ "$STEP" = frontend ]; then
          # New assets first, then the index that names them (uncached), and only then the old assets go: a browser
          # holding either index finds every file it asks for.
          aws s3 sync "$CODEBUILD_SRC_DIR/site/" "s3://$FRONTEND_BUCKET/" --exclude index.html
          aws s3 cp "$CODEBUILD_SRC_DIR/site/index.html" "s3://$FRONTEND_BUCKET/index.html" --cache-control no-cache
          aws s3 sync "$CODEBUILD_SRC_DIR/site/" "s3://$FRONTEND_BUCKET/" --delete --exclude index.html
          aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths /index.html
          exit 0
        fi
        aws ecs describe-task-definition --task-definition "$MIGRATION_FAMILY" --include TAGS > source.json 2>/dev/null \\
          || aws ecs describe-task-definition --task-definition "$TASK_FAMILY" --include TAGS > source.json
        # Tags kept: Terraform tracks the family's newest revision and would see their loss as drift.
        jq --arg family "$MIGRATION_FAMILY" --arg name "$CONTAINER_NAME" --arg image "$IMAGE_URI" '.tags as $tags
          | .taskDefinition | {family: $family, taskRoleArn, executionRoleArn, networkMode, requiresCompatibilities,
            cpu, memory, runtimePlatform, volumes, containerDefinitions: [.containerDefinitions[] | select(.name == $name)
            | .image = $image | del(.portMappings, .healthCheck)], tags: $tags}
          | with_entries(select(.value != null and .value != []))' source.json > migrate.json
        DEFINITION=$(aws ecs register-task-definition --cli-input-json file://migrate.json \\
          --query taskDefinition.taskDefinitionArn --output text)
        NETWORK="awsvpcConfiguration={subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUPS],assignPublicIp=DISABLED}"
        OVERRIDES=$(jq -cn --arg name "$CONTAINER_NAME" --argjson command "$MIGRATION_COMMAND" \\
          '{containerOverrides: [{name: $name, command: $command}]}')
        TASK=$(aws ecs run-task --cluster "$CLUSTER" --task-definition "$DEFINITION" --launch-type "$LAUNCH_TYPE" \\
          --network-configuration "$NETWORK" --overrides "$OVERRIDES" --started-by codepipeline \\
          --query 'tasks[0].taskArn' --output text)
        echo "migration task $TASK"
        DEADLINE=$((SECONDS + MIGRATION_TIMEOUT_SECONDS))
        until aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$TASK"; do
          if [ "$SECONDS" -ge "$DEADLINE" ]; then
            aws ecs stop-task --cluster "$CLUSTER" --task "$TASK" --reason "migration timed out" > /dev/null
            echo "migration timed out"; exit 1
          fi
        done
        CODE=$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$TASK" \\
          --query "tasks[0].containers[?name=='$CONTAINER_NAME'].exitCode | [0]" --output text)
        echo "migration exited with $CODE"
        [ "$CODE" = 0 ]
`;
