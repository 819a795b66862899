// The permissions of a release principal (the promotion pipeline's action role or a GitHub Actions deploy role):
// what deploying one ECS service, migrating it and publishing its site take, each scoped to that environment.
import { partitionOf, type PolicyStatement } from "./aws.ts";

/** The service a release updates, in the account and region of its environment. */
export interface ReleasedService {
  readonly region: string;
  readonly accountId: string;
  readonly serviceArn: string;
  readonly clusterArn: string;
  readonly clusterName: string;
  /** The service's task definition family. */
  readonly taskFamily: string;
}

/** Builds ARNs of one service's ECS and CodeDeploy resources. */
function arns(service: ReleasedService) {
  const partition = partitionOf(service.region);
  const at = (name: string) => (resource: string) =>
    `arn:${partition}:${name}:${service.region}:${service.accountId}:${resource}`;
  return { ecs: at("ecs"), codedeploy: at("codedeploy") };
}

/**
 * `ecs:TagResource` on every revision of `family`: a release's copies keep the family's tags, so Terraform
 * (track_latest) sees no drift after a release.
 */
function tagRevisionsStatement(sid: string, service: ReleasedService, family: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: "ecs:TagResource",
    Resource: arns(service).ecs(`task-definition/${family}:*`),
  };
}

/** `iam:PassRole` on the task's roles, to ECS tasks only. */
export function passTaskRolesStatement(roleArns: readonly string[]): PolicyStatement {
  return {
    Sid: "PassTaskRoles",
    Effect: "Allow",
    Action: "iam:PassRole",
    Resource: [...roleArns],
    Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
  };
}

/**
 * A CodeDeploy blue/green release: the deployment in this application and group, the deployment configs it
 * reads, and the task definition revision CodeDeployToECS registers first (no resource-level permission: "*").
 */
export function codeDeployReleaseStatements(
  service: ReleasedService,
  applicationName: string,
  deploymentGroupName: string,
): PolicyStatement[] {
  const { codedeploy } = arns(service);
  return [
    {
      Sid: "CodeDeployRelease",
      Effect: "Allow",
      Action: [
        "codedeploy:CreateDeployment",
        "codedeploy:GetApplication",
        "codedeploy:GetApplicationRevision",
        "codedeploy:GetDeployment",
        "codedeploy:RegisterApplicationRevision",
      ],
      Resource: [
        codedeploy(`application:${applicationName}`),
        codedeploy(`deploymentgroup:${applicationName}/${deploymentGroupName}`),
      ],
    },
    {
      Sid: "CodeDeployConfig",
      Effect: "Allow",
      Action: "codedeploy:GetDeploymentConfig",
      Resource: codedeploy("deploymentconfig:*"),
    },
    {
      Sid: "RegisterTaskDefinition",
      Effect: "Allow",
      Action: "ecs:RegisterTaskDefinition",
      Resource: "*",
    },
  ];
}

/**
 * A release through `ecs:UpdateService` (rolling, or ECS-native blue/green): copy the running task definition with
 * the new image (neither task definition call supports resource-level permissions), tag it, update the service.
 */
export function serviceReleaseStatements(service: ReleasedService): PolicyStatement[] {
  return [
    {
      Sid: "UpdateService",
      Effect: "Allow",
      Action: ["ecs:DescribeServices", "ecs:UpdateService"],
      Resource: service.serviceArn,
    },
    {
      Sid: "TaskDefinitions",
      Effect: "Allow",
      Action: ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"],
      Resource: "*",
    },
    tagRevisionsStatement("TagTaskDefinitions", service, service.taskFamily),
  ];
}

/**
 * What a release that registers CodeDeploy's revision itself (the GitHub workflow) needs beside
 * codeDeployReleaseStatements: it reads the family's newest revision (Terraform's) to copy it with the released
 * image, and tags the copy.
 */
export function codeDeployRevisionStatements(service: ReleasedService): PolicyStatement[] {
  return [
    { Sid: "ReadTaskDefinitions", Effect: "Allow", Action: "ecs:DescribeTaskDefinition", Resource: "*" },
    tagRevisionsStatement("TagRevisions", service, service.taskFamily),
  ];
}

/** Running the migration task of `migrationFamily` on the service's cluster, and watching it to its exit. */
export function migrationStatements(service: ReleasedService, migrationFamily: string): PolicyStatement[] {
  const { ecs } = arns(service);
  return [
    {
      Sid: "RunMigration",
      Effect: "Allow",
      Action: "ecs:RunTask",
      Resource: ecs(`task-definition/${migrationFamily}:*`),
      Condition: { ArnEquals: { "ecs:cluster": service.clusterArn } },
    },
    {
      Sid: "WatchMigration",
      Effect: "Allow",
      Action: ["ecs:DescribeTasks", "ecs:StopTask"],
      Resource: ecs(`task/${service.clusterName}/*`),
    },
    tagRevisionsStatement("TagMigrationRevisions", service, migrationFamily),
  ];
}

/** The static site a release publishes: its bucket (SSE-KMS with its key) and the distribution's index. */
export interface ReleasedSite {
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  readonly distributionArn: string;
}

/** Syncing the site to its bucket and invalidating `/index.html`. */
export function siteReleaseStatements(site: ReleasedSite): PolicyStatement[] {
  return [
    { Sid: "ListSite", Effect: "Allow", Action: "s3:ListBucket", Resource: site.bucketArn },
    {
      Sid: "SyncSite",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      Resource: `${site.bucketArn}/*`,
    },
    {
      Sid: "SiteKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: site.kmsKeyArn,
    },
    {
      Sid: "InvalidateIndex",
      Effect: "Allow",
      Action: "cloudfront:CreateInvalidation",
      Resource: site.distributionArn,
    },
  ];
}

/**
 * Tagging the released image `released-<env>-<digest>` in its repository (read its manifest, put it under the new
 * tag), which the repository's lifecycle rules keep apart from the other tagged images.
 */
export function markReleasedStatement(repositoryArn: string): PolicyStatement {
  return {
    Sid: "MarkReleasedImage",
    Effect: "Allow",
    Action: ["ecr:BatchGetImage", "ecr:PutImage"],
    Resource: repositoryArn,
  };
}

/**
 * Shell lines that tag the released image `$IMAGE` (`<registry>/<repository>@sha256:<digest>`) as released in
 * `$ENVIRONMENT`; a second release of the same digest finds the tag there and goes on. No `\${` or `%{` anywhere:
 * in a buildspec inside Terraform JSON they would start a Terraform template.
 */
export const MARK_RELEASED_SCRIPT = `REPOSITORY=$(echo "$IMAGE" | cut -d@ -f1); DIGEST=$(echo "$IMAGE" | cut -d@ -f2)
REGISTRY_ID=$(echo "$REPOSITORY" | cut -d. -f1); REPOSITORY_NAME=$(echo "$REPOSITORY" | cut -d/ -f2-)
MANIFEST=$(aws ecr batch-get-image --registry-id "$REGISTRY_ID" --repository-name "$REPOSITORY_NAME" \\
  --image-ids "imageDigest=$DIGEST" --query 'images[0].imageManifest' --output text)
aws ecr put-image --registry-id "$REGISTRY_ID" --repository-name "$REPOSITORY_NAME" \\
  --image-tag "released-$ENVIRONMENT-$(echo "$DIGEST" | cut -d: -f2)" --image-manifest "$MANIFEST" \\
  > /dev/null 2> put-image.err || grep -q ImageAlreadyExistsException put-image.err \\
  || { cat put-image.err >&2; exit 1; }`;
