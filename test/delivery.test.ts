// The release pipeline: stage order, build once by commit id and digest, cross-account roles and grants, and the
// "Terraform never rolls back a release" mechanism in the ECS stack.
import {
  build,
  onlyResource,
  resourcesOf,
  SAMPLE_ACCOUNTS,
  sampleConfig,
  stackOf,
  type StackJson,
  statementsOf,
  synthJson,
  withEnvironment,
  writtenApp,
  type WrittenApp,
} from "./helpers.ts";
import type { EcsStack } from "../stacks/ecs.ts";
import { DeliveryStack } from "../stacks/delivery.ts";
import { EnvPipelineStack, RELEASE_BUILDSPEC } from "../stacks/pipeline.ts";
import { MARK_RELEASED_SCRIPT } from "../modules/core/release.ts";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { parse } from "yaml";
import type { SharedStack } from "../stacks/shared.ts";
import { join } from "node:path";
import type { PolicyDocument, PolicyStatement } from "../modules/core/aws.ts";

interface Action {
  name: string;
  category: string;
  provider: string;
  run_order: number;
  role_arn?: string;
  configuration: Record<string, string>;
}
interface Stage {
  name: string;
  action: Action[];
}

let written: WrittenApp | undefined;
/** A stack of the sample app as `npm run synth` writes it, synthesized once per file, on first use. */
const stack = (id: string): StackJson => (written ??= writtenApp()).stack(id);
const ACCOUNTS = SAMPLE_ACCOUNTS;
const pipeline = () => onlyResource(stack("delivery"), "aws_codepipeline");
const stages = () => pipeline().stage as Stage[];
const stage = (name: string) => stages().find((s) => s.name === name)!;
const doc = (resource: Record<string, unknown>, key = "policy") =>
  JSON.parse(resource[key] as string) as PolicyDocument;
const statement = (d: PolicyDocument, sid: string): PolicyStatement => {
  const s = d.Statement.find((x) => x.Sid === sid);
  if (!s) throw new Error(`no statement ${sid}: ${d.Statement.map((x) => x.Sid).join(", ")}`);
  return s;
};
const policyNamed = (json: StackJson, id: string) => {
  const found = Object.entries(resourcesOf(json, "aws_iam_role_policy")).find(([k]) => k.startsWith(id));
  if (!found) throw new Error(`no role policy ${id}`);
  return doc(found[1]);
};

