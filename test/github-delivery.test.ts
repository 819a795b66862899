// `pipeline.delivery: github-actions`: per environment an OIDC provider (once per account), a deploy role that only
// the repository's GitHub environment of the same name can assume, and the release target its workflow reads.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MARK_RELEASED_SCRIPT } from "../modules/core/release.ts";
import type { Config } from "../environments/schema.ts";
import {
  onlyResource,
  resourcesOf,
  SAMPLE_ACCOUNTS,
  sampleConfig,
  statementsOf,
  values,
  writtenApp,
} from "./helpers.ts";

/** The sample, released from GitHub Actions instead of CodePipeline. */
function githubConfig(oidc: "create" | "existing" = "create"): Config {
  const c = sampleConfig();
  return {
    ...c,
    shared: {
      ...c.shared,
      pipeline: { ...c.shared.pipeline!, delivery: "github-actions", githubOidcProvider: oidc },
    },
  };
}

const app = writtenApp(githubConfig());
const ACCOUNTS = SAMPLE_ACCOUNTS;
const policyOf = (id: string) => statementsOf(onlyResource(app.stack(id), "aws_iam_role_policy"));
const statement = (id: string, sid: string) => policyOf(id).find((s) => s.Sid === sid);
const actions = (id: string) => policyOf(id).flatMap((s) => [s.Action].flat());
const target = (id: string) => onlyResource(app.stack(id), "aws_ssm_parameter").insecure_value as string;

