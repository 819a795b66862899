// modules/github-deploy-role: one GitHub environment of one repository releases one service, and nothing more.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import {
  GithubDeployRole,
  type GithubDeployRoleProps,
} from "../../modules/github-deploy-role/github-deploy-role.ts";
import { itRefuses, moduleBuilder } from "../helpers.ts";

const ACCOUNT = "222222222222";
const SERVICE = {
  region: "eu-west-1",
  accountId: ACCOUNT,
  serviceArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/shop-prod/shop-prod-app`,
  clusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/shop-prod`,
  clusterName: "shop-prod",
  taskFamily: "shop-prod-app",
};
const MINIMAL: GithubDeployRoleProps = {
  roleName: "shop-prod-github-release",
  oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
  repository: "acme/shop",
  githubEnvironment: "prod",
  service: SERVICE,
  deployment: { type: "rolling" },
  passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/task`, `arn:aws:iam::${ACCOUNT}:role/execution`],
  releaseParameterArn: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/shop/prod/app/image`,
  targetParameterArn: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/shop/prod/app/release-target`,
  releasedRepositoryArn: "arn:aws:ecr:eu-west-1:111111111111:repository/shop/app",
};
const REPOSITORY = "arn:aws:ecr:eu-west-1:111111111111:repository/shop/app";

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
const role = moduleBuilder((s, p) => new GithubDeployRole(s, "Release", p), MINIMAL);

function documents(props: Partial<GithubDeployRoleProps>): { trust: Statement[]; policy: Statement[] } {
  const built = role(props);
  const parse = (s: unknown) => (JSON.parse(s as string) as { Statement: Statement[] }).Statement;
  return {
    trust: parse(built.one(IamRole).assume_role_policy),
    policy: parse(built.one(IamRolePolicy).policy),
  };
}

describe("GithubDeployRole", () => {
  it("trusts only the named repository's named GitHub environment, for STS", () => {
    // GIVEN minimal props WHEN the role is synthesized
    const { trust } = documents(MINIMAL);
    // THEN the one statement pins audience and subject exactly (StringEquals, no wildcard)
    expect(trust).toEqual([
      expect.objectContaining({
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:acme/shop:environment:prod",
          },
        },
      }),
    ]);
  });

  it("passes only the task's two roles, and only to ECS tasks", () => {
    const pass = documents(MINIMAL).policy.find((s) => s.Sid === "PassTaskRoles");
    expect(pass).toEqual({
      Sid: "PassTaskRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: MINIMAL.passRoleArns,
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    });
  });

  it("scopes every action to its resource, except the two AWS evaluates only against *", () => {
    // GIVEN the first environment, which pushes the image
    const { policy } = documents({ ...MINIMAL, pushRepositoryArns: [REPOSITORY] });
    const wildcard = policy.filter((s) => s.Resource === "*").flatMap((s) => [s.Action].flat());
    expect(wildcard.sort()).toEqual([
      "ecr:GetAuthorizationToken",
      "ecs:DescribeTaskDefinition",
      "ecs:RegisterTaskDefinition",
    ]);
    expect(policy.find((s) => s.Sid === "UpdateService")?.Resource).toBe(SERVICE.serviceArn);
    expect(policy.find((s) => s.Sid === "PushImage")?.Resource).toEqual([REPOSITORY]);
    expect(policy.find((s) => s.Sid === "RecordRelease")?.Resource).toBe(MINIMAL.releaseParameterArn);
    expect(policy.find((s) => s.Sid === "ReadTarget")).toMatchObject({
      Action: "ssm:GetParameter",
      Resource: MINIMAL.targetParameterArn,
    });
  });

  it("builds once: an environment without repositories to push to uploads no layer, it only tags what it released", () => {
    const { policy } = documents(MINIMAL);
    const ecr = policy.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith("ecr:"));
    expect(ecr.sort()).toEqual(["ecr:BatchGetImage", "ecr:PutImage"]);
    expect(policy.find((s) => s.Sid === "MarkReleasedImage")?.Resource).toBe(MINIMAL.releasedRepositoryArn);
  });

  it("releases a CodeDeploy service through its application and group, never UpdateService", () => {
    // GIVEN a blue/green service released by CodeDeploy
    const { policy } = documents({
      ...MINIMAL,
      deployment: { type: "codeDeploy", applicationName: "shop-prod", deploymentGroupName: "app" },
    });
    // THEN the deployment is scoped to that application and group, and the service is not updated directly
    expect(policy.find((s) => s.Sid === "CodeDeployRelease")?.Resource).toEqual([
      `arn:aws:codedeploy:eu-west-1:${ACCOUNT}:application:shop-prod`,
      `arn:aws:codedeploy:eu-west-1:${ACCOUNT}:deploymentgroup:shop-prod/app`,
    ]);
    expect(policy.flatMap((s) => [s.Action].flat())).not.toContain("ecs:UpdateService");
    // the workflow copies Terraform's newest revision, tags included, before the deployment
    expect(policy.find((s) => s.Sid === "ReadTaskDefinitions")?.Action).toBe("ecs:DescribeTaskDefinition");
    expect(policy.find((s) => s.Sid === "TagRevisions")?.Resource).toBe(
      `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/shop-prod-app:*`,
    );
  });

  it("attaches the ECS stack's release policy for ECS-native blue/green", () => {
    const releasePolicyArn = `arn:aws:iam::${ACCOUNT}:policy/shop-prod-release`;
    const built = role({ deployment: { type: "nativeBlueGreen", releasePolicyArn } });
    expect(built.one(IamRolePolicyAttachment).policy_arn).toBe(releasePolicyArn);
  });

  it("runs the migration family only, on the service's cluster", () => {
    const { policy } = documents({ ...MINIMAL, migrationFamily: "shop-prod-app-migrate" });
    expect(policy.find((s) => s.Sid === "RunMigration")).toMatchObject({
      Resource: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/shop-prod-app-migrate:*`,
      Condition: { ArnEquals: { "ecs:cluster": SERVICE.clusterArn } },
    });
    expect(documents(MINIMAL).policy.map((s) => s.Sid)).not.toContain("RunMigration");
  });

  it("keeps a job's credentials for four hours unless told otherwise", () => {
    expect(role().one(IamRole).max_session_duration).toBe(14400);
  });

  it("grants the frontend bucket, its key and the distribution only when there is a frontend", () => {
    expect(documents(MINIMAL).policy.map((s) => s.Sid)).not.toContain("SyncSite");
    const withFrontend = documents({
      ...MINIMAL,
      frontend: {
        bucketArn: "arn:aws:s3:::shop-prod-site",
        kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1`,
        distributionArn: "arn:aws:cloudfront::2:distribution/E1",
      },
    }).policy;
    expect(withFrontend.find((s) => s.Sid === "SyncSite")?.Resource).toBe("arn:aws:s3:::shop-prod-site/*");
    expect(withFrontend.find((s) => s.Sid === "SiteKey")?.Resource).toBe(
      `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1`,
    );
  });

  itRefuses(role, "test/Release", [
    [
      "a wildcard repository",
      { repository: "acme/*" },
      'repository "acme/*" must be owner/repo, without wildcards',
    ],
    [
      "a repository without owner",
      { repository: "shop" },
      'repository "shop" must be owner/repo, without wildcards',
    ],
    [
      "a wildcard environment",
      { githubEnvironment: "*" },
      'githubEnvironment "*" is not a GitHub environment name',
    ],
    ["no task roles", { passRoleArns: [] }, "passRoleArns must name the task's roles"],
  ]);
});