describe("the promotion pipeline", () => {
  it("is one V2 pipeline in the shared account, queued, started by pushes to the branch and by v* tags", () => {
    const p = pipeline();
    expect(p).toMatchObject({ pipeline_type: "V2", execution_mode: "QUEUED" });
    const trigger = (p.trigger as { git_configuration: { push: unknown[] } }[])[0]!;
    expect(trigger.git_configuration.push).toEqual([
      { branches: { includes: ["main"] }, file_paths: { excludes: ["docs/**", "**/*.md"] } },
      { tags: { includes: ["v*"] } },
    ]);
    expect(stack("delivery").provider!.aws![0]).toMatchObject({ allowed_account_ids: ["111111111111"] });
  });

  it("runs source, build, then each environment in promotion order", () => {
    expect(stages().map((s) => s.name)).toEqual([
      "Source",
      "Build",
      "Release-dev",
      "Release-test",
      "Release-prod",
    ]);
    expect(stage("Source").action[0]).toMatchObject({ provider: "CodeStarSourceConnection" });
    expect(stage("Source").action[0]!.configuration.ConnectionArn).toMatch(
      /^\$\{data\.aws_codestarconnections_connection\.SourceConnection\.arn\}$/,
    );
  });

  it("asks for approval only before the protected environment, then migrates, deploys and records in order", () => {
    const order = (name: string) =>
      stage(name)
        .action.sort((a, b) => a.run_order - b.run_order)
        .map((a) => a.name);
    expect(order("Release-dev")).toEqual(["Deploy", "RecordImage", "PublishFrontend"]);
    // test has no frontend: nothing is published there.
    expect(order("Release-test")).toEqual(["Migrate", "Deploy", "RecordImage"]);
    expect(order("Release-prod")).toEqual(["Approve", "Migrate", "Deploy", "RecordImage", "PublishFrontend"]);
  });

  it("announces an approval on the alerts topic with the digest and the previous environment's URL", () => {
    const approve = stage("Release-prod").action.find((a) => a.name === "Approve")!;
    expect(approve.configuration.NotificationArn).toMatch(/aws_sns_topicAlerts/);
    expect(approve.configuration.CustomData).toContain("#{Build.IMAGE_DIGEST}");
    expect(approve.configuration.CustomData).toContain("https://test.shop.example.com");
    expect(approve.configuration.ExternalEntityLink).toBe("https://test.shop.example.com");
  });

  it("deploys test with CodeDeploy blue/green from the generated templates and prod with the ECS action", () => {
    const testDeploy = stage("Release-test").action.find((a) => a.name === "Deploy")!;
    expect(testDeploy).toMatchObject({ provider: "CodeDeployToECS", category: "Deploy" });
    expect(testDeploy.configuration).toMatchObject({
      TaskDefinitionTemplatePath: "taskdef-test.json",
      AppSpecTemplatePath: "appspec-test.yaml",
      Image1ContainerName: "IMAGE1_NAME",
    });
    expect(testDeploy.configuration.DeploymentGroupName).toMatch(/test-ecs/);
    const prodDeploy = stage("Release-prod").action.find((a) => a.name === "Deploy")!;
    expect(prodDeploy).toMatchObject({ provider: "ECS" });
    expect(prodDeploy.configuration.FileName).toBe("imagedefinitions.json");
  });

  it("runs every action of an environment's stage as that environment's release role", () => {
    for (const env of ["dev", "test", "prod"])
      for (const a of stage(`Release-${env}`).action.filter((x) => x.category !== "Approval"))
        expect(a.role_arn).toBe(`arn:aws:iam::${ACCOUNTS[env]}:role/shop-${env}-release`);
  });

  it("lets the pipeline role assume exactly the environments' release roles", () => {
    const s = statement(policyNamed(stack("delivery"), "RolePolicy"), "EnvironmentReleaseRoles");
    expect(s.Action).toBe("sts:AssumeRole");
    expect(s.Resource).toEqual(
      ["dev", "test", "prod"].map((e) => `arn:aws:iam::${ACCOUNTS[e]}:role/shop-${e}-release`),
    );
  });

  it("is deployed after every environment's release stack, which it names rather than references", () => {
    stack("delivery");
    expect(written!.dependencies("delivery")).toEqual(
      expect.arrayContaining(["dev-pipeline", "test-pipeline", "prod-pipeline", "shared"]),
    );
  });

  it("sends failed and succeeded executions to the alerts topic", () => {
    const rule = onlyResource(stack("delivery"), "aws_codestarnotifications_notification_rule");
    expect(rule.event_type_ids).toEqual([
      "codepipeline-pipeline-pipeline-execution-failed",
      "codepipeline-pipeline-pipeline-execution-succeeded",
    ]);
    expect(JSON.stringify(rule.target)).toMatch(/aws_sns_topicAlerts/);
  });
});

