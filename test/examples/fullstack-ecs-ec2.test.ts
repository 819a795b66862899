// examples/fullstack-ecs-ec2 (seed 003): ECS on EC2 with autoscaling, ElastiCache and DocumentDB behind an ALB in
// two AZs, for dev, demo and prod, asserted on the synthesized stacks.
import { distributionOf, loadExample } from "./example.ts";

const ex = loadExample("fullstack-ecs-ec2");
const distribution = (env: string) => distributionOf(ex, env);
const STAGES = ["dev", "demo", "prod"] as const;

describe("examples/fullstack-ecs-ec2", () => {
  it("provisions the dev, demo and prod stages in that order", () => {
    expect(ex.config.shared.environments).toEqual(["dev", "demo", "prod"]);
    expect(ex.stackIds.filter((s) => s.endsWith("-ecs"))).toEqual(["dev-ecs", "demo-ecs", "prod-ecs"]);
  });

  describe.each(STAGES)("stage %s", (stage) => {
    it("places the tasks on EC2 container instances through an ECS capacity provider", () => {
      const strategy = ex.one(`${stage}-ecs`, "aws_ecs_service").capacity_provider_strategy as {
        capacity_provider: string;
      }[];
      expect(strategy).toEqual([
        expect.objectContaining({ capacity_provider: expect.stringMatching(/aws_ecs_capacity_provider\./) }),
      ]);
    });

    it("scales the EC2 instances with ECS managed scaling", () => {
      expect(ex.one(`${stage}-ecs`, "aws_ecs_capacity_provider")).toMatchObject({
        auto_scaling_group_provider: { managed_scaling: { status: "ENABLED" } },
      });
      const asg = ex.one(`${stage}-ecs`, "aws_autoscaling_group");
      expect(asg.max_size as number).toBeGreaterThan(asg.min_size as number);
    });

    it("spreads the instances and the (internal) ALB over two AZs", () => {
      expect(ex.one(`${stage}-ecs`, "aws_autoscaling_group").vpc_zone_identifier).toHaveLength(2);
      expect(ex.one(`${stage}-ecs`, "aws_lb").subnets).toHaveLength(2);
    });

    it("routes static content to S3 and dynamic /api/* requests to the ALB through one CloudFront distribution", () => {
      const { origins, behaviours, defaultOrigin } = distribution(stage);
      expect(origins.find((o) => o.origin_id === defaultOrigin)?.domain_name).toMatch(
        /\.s3\..*amazonaws\.com$/,
      );
      const api = origins.find((o) => o.vpc_origin_config);
      expect(behaviours.map((b) => [b.path_pattern, b.target_origin_id])).toEqual([
        ["/api/*", api?.origin_id],
      ]);
    });

    it("points Route 53 at CloudFront and keeps the ALB internal", () => {
      const site = stage === "prod" ? "fullstack.example.com" : `${stage}.fullstack.example.com`;
      expect(distribution(stage).d.aliases).toEqual([site]);
      const aliases = ex.find(`${stage}-frontend`, "aws_route53_record", "Aliases").map((r) => r.body);
      expect(aliases).toEqual(expect.arrayContaining([expect.objectContaining({ name: site, type: "A" })]));
      expect(ex.one(`${stage}-ecs`, "aws_lb")).toMatchObject({ internal: true });
    });

    it("scales the tasks on CPU and requests", () => {
      expect(ex.find(`${stage}-ecs`, "aws_appautoscaling_policy")).toHaveLength(2);
    });

    it("keeps persistent data in an encrypted, MongoDB-compatible DocumentDB cluster", () => {
      expect(ex.one(`${stage}-db`, "aws_docdb_cluster")).toMatchObject({
        engine: "docdb",
        storage_encrypted: true,
      });
    });

    it("caches in ElastiCache Redis", () => {
      expect(ex.one(`${stage}-db`, "aws_elasticache_replication_group")).toMatchObject({
        engine: "redis",
        at_rest_encryption_enabled: "true",
      });
    });

    it("admits the tasks to both stores through the data stack's client security group", () => {
      const groups = (
        ex.one(`${stage}-ecs`, "aws_ecs_service").network_configuration as { security_groups: string[] }
      ).security_groups;
      expect(groups.some((g) => g.includes("ClientSecurityGroup"))).toBe(true);
    });
  });

  // With a pipeline the task definition reads the image from a parameter that each release overwrites; the
  // configured image is that parameter's first value.
  it("starts dev from the seed's public sample image", () => {
    expect(ex.one("dev-ecs", "aws_ssm_parameter", "ReleasedImage")).toMatchObject({
      insecure_value: "public.ecr.aws/aws-containers/hello-app-runner:latest",
      lifecycle: { ignore_changes: ["insecure_value"] },
    });
    // and its tasks may already pull what the first release pushes to the project's registry
    const pulls = ex
      .find("dev-ecs", "aws_iam_role_policy")
      .flatMap(
        (p) =>
          (JSON.parse(p.body.policy as string) as { Statement: { Sid?: string; Resource?: unknown }[] })
            .Statement,
      )
      .filter((st) => st.Sid === "PullImage");
    expect(pulls.length).toBeGreaterThan(0);
    for (const pull of pulls) expect(pull.Resource).toMatch(/aws_ecr_repository\.?Registry-app_/);
  });

  it("runs demo and prod from the project's ECR repository until the first release", () => {
    for (const stage of ["demo", "prod"])
      expect(ex.one(`${stage}-ecs`, "aws_ssm_parameter", "ReleasedImage").insecure_value).toMatch(
        /aws_ecr_repository\.?Registry-app_.*:initial$/,
      );
  });

  it("releases from GitHub Actions through an OIDC deploy role per stage: no CodePipeline, no stored AWS keys", () => {
    expect(ex.config.shared.pipeline?.delivery).toBe("github-actions");
    expect(ex.stackIds).not.toContain("delivery");
    expect(ex.stackIds.filter((s) => s.endsWith("-pipeline"))).toEqual([
      "dev-pipeline",
      "demo-pipeline",
      "prod-pipeline",
    ]);
    for (const stage of STAGES) {
      const trust = JSON.parse(ex.one(`${stage}-pipeline`, "aws_iam_role").assume_role_policy as string) as {
        Statement: { Condition: unknown }[];
      };
      expect(trust.Statement[0]?.Condition).toEqual({
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": `repo:example-org/fullstack:environment:${stage}`,
        },
      });
    }
    // dev and demo share an account: one OIDC provider there (dev's), one in prod's
    expect(ex.find("dev-pipeline", "aws_iam_openid_connect_provider")).toHaveLength(1);
    expect(ex.find("demo-pipeline", "aws_iam_openid_connect_provider")).toEqual([]);
    expect(ex.find("prod-pipeline", "aws_iam_openid_connect_provider")).toHaveLength(1);
    for (const id of ex.stackIds) expect(ex.find(id, "aws_iam_access_key")).toEqual([]);
  });

  it("gives production a DocumentDB reader and a Redis replica in the other AZ", () => {
    expect(ex.find("prod-db", "aws_docdb_cluster_instance")).toHaveLength(2);
    expect(ex.one("prod-db", "aws_elasticache_replication_group")).toMatchObject({
      num_cache_clusters: 2,
      multi_az_enabled: true,
    });
  });
});
