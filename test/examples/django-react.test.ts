// examples/django-react (seed 001): a Django API on ECS with DynamoDB, Route 53 and ACM, secrets from SSM, and
// CodeDeploy blue/green in test and prod, each in its own account, asserted on the synthesized stacks.
import { buildspecOf, distributionOf, loadExample, pipelineStagesOf } from "./example.ts";

const ex = loadExample("django-react");
const distribution = (env: string) => distributionOf(ex, env);
const ENVS = ["test", "prod"] as const;

/** The provider block of a stack's default AWS provider. */
function awsProvider(stackId: string): Record<string, unknown> {
  const providers = (ex.stack(stackId).provider?.aws ?? []) as Record<string, unknown>[];
  const main = providers.find((p) => p.alias === undefined);
  if (!main) throw new Error(`${stackId} has no default aws provider`);
  return main;
}

describe("examples/django-react", () => {
  it("keeps test and prod in separate accounts, each reached through its own role", () => {
    const [test, prod] = ENVS.map((e) => awsProvider(`${e}-ecs`));
    expect(test).toMatchObject({ allowed_account_ids: ["100000000001"] });
    expect(prod).toMatchObject({ allowed_account_ids: ["100000000002"] });
    expect(JSON.stringify(test?.assume_role)).toContain("arn:aws:iam::100000000001:role/djreact-terraform");
    expect(JSON.stringify(prod?.assume_role)).toContain("arn:aws:iam::100000000002:role/djreact-terraform");
  });

  it("promotes test before prod", () => {
    expect(ex.config.shared.environments).toEqual(["test", "prod"]);
  });

  describe.each(ENVS)("environment %s", (env) => {
    it("runs the Django API on ECS tasks spread over the AZs' private subnets", () => {
      const svc = ex.one(`${env}-ecs`, "aws_ecs_service");
      const net = svc.network_configuration as { assign_public_ip: boolean; subnets: string[] };
      expect(net.assign_public_ip).toBe(false);
      expect(net.subnets.length).toBeGreaterThanOrEqual(2);
    });

    it("gives the API one DynamoDB table, encrypted with point-in-time recovery", () => {
      expect(ex.one(`${env}-db`, "aws_dynamodb_table")).toMatchObject({
        billing_mode: "PROVISIONED",
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
      });
    });

    it("autoscales the table's read and write capacity", () => {
      const dims = ex.find(`${env}-db`, "aws_appautoscaling_target").map((t) => t.body.scalable_dimension);
      expect(dims).toEqual(
        expect.arrayContaining(["dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"]),
      );
      expect(dims).toHaveLength(2);
      expect(ex.find(`${env}-db`, "aws_appautoscaling_policy")).toHaveLength(2);
    });

    it("lets the task role use only its own table", () => {
      const policy = ex.one(`${env}-ecs`, "aws_iam_role_policy", "Service_TaskPolicy").policy as string;
      expect(policy).toMatch(/aws_dynamodb_table\.?Table-items_/);
      expect(policy).not.toMatch(/"Resource":"\*"/);
    });

    it("injects the Django secret key from an SSM parameter, never as a value", () => {
      const defs = JSON.parse(
        ex.one(`${env}-ecs`, "aws_ecs_task_definition", "Service_TaskDefinition")
          .container_definitions as string,
      ) as { secrets?: { name: string; valueFrom: string }[]; environment?: { name: string }[] }[];
      expect(defs[0]?.secrets).toEqual([
        {
          name: "DJANGO_SECRET_KEY",
          valueFrom: expect.stringMatching(/^arn:aws:ssm:.*:parameter\/djreact\//),
        },
      ]);
      expect(defs[0]?.environment?.map((e) => e.name)).not.toContain("DJANGO_SECRET_KEY");
    });

    it("serves HTTPS with an ACM certificate under a Route 53 name", () => {
      const name = env === "prod" ? "api.djreact.example.com" : "api.test.djreact.example.com";
      expect(ex.one(`${env}-ecs`, "aws_acm_certificate")).toMatchObject({ domain_name: name });
      expect(ex.one(`${env}-ecs`, "aws_route53_record", "AliasRecord")).toMatchObject({
        name,
        provider: "aws.dns",
      });
    });

    it("releases blue/green through CodeDeploy with automatic rollback", () => {
      expect(ex.one(`${env}-ecs`, "aws_ecs_service").deployment_controller).toEqual({ type: "CODE_DEPLOY" });
      expect(ex.one(`${env}-ecs`, "aws_codedeploy_deployment_group")).toMatchObject({
        deployment_style: { deployment_type: "BLUE_GREEN" },
        auto_rollback_configuration: { enabled: true },
      });
      expect(ex.find(`${env}-ecs`, "aws_lb_target_group")).toHaveLength(2);
    });

    it("serves the React build from a private S3 bucket through CloudFront on the environment's domain", () => {
      const site = env === "prod" ? "djreact.example.com" : "test.djreact.example.com";
      const { d, origins, defaultOrigin } = distribution(env);
      expect(d.aliases).toEqual([site]);
      expect(origins.find((o) => o.origin_id === defaultOrigin)).toMatchObject({
        domain_name: expect.stringMatching(/\.s3\..*amazonaws\.com$/),
        origin_access_control_id: expect.any(String),
      });
      expect(ex.find(`${env}-frontend`, "aws_route53_record", "Aliases").length).toBeGreaterThan(0);
    });

    it("sends /api/* and /admin/* through the same distribution to the now internal load balancer", () => {
      const { origins, behaviours } = distribution(env);
      const api = origins.find((o) => o.vpc_origin_config);
      expect(behaviours.map((b) => [b.path_pattern, b.target_origin_id])).toEqual([
        ["/api/*", api?.origin_id],
        ["/admin/*", api?.origin_id],
      ]);
      expect(ex.one(`${env}-ecs`, "aws_lb")).toMatchObject({ internal: true });
    });

    it("scales the API's tasks on CPU and requests", () => {
      expect(ex.find(`${env}-ecs`, "aws_appautoscaling_policy").map((p) => p.address)).toEqual([
        expect.stringContaining("Scaling_CpuTracking"),
        expect.stringContaining("Scaling_RequestsTracking"),
      ]);
    });
  });

  it("shifts production traffic as a canary and keeps the old tasks 30 minutes for a rollback", () => {
    expect(ex.one("prod-ecs", "aws_codedeploy_deployment_group")).toMatchObject({
      deployment_config_name: "CodeDeployDefault.ECSCanary10Percent5Minutes",
      blue_green_deployment_config: {
        terminate_blue_instances_on_deployment_success: { termination_wait_time_in_minutes: 30 },
      },
    });
  });

  it("builds the backend image and the React site in CodeBuild from each push, in one build", () => {
    expect(ex.one("delivery", "aws_codepipeline").trigger).toEqual([
      expect.objectContaining({ provider_type: "CodeStarSourceConnection" }),
    ]);
    const spec = buildspecOf(ex);
    expect(spec).toContain("cd frontend && npm ci && npm run build");
    expect(spec).toContain("docker build");
  });

  it("releases blue/green to test, waits for a manual approval, then releases blue/green to prod", () => {
    const release = [
      "Migrate:CodeBuild",
      "Deploy:CodeDeployToECS",
      "RecordImage:CodeBuild",
      "PublishFrontend:CodeBuild",
    ];
    expect(pipelineStagesOf(ex)).toEqual([
      ["Source", ["Source:CodeStarSourceConnection"]],
      ["Build", ["TestAndBuildImage:CodeBuild"]],
      ["Release-test", release],
      ["Release-prod", ["Approve:Manual", ...release]],
    ]);
  });

  it("lets both accounts pull the API image from the shared registry", () => {
    const policy = ex.one("shared", "aws_ecr_repository_policy").policy as string;
    for (const account of ["100000000001", "100000000002"]) expect(policy).toContain(account);
  });
});