describe("the build", () => {
  const project = () =>
    Object.entries(resourcesOf(stack("delivery"), "aws_codebuild_project")).find(([k]) =>
      k.startsWith("Build"),
    )![1];
  const spec = () => (project().source as { buildspec: string }).buildspec;

  it("tags the image with the commit id, never latest, and exports the digest", () => {
    expect(spec()).toContain('docker push "$REPOSITORY_URI:$COMMIT_ID"');
    expect(spec()).not.toMatch(/latest/);
    expect(spec()).toContain("exported-variables: [COMMIT_ID, IMAGE_URI, IMAGE_DIGEST]");
    expect(spec()).toContain('IMAGE_URI="$REPOSITORY_URI@$IMAGE_DIGEST"');
    const buildAction = stage("Build").action[0]!;
    expect(JSON.parse(buildAction.configuration.EnvironmentVariables!)).toEqual([
      { name: "COMMIT_ID", value: "#{Source.CommitId}", type: "PLAINTEXT" },
    ]);
  });

  it("copies each CodeDeploy environment's templates into its artifact, one file at a time", () => {
    expect(spec()).toContain(
      'aws s3 cp "s3://$ARTIFACT_BUCKET/templates/taskdef-test.json" taskdef-test.json',
    );
    expect(spec()).toContain(
      'aws s3 cp "s3://$ARTIFACT_BUCKET/templates/appspec-test.yaml" appspec-test.yaml',
    );
    expect(spec()).not.toContain("taskdef-prod.json");
    const appspec = Object.entries(resourcesOf(stack("delivery"), "aws_s3_object")).find(([k]) =>
      k.startsWith("AppSpecTemplate-test"),
    )![1].content as string;
    expect(appspec).toContain('TaskDefinition: "<TASK_DEFINITION>"');
    expect(appspec).toMatch(/ContainerName: "app"\n {10}ContainerPort: 8080/);
  });

  it("deploys by digest: the deploy files carry IMAGE_URI, which names the digest", () => {
    expect(spec()).toMatch(/imageDetail\.json/);
    expect(spec()).toMatch(/"imageUri":"%s"}]' "app" "\$IMAGE_URI" > imagedefinitions\.json/);
  });

  it("runs the tests first and publishes their reports to its report group", () => {
    const s = spec();
    expect(s.indexOf("make test")).toBeLessThan(s.indexOf("docker build"));
    expect(s).toMatch(/reports:\n {2}\$\{aws_codebuild_report_group\.TestReports\w*\.arn\}:/);
    expect(s).toContain("file-format: JUNITXML");
  });

  it("is the only privileged project, with a layer cache and KMS-encrypted logs", () => {
    expect(project()).toMatchObject({
      environment: { privileged_mode: true },
      cache: { type: "LOCAL", modes: ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_SOURCE_CACHE"] },
    });
    const logs = onlyResource(stack("delivery"), "aws_cloudwatch_log_group");
    expect(logs).toMatchObject({ retention_in_days: 365 });
    expect(logs.kms_key_id).toMatch(/aws_kms_key\.ArtifactKey/);
    for (const env of ["dev", "test", "prod"])
      expect(onlyResource(stack(`${env}-pipeline`), "aws_codebuild_project")).toMatchObject({
        environment: { privileged_mode: false },
      });
  });

  it("pushes only to the one repository, by ARN", () => {
    const s = statement(policyNamed(stack("delivery"), "BuildPolicy"), "PushImage");
    expect(s.Resource).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-shared\..*ecr/,
    );
  });
});

describe("the artifact store", () => {
  it("is KMS-encrypted, public access blocked and TLS-only", () => {
    const json = stack("delivery");
    const sse = onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration");
    expect((sse.rule as { apply_server_side_encryption_by_default: unknown }[])[0]).toMatchObject({
      apply_server_side_encryption_by_default: {
        sse_algorithm: "aws:kms",
        kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.ArtifactKey/),
      },
    });
    expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const p = doc(onlyResource(json, "aws_s3_bucket_policy"));
    expect(statement(p, "DenyInsecureTransport").Condition).toEqual({
      Bool: { "aws:SecureTransport": "false" },
    });
    expect(onlyResource(json, "aws_codepipeline").artifact_store).toMatchObject([
      { type: "S3", encryption_key: { type: "KMS" } },
    ]);
  });

  it("grants its key and bucket to exactly the environments' release and project roles", () => {
    const json = stack("delivery");
    const key = Object.values(resourcesOf(json, "aws_kms_key")).find((k) =>
      String(k.description).includes("artifacts"),
    )!;
    const grant = statement(doc(key), "EnvironmentReleaseRoles");
    expect(grant.Principal).toEqual({
      AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"],
    });
    expect(grant.Condition!.ArnEquals!["aws:PrincipalArn"]).toEqual(
      ["dev", "test", "prod"].flatMap((e) => [
        `arn:aws:iam::${ACCOUNTS[e]}:role/shop-${e}-release`,
        `arn:aws:iam::${ACCOUNTS[e]}:role/shop-${e}-release-project`,
      ]),
    );
    const bucketGrant = statement(
      doc(onlyResource(json, "aws_s3_bucket_policy")),
      "EnvironmentReleaseRolesUseArtifacts",
    );
    expect(bucketGrant.Condition).toEqual(grant.Condition);
    expect(bucketGrant.Action).toEqual(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]);
  });
});

