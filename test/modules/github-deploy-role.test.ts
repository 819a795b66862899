// modules/github-deploy-role: one GitHub environment of one repository releases one service, and nothing more.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import {
  GithubDeployRole,
  type GithubDeployRoleProps,
} from "../../modules/github-deploy-role/github-deploy-role.ts";
import { moduleStack, onlyResource, synthJson, testStack } from "../helpers.ts";

const ACCOUNT = "222222222222";
const MINIMAL: GithubDeployRoleProps = {
  roleName: "shop-prod-github-release",
  oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
  repository: "acme/shop",
  githubEnvironment: "prod",
  region: "eu-west-1",
  accountId: ACCOUNT,
  repositoryArns: ["arn:aws:ecr:eu-west-1:111111111111:repository/shop/app"],
  serviceArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/shop-prod/shop-prod-app`,
  taskFamily: "shop-prod-app",
  passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/task`, `arn:aws:iam::${ACCOUNT}:role/execution`],
  releaseParameterArn: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/shop/prod/release/image`,
};

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
function documents(props: GithubDeployRoleProps): { trust: Statement[]; policy: Statement[] } {
  const json = synthJson(moduleStack((s) => new GithubDeployRole(s, "Release", props)));
  const parse = (s: unknown) => (JSON.parse(s as string) as { Statement: Statement[] }).Statement;
  return {
    trust: parse(onlyResource(json, IamRole.tfResourceType).assume_role_policy),
    policy: parse(onlyResource(json, IamRolePolicy.tfResourceType).policy),
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
    const wildcard = documents(MINIMAL)
      .policy.filter((s) => s.Resource === "*")
      .flatMap((s) => [s.Action].flat());
    expect(wildcard.sort()).toEqual([
      "ecr:GetAuthorizationToken",
      "ecs:DescribeTaskDefinition",
      "ecs:RegisterTaskDefinition",
    ]);
    const update = documents(MINIMAL).policy.find((s) => s.Sid === "UpdateService");
    expect(update?.Resource).toBe(MINIMAL.serviceArn);
  });

  it("grants the frontend bucket and distribution only when there is a frontend", () => {
    expect(documents(MINIMAL).policy.map((s) => s.Sid)).not.toContain("SyncFrontend");
    const withFrontend = documents({
      ...MINIMAL,
      frontend: {
        bucketArn: "arn:aws:s3:::shop-prod-site",
        distributionArn: "arn:aws:cloudfront::2:distribution/E1",
      },
    }).policy;
    expect(withFrontend.find((s) => s.Sid === "SyncFrontend")?.Resource).toEqual([
      "arn:aws:s3:::shop-prod-site",
      "arn:aws:s3:::shop-prod-site/*",
    ]);
  });

  it.each([
    [
      "a wildcard repository",
      { repository: "acme/*" },
      /repository "acme\/\*" must be owner\/repo, without wildcards/,
    ],
    ["a repository without owner", { repository: "shop" }, /repository "shop" must be owner\/repo/],
    [
      "a wildcard environment",
      { githubEnvironment: "*" },
      /githubEnvironment "\*" is not a GitHub environment name/,
    ],
    ["no image repository", { repositoryArns: [] }, /repositoryArns must name at least one repository/],
  ])("refuses %s", (_what, change, message) => {
    // GIVEN a stack WHEN the role gets the bad prop THEN a ModuleError names it, with the construct path
    const stack = testStack();
    expect(() => new GithubDeployRole(stack, "Release", { ...MINIMAL, ...change })).toThrow(message);
    expect(() => new GithubDeployRole(stack, "Release2", { ...MINIMAL, ...change })).toThrow(
      /test\/Release2/,
    );
  });
});