describe("GitHub Actions delivery", () => {
  it("gives every released environment a pipeline stack, and builds no CodePipeline or source connection", () => {
    expect(app.ids.filter((id) => id.endsWith("-pipeline")).sort()).toEqual([
      "dev-pipeline",
      "prod-pipeline",
      "test-pipeline",
    ]);
    expect(app.ids).not.toContain("delivery");
    for (const id of app.ids) {
      expect(Object.keys(resourcesOf(app.stack(id), "aws_codepipeline"))).toEqual([]);
      expect(Object.keys(resourcesOf(app.stack(id), "aws_iam_access_key"))).toEqual([]);
    }
    expect(resourcesOf(app.stack("shared"), "aws_codestarconnections_connection")).toEqual({});
  });

  it("creates each account's OIDC provider once: the first environment there, which the others deploy after", () => {
    const creates = (id: string) =>
      Object.keys(resourcesOf(app.stack(id), "aws_iam_openid_connect_provider"));
    expect(values(app.stack("dev-pipeline"), "aws_iam_openid_connect_provider")).toEqual([
      expect.objectContaining({
        url: "https://token.actions.githubusercontent.com",
        client_id_list: ["sts.amazonaws.com"],
      }),
    ]);
    expect(creates("prod-pipeline")).toHaveLength(1);
    // test shares dev's account: it reads the provider, after dev-pipeline
    expect(creates("test-pipeline")).toEqual([]);
    expect(app.stack("test-pipeline").data?.aws_iam_openid_connect_provider).toBeDefined();
    expect(app.dependencies("test-pipeline")).toContain("dev-pipeline");
    expect(app.dependencies("prod-pipeline")).not.toContain("dev-pipeline");
  });

  it("deploys no environment after another that only looks the provider up, in a synthesis of some (--env)", () => {
    // GIVEN all three environments in dev's account, whose provider dev-pipeline creates
    const c = githubConfig();
    const dev = c.environments.find((e) => e.name === "dev")!;
    const oneAccount = { ...c, environments: c.environments.map((e) => ({ ...e, account: dev.account })) };
    // THEN a full synthesis deploys test and prod after dev, and one of test and prod alone after neither
    const full = writtenApp(oneAccount);
    expect(["test", "prod"].map((e) => full.dependencies(`${e}-pipeline`).includes("dev-pipeline"))).toEqual([
      true,
      true,
    ]);
    const some = writtenApp(oneAccount, ["test", "prod"]);
    expect(some.dependencies("prod-pipeline").filter((d) => d.endsWith("-pipeline"))).toEqual([]);
    expect(some.stack("prod-pipeline")).toEqual(full.stack("prod-pipeline"));
  });

  it("looks the provider up everywhere when the accounts have one already", () => {
    const existing = writtenApp(githubConfig("existing"));
    for (const env of ["dev", "test", "prod"]) {
      expect(resourcesOf(existing.stack(`${env}-pipeline`), "aws_iam_openid_connect_provider")).toEqual({});
      expect(existing.dependencies(`${env}-pipeline`).filter((d) => d.endsWith("-pipeline"))).toEqual([]);
    }
  });

  it.each(["dev", "test", "prod"])(
    "lets only the repository's GitHub environment %s assume its role",
    (env) => {
      const role = onlyResource(app.stack(`${env}-pipeline`), "aws_iam_role");
      expect(statementsOf(role, "assume_role_policy")).toEqual([
        expect.objectContaining({
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": `repo:example-org/shop:environment:${env}`,
            },
          },
        }),
      ]);
      expect(role.name).toBe(`shop-${env}-github-release`);
    },
  );

  it("builds once: only the first environment pushes, and the shared registry admits exactly its role", () => {
    expect(statement("dev-pipeline", "PushImage")?.Resource).toEqual([
      expect.stringContaining("aws_ecr_repositoryRegistry-web"),
    ]);
    for (const id of ["test-pipeline", "prod-pipeline"])
      expect(actions(id).filter((a) => a.startsWith("ecr:"))).toEqual(["ecr:BatchGetImage", "ecr:PutImage"]);
    const registry = statementsOf(onlyResource(app.stack("shared"), "aws_ecr_repository_policy"));
    expect(registry.find((s) => s.Sid === "BuildingRolePush")).toMatchObject({
      Principal: { AWS: [`arn:aws:iam::${ACCOUNTS.dev}:root`] },
      Condition: {
        ArnEquals: { "aws:PrincipalArn": [`arn:aws:iam::${ACCOUNTS.dev}:role/shop-dev-github-release`] },
      },
    });
  });

  it("releases each environment the way its ECS stack deploys: rolling, CodeDeploy, ECS-native blue/green", () => {
    expect(statement("dev-pipeline", "UpdateService")).toBeDefined();
    expect(statement("test-pipeline", "CodeDeployRelease")?.Resource).toHaveLength(2);
    expect(actions("test-pipeline")).not.toContain("ecs:UpdateService");
    expect(values(app.stack("prod-pipeline"), "aws_iam_role_policy_attachment")).toEqual([
      expect.objectContaining({ policy_arn: expect.stringContaining("ReleasePolicy") }),
    ]);
    expect(target("test-pipeline")).toMatch(/"deployment" = "codeDeploy", "codeDeploy" = \{"application" = /);
    expect(target("prod-pipeline")).toContain('"deployment" = "nativeBlueGreen"');
  });

  it("passes only the task's roles to ECS tasks, and runs only the migration family", () => {
    const pass = statement("prod-pipeline", "PassTaskRoles");
    expect(pass?.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
    expect(statement("prod-pipeline", "RunMigration")?.Resource).toMatch(/task-definition\/.*-migrate:\*$/);
    expect(statement("dev-pipeline", "RunMigration")).toBeUndefined();
    expect(target("prod-pipeline")).toMatch(/"migration" = \{"family" = .*"timeoutSeconds" = 1200/);
    // the migration's revisions keep their tags: Terraform sees no drift in the -migrate family after a release
    expect(statement("prod-pipeline", "TagMigrationRevisions")?.Resource).toMatch(
      /task-definition\/.*-migrate:\*$/,
    );
  });

  it("keeps credentials through the longest migration plus two hours, within IAM's twelve", () => {
    const session = (id: string) => onlyResource(app.stack(id), "aws_iam_role").max_session_duration;
    expect(session("dev-pipeline")).toBe(4 * 3600);
    expect(session("prod-pipeline")).toBe(4 * 3600); // a 20-minute migration fits the default
  });

  it("guards a provider other environments' roles trust against destroying it with its own environment", () => {
    // dev (unprotected) creates the provider that test's role, in the same account, trusts too
    expect(values(app.stack("dev-pipeline"), "aws_iam_openid_connect_provider")[0]?.lifecycle).toEqual({
      prevent_destroy: true,
    });
  });

  it("tells the workflow where to record the released image, so Terraform keeps running it", () => {
    expect(statement("dev-pipeline", "RecordRelease")).toMatchObject({
      Action: ["ssm:GetParameter", "ssm:PutParameter"],
      Resource: expect.stringContaining("aws_ssm_parameterReleasedImagearn"),
    });
    expect(target("dev-pipeline")).toContain('"imageParameter" = data.terraform_remote_state');
    expect(target("prod-pipeline")).toContain('"approval" = true');
    // the GitHub environment links where people use it: the frontend's name where there is one
    expect(target("prod-pipeline")).toContain('"url" = "https://shop.example.com"');
    expect(target("test-pipeline")).toContain('"url" = "https://test.shop.example.com"');
    expect(target("dev-pipeline")).toContain('"approval" = false');
    expect(Object.keys(app.stack("prod-pipeline").output ?? {})).toEqual(
      expect.arrayContaining(["github_deploy_role_arn", "release_target_parameter"]),
    );
  });

  it("writes every key the example workflow reads from the release target", () => {
    // GIVEN the keys docs/github-actions reads with jq (`t .cluster`, `jq -r .url`, `has("migration")`)
    const workflows = ["release.yml", "release-environment.yml"]
      .map((f) => readFileSync(join("docs/github-actions", f), "utf8"))
      .join("\n");
    const read = new Set([
      ...[...workflows.matchAll(/(?:\bt |jq -r '?)\.(\w+)/g)].map((m) => m[1]!),
      ...[...workflows.matchAll(/\.(?:migration|frontend|codeDeploy)\.(\w+)/g)].map((m) => m[1]!),
      ...[...workflows.matchAll(/has\("(\w+)"\)/g)].map((m) => m[1]!),
    ]);
    expect(read.size).toBeGreaterThan(10);
    // THEN each is a top-level or nested key of some environment's target
    const targets = ["dev", "test", "prod"].map((e) => target(`${e}-pipeline`)).join("\n");
    expect([...read].filter((key) => !targets.includes(`"${key}" =`))).toEqual([]);
  });

  it("tags each released image in the registry with the script the pipeline's release uses too", () => {
    const workflow = readFileSync("docs/github-actions/release-environment.yml", "utf8");
    expect(workflow).toContain(MARK_RELEASED_SCRIPT.replace(/^/gm, "          "));
    for (const env of ["dev", "test", "prod"])
      expect(statement(`${env}-pipeline`, "MarkReleasedImage")?.Resource).toEqual(
        expect.stringContaining("aws_ecr_repositoryRegistry-web"),
      );
    const registry = statementsOf(onlyResource(app.stack("shared"), "aws_ecr_repository_policy"));
    expect(registry.find((s) => s.Sid === "ReleasePrincipalsMarkReleased")?.Condition).toEqual({
      ArnEquals: {
        "aws:PrincipalArn": ["dev", "test", "prod"].map(
          (e) => `arn:aws:iam::${ACCOUNTS[e]}:role/shop-${e}-github-release`,
        ),
      },
    });
  });

  it("writes the same stack for an environment synthesized alone (--env)", () => {
    const alone = writtenApp(githubConfig(), ["prod"]);
    expect(alone.stack("prod-pipeline")).toEqual(app.stack("prod-pipeline"));
  });
});