describe("an environment's release role", () => {
  const actionRole = (env: string) =>
    Object.entries(resourcesOf(stack(`${env}-pipeline`), "aws_iam_role")).find(([k]) =>
      k.startsWith("ActionRole"),
    )![1];

  it("lives in the environment's account and trusts only the shared account's pipeline role", () => {
    expect(stack("prod-pipeline").provider!.aws![0]).toMatchObject({ allowed_account_ids: ["333333333333"] });
    const trust = doc(actionRole("prod"), "assume_role_policy").Statement[0]!;
    expect(trust.Principal).toEqual({ AWS: "arn:aws:iam::111111111111:root" });
    expect(trust.Condition).toEqual({
      ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/shop-shared-pipeline" },
    });
    const pipelineRole = Object.values(resourcesOf(stack("delivery"), "aws_iam_role")).find(
      (r) => r.name === "shop-shared-pipeline",
    );
    expect(pipelineRole).toBeDefined();
  });

  it("passes only the task and execution roles, and only to ECS tasks", () => {
    for (const env of ["dev", "test", "prod"]) {
      const s = statement(policyNamed(stack(`${env}-pipeline`), "ActionPolicy"), "PassTaskRoles");
      expect(s.Action).toBe("iam:PassRole");
      // With database stores, the migration task's own execution role too (it alone reads the master secret).
      expect(
        (s.Resource as string[]).map((r) => /(TaskRole|MigrationExecutionRole|ExecutionRole)/.exec(r)![1]),
      ).toEqual(["TaskRole", "ExecutionRole", "MigrationExecutionRole"]);
      expect(s.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
    }
  });

  it("updates only its own service (rolling) or deploys only its own deployment group (CodeDeploy)", () => {
    const prod = statement(policyNamed(stack("prod-pipeline"), "ActionPolicy"), "UpdateService");
    expect(prod.Resource).toMatch(/^arn:aws:ecs:eu-west-1:333333333333:service\/\$\{.*\}\/\$\{.*\}$/);
    const test = statement(policyNamed(stack("test-pipeline"), "ActionPolicy"), "CodeDeployRelease");
    expect(test.Resource).toHaveLength(2);
    expect((test.Resource as string[])[1]).toMatch(
      /^arn:aws:codedeploy:eu-west-1:222222222222:deploymentgroup:/,
    );
    expect(JSON.stringify(policyNamed(stack("test-pipeline"), "ActionPolicy"))).not.toContain(
      "UpdateService",
    );
  });

  it("attaches the release policy an ECS-native blue/green service publishes, and only then", () => {
    // The sample's prod uses nativeBlueGreen; dev is rolling and test is CodeDeploy.
    expect(resourcesOf(stack("prod-pipeline"), "aws_iam_role_policy_attachment")).toEqual({
      NativeBlueGreenRelease: expect.objectContaining({
        policy_arn: expect.stringMatching(/input-prod-ecs\..*aws_iam_policyService_ReleasePolicy/),
      }),
    });
    expect(resourcesOf(stack("dev-pipeline"), "aws_iam_role_policy_attachment")).toEqual({});
    expect(resourcesOf(stack("test-pipeline"), "aws_iam_role_policy_attachment")).toEqual({});
  });

  it("syncs the site and invalidates only index.html of its own frontend", () => {
    const built = build();
    const ecs = (stackOf(built, "prod-ecs") as EcsStack).outputs;
    const env = stackOf(built, "prod-pipeline");
    const withSite = new EnvPipelineStack(built.app, "site-pipeline", {
      frame: env.frame,
      config: {},
      ecs,
      capacityType: "fargate",
      home: { project: "shop", accountId: "111111111111", region: "eu-west-1" },
      registryArn: "arn:aws:ecr:eu-west-1:111111111111:repository/shop/web",
      logRetentionDays: 365,
      frontend: {
        bucketName: "site",
        bucketArn: "arn:aws:s3:::site",
        kmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/site",
        distributionId: "E123",
        distributionArn: "arn:aws:cloudfront::333333333333:distribution/E123",
        url: "https://shop.example.com",
        content: "site",
      },
    });
    const p = policyNamed(synthJson(withSite), "ProjectPolicy");
    expect(statement(p, "SyncSite").Resource).toBe("arn:aws:s3:::site/*");
    expect(statement(p, "SiteKey").Resource).toBe("arn:aws:kms:eu-west-1:333333333333:key/site");
    expect(statement(p, "InvalidateIndex")).toMatchObject({
      Action: "cloudfront:CreateInvalidation",
      Resource: "arn:aws:cloudfront::333333333333:distribution/E123",
    });
    expect(RELEASE_BUILDSPEC).toContain("--paths /index.html");
    expect(JSON.stringify(policyNamed(stack("test-pipeline"), "ProjectPolicy"))).not.toContain("cloudfront");
    // The sample's prod serves a frontend: its release project publishes to that stack's bucket and distribution.
    const sample = statement(policyNamed(stack("prod-pipeline"), "ProjectPolicy"), "InvalidateIndex");
    expect(sample.Resource).toMatch(/input-prod-frontend\..*aws_cloudfront_distribution/);
  });

  it("uses the shared artifact key only through its alias", () => {
    const s = statement(policyNamed(stack("prod-pipeline"), "ActionPolicy"), "ArtifactKey");
    expect(s.Resource).toBe("arn:aws:kms:eu-west-1:111111111111:key/*");
    expect(s.Condition).toEqual({
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/shop-shared-pipeline-artifacts" },
    });
  });

  it("runs the migration only from its own task family on its own cluster, and records only its parameter", () => {
    const p = policyNamed(stack("prod-pipeline"), "ProjectPolicy");
    const run = statement(p, "RunMigration");
    expect(run.Resource).toMatch(/^arn:aws:ecs:eu-west-1:333333333333:task-definition\/\$\{.*\}-migrate:\*$/);
    expect(run.Condition!.ArnEquals!["ecs:cluster"]).toMatch(/aws_ecs_cluster/);
    expect(statement(p, "RecordReleasedImage").Resource).toMatch(/aws_ssm_parameterReleasedImagearn/);
    // the migration's revisions keep their tags, so Terraform sees no drift in the -migrate family
    expect(statement(p, "TagMigrationRevisions").Resource).toMatch(/task-definition\/\$\{.*\}-migrate:\*$/);
    expect(RELEASE_BUILDSPEC).toContain('--task-definition "$MIGRATION_FAMILY" --include TAGS');
    // dev has no migration: no ECS permission at all in its project role.
    expect(JSON.stringify(policyNamed(stack("dev-pipeline"), "ProjectPolicy"))).not.toContain("ecs:RunTask");
  });

  it("tags each image it released in its repository, which keeps released images apart from the pushes after them", () => {
    // GIVEN prod's release project, in another account than the registry
    const p = policyNamed(stack("prod-pipeline"), "ProjectPolicy");
    // THEN it may read and tag images of the pipeline's repository only
    expect(statement(p, "MarkReleasedImage")).toMatchObject({
      Action: ["ecr:BatchGetImage", "ecr:PutImage"],
      Resource: "arn:aws:ecr:eu-west-1:111111111111:repository/shop/web",
    });
    expect(RELEASE_BUILDSPEC).toContain(MARK_RELEASED_SCRIPT.replace(/^/gm, "          "));
    // AND the repository admits exactly the release project roles of the other accounts
    const registry = statementsOf(onlyResource(stack("shared"), "aws_ecr_repository_policy"));
    expect(registry.find((x) => x.Sid === "ReleasePrincipalsMarkReleased")?.Condition).toEqual({
      ArnEquals: {
        "aws:PrincipalArn": ["dev", "test", "prod"].map(
          (e) => `arn:aws:iam::${ACCOUNTS[e]}:role/shop-${e}-release-project`,
        ),
      },
    });
    // AND its lifecycle's first rule keeps released images, so no later rule can expire them
    const rules = (
      JSON.parse(onlyResource(stack("shared"), "aws_ecr_lifecycle_policy").policy as string) as {
        rules: { rulePriority: number; selection: { tagPrefixList?: string[] } }[];
      }
    ).rules;
    expect(rules[0]).toMatchObject({ rulePriority: 1, selection: { tagPrefixList: ["released-"] } });
  });

  it("writes a release script Terraform leaves alone: no ${ or %{, which would start a template", () => {
    expect(RELEASE_BUILDSPEC).not.toMatch(/[$%]\{/);
  });

  it("writes a release script bash accepts", () => {
    const dir = mkdtempSync(join(tmpdir(), "buildspec-"));
    const commands = (parse(RELEASE_BUILDSPEC) as { phases: { build: { commands: string[] } } }).phases.build
      .commands;
    writeFileSync(join(dir, "release.sh"), commands.join("\n"));
    expect(execFileSync("bash", ["-n", join(dir, "release.sh")], { encoding: "utf8" })).toBe("");
  });

  it("fails the migration step on a non-zero exit code", () => {
    expect(RELEASE_BUILDSPEC).toContain("set -euo pipefail");
    expect(RELEASE_BUILDSPEC).toMatch(/\[ "\$CODE" = 0 \]\n$/);
    expect(RELEASE_BUILDSPEC).toContain("assignPublicIp=DISABLED");
  });
});

describe("Terraform never rolls back a release", () => {
  it("creates the release parameter with the configured image and ignores exactly its value", () => {
    const param = onlyResource(stack("prod-ecs"), "aws_ssm_parameter");
    expect(param).toMatchObject({
      name: "/shop/prod/app/image",
      type: "String",
      lifecycle: { ignore_changes: ["insecure_value"] },
    });
    expect(param.insecure_value).toMatch(/:initial$/);
  });

  it("runs the image the parameter holds now, read at plan time, and compares with the newest revision", () => {
    const json = stack("prod-ecs");
    const read = Object.entries(json.data!.aws_ssm_parameter!)[0]!;
    expect(read[1].depends_on).toEqual([expect.stringMatching(/^aws_ssm_parameter\.ReleasedImage/)]);
    const tds = Object.entries(resourcesOf(json, "aws_ecs_task_definition"));
    // The service's task definition and the migration task's: the pipeline registers revisions of both families.
    expect(tds.map(([, t]) => t.track_latest)).toEqual([true, true]);
    const td = tds.find(([k]) => k.startsWith("Service_TaskDefinition"))![1];
    const [container] = JSON.parse(td.container_definitions as string) as { image: string }[];
    expect(container!.image).toBe(`\${data.aws_ssm_parameter.${read[0]}.insecure_value}`);
  });

  it("lets a config change roll out with the released image: a rolling service ignores only its task count", () => {
    const json = synthJson(
      stackOf(
        build(withEnvironment("prod", (e) => ({ service: { ...e.service!, cpu: 2048, memory: 4096 } }))),
        "prod-ecs",
      ),
    );
    const td = Object.values(resourcesOf(json, "aws_ecs_task_definition"))[0]!;
    expect(td.cpu).toBe("2048");
    expect(JSON.parse(td.container_definitions as string)[0].image).toMatch(/data\.aws_ssm_parameter/);
    expect(onlyResource(json, "aws_ecs_service").lifecycle).toEqual({ ignore_changes: ["desired_count"] });
  });

  it("ignores exactly what CodeDeploy changes: the service's task definition and load balancer, the listeners' action", () => {
    const json = stack("test-ecs");
    expect(onlyResource(json, "aws_ecs_service").lifecycle).toEqual({
      ignore_changes: ["desired_count", "task_definition", "load_balancer"],
    });
    const listeners = Object.values(resourcesOf(json, "aws_lb_listener")).filter(
      (l) => (l.default_action as { type: string }[])[0]!.type === "forward",
    );
    expect(listeners.length).toBe(2);
    for (const l of listeners) expect(l.lifecycle).toEqual({ ignore_changes: ["default_action"] });
  });

  it("gives CodeDeploy a task definition template identical to Terraform's but for the image", () => {
    const json = stack("delivery");
    const obj = Object.entries(resourcesOf(json, "aws_s3_object")).find(([k]) =>
      k.startsWith("TaskDefinitionTemplate-test"),
    )!;
    expect(obj[1].key).toBe("templates/taskdef-test.json");
    const template = JSON.parse(obj[1].content as string) as {
      containerDefinitions: { image: string; name: string }[];
    };
    expect(template.containerDefinitions[0]).toMatchObject({ name: "app", image: "<IMAGE1_NAME>" });
  });

  it("rolls a blue/green release back on failure and on the ECS stack's alarms, between its two target groups", () => {
    const group = onlyResource(stack("test-ecs"), "aws_codedeploy_deployment_group");
    expect(group.auto_rollback_configuration).toEqual({
      enabled: true,
      events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
    });
    expect((group.alarm_configuration as { alarms: string[] }).alarms.length).toBeGreaterThan(0);
    const pair = (group.load_balancer_info as { target_group_pair_info: { target_group: unknown[] } })
      .target_group_pair_info;
    expect(pair.target_group).toHaveLength(2);
  });

  it("builds the site once, into one artifact; publishes a site after the deploy, an app's static files around it", () => {
    const built = build();
    const config = sampleConfig();
    const environments = ["dev", "test", "prod"].map((name) => ({
      name,
      target: (stackOf(built, `${name}-pipeline`) as EnvPipelineStack).outputs,
      ecs: (stackOf(built, `${name}-ecs`) as EcsStack).outputs,
      approval: false,
      migration: false,
      ...(name === "prod"
        ? { frontend: "site" as const }
        : name === "test"
          ? { frontend: "app" as const }
          : {}),
      url: `https://${name}.shop.example.com`,
    }));
    const delivery = new DeliveryStack(built.app, "with-frontend", {
      frame: stackOf(built, "delivery").frame,
      config: config.shared.pipeline!,
      source: config.shared.source!,
      shared: (stackOf(built, "shared") as SharedStack).outputs,
      registry: "web",
      environments,
    });
    const json = synthJson(delivery);
    const p = onlyResource(json, "aws_codepipeline");
    const prod = (p.stage as Stage[]).find((x) => x.name === "Release-prod")!;
    expect(prod.action.map((a) => a.name)).toEqual(["Deploy", "RecordImage", "PublishFrontend"]);
    // An app's new static files are up before its new pages ask for them; the old ones go after the deploy.
    const test = (p.stage as Stage[]).find((x) => x.name === "Release-test")!;
    expect(test.action.map((a) => [a.name, a.run_order])).toEqual([
      ["UploadStaticFiles", 1],
      ["Deploy", 2],
      ["RecordImage", 3],
      ["PublishFrontend", 4],
    ]);
    expect(test.action[0]?.configuration).toMatchObject({
      EnvironmentVariables: JSON.stringify([{ name: "STEP", value: "static-files", type: "PLAINTEXT" }]),
    });
    expect((p.stage as Stage[]).find((x) => x.name === "Release-dev")!.action.map((a) => a.name)).toEqual([
      "Deploy",
      "RecordImage",
    ]);
    const spec = (
      Object.entries(resourcesOf(json, "aws_codebuild_project")).find(([k]) => k.startsWith("Build"))![1]
        .source as { buildspec: string }
    ).buildspec;
    expect(spec.match(/npm ci && npm run build/g)).toHaveLength(1);
    expect(spec).toContain('"site/**/*"');
  });

  it("keeps the configured image when no pipeline releases the service", () => {
    const base = sampleConfig();
    const { pipeline: _, ...shared } = base.shared;
    const c = build({ ...base, shared });
    const json = synthJson(stackOf(c, "prod-ecs"));
    expect(resourcesOf(json, "aws_ssm_parameter")).toEqual({});
    const td = Object.values(resourcesOf(json, "aws_ecs_task_definition"))[0]!;
    expect(td.track_latest).toBeUndefined();
    expect(JSON.parse(td.container_definitions as string)[0].image).toMatch(/:initial$/);
    expect(c.stacks.map((s) => s.node.id)).not.toContain("delivery");
  });
});
