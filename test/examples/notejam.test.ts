// examples/notejam (seed 002): Fargate, Aurora MySQL, three-year backups, per-environment subdomains, peak-ready
// scaling and the seed's listed improvements, asserted on the synthesized stacks.
import { buildspecOf, distributionOf, loadExample, pipelineStagesOf } from "./example.ts";

const ex = loadExample("notejam");
const ENVS = ["dev", "test", "prod"] as const;
/** CloudFront's managed policies for the app's pages (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html). */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

describe("examples/notejam", () => {
  it("provisions dev, test and prod with the same stacks", () => {
    expect(ex.stackIds).toEqual([
      "bootstrap",
      "shared",
      ...["dev", "test"].flatMap((e) => [`${e}-network`, `${e}-db`, `${e}-ecs`, `${e}-pipeline`]),
      "prod-network",
      "prod-db",
      "prod-ecs",
      "prod-frontend",
      "prod-pipeline",
      "delivery",
    ]);
  });

  describe.each(ENVS)("environment %s", (env) => {
    it("runs the application on Fargate in private subnets", () => {
      const svc = ex.one(`${env}-ecs`, "aws_ecs_service");
      expect(svc.capacity_provider_strategy).toEqual([
        expect.objectContaining({ capacity_provider: "FARGATE" }),
      ]);
      expect(svc.network_configuration).toMatchObject({ assign_public_ip: false });
    });

    it("stores notes in an encrypted Aurora MySQL cluster", () => {
      expect(ex.one(`${env}-db`, "aws_rds_cluster")).toMatchObject({
        engine: "aurora-mysql",
        storage_encrypted: true,
      });
    });

    it("answers on its own subdomain over HTTPS", () => {
      // prod's load balancer has its own name for CloudFront; browsers reach the apex through the distribution.
      const name = env === "prod" ? "origin.notejam.example.com" : `${env}.notejam.example.com`;
      const aliases = ex.find(`${env}-ecs`, "aws_route53_record", "AliasRecord").map((r) => r.body);
      expect(aliases[0]).toMatchObject({ name, type: "A" });
      expect(ex.one(`${env}-ecs`, "aws_acm_certificate")).toMatchObject({ domain_name: name });
      expect(ex.one(`${env}-ecs`, "aws_lb_listener", "LoadBalancer_HttpsListener")).toMatchObject({
        protocol: "HTTPS",
        port: 443,
      });
    });

    it("scales tasks on CPU load", () => {
      expect(ex.one(`${env}-ecs`, "aws_appautoscaling_policy", "Scaling_CpuTracking")).toMatchObject({
        target_tracking_scaling_policy_configuration: {
          predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" },
        },
      });
    });

    it("caches in ElastiCache Redis (improvement)", () => {
      expect(ex.one(`${env}-db`, "aws_elasticache_replication_group")).toMatchObject({ engine: "redis" });
    });

    it("puts a web application firewall in front of the load balancer (improvement)", () => {
      expect(ex.find(`${env}-ecs`, "aws_wafv2_web_acl")).toHaveLength(1);
      expect(ex.find(`${env}-ecs`, "aws_wafv2_web_acl_association")).toHaveLength(1);
    });
  });

  it("serves production's static assets from a private S3 bucket through CloudFront (improvement)", () => {
    const { d, origins, behaviours } = distributionOf(ex, "prod");
    expect(behaviours.map((b) => [b.path_pattern, b.target_origin_id])).toEqual([["/static/*", "site"]]);
    expect(origins.find((o) => o.origin_id === "site")).toMatchObject({
      origin_access_control_id: expect.any(String),
    });
    expect((d.ordered_cache_behavior as { cache_policy_id: string }[])[0]!.cache_policy_id).not.toBe(
      CACHING_DISABLED,
    );
    expect(ex.one("prod-frontend", "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("renders every other path in the app behind the same name, uncached, keeping the app's own 404s", () => {
    const { d, defaultOrigin } = distributionOf(ex, "prod");
    expect(defaultOrigin).toBe("api");
    expect(d.default_cache_behavior).toMatchObject({
      cache_policy_id: CACHING_DISABLED,
      origin_request_policy_id: ALL_VIEWER_EXCEPT_HOST,
      allowed_methods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    });
    expect(d.custom_error_response).toBeUndefined();
    expect(d.default_root_object).toBeUndefined();
  });

  it("keeps production's load balancer internal, reached by CloudFront through a VPC origin", () => {
    expect(ex.one("prod-ecs", "aws_lb")).toMatchObject({ internal: true });
    expect(distributionOf(ex, "prod").origins.find((o) => o.origin_id === "api")).toMatchObject({
      domain_name: "origin.notejam.example.com",
      vpc_origin_config: expect.any(Object),
    });
  });

  it("answers on the apex and on www in production, on one certificate, through CloudFront", () => {
    expect(distributionOf(ex, "prod").d.aliases).toEqual(["notejam.example.com", "www.notejam.example.com"]);
    expect(ex.one("prod-frontend", "aws_acm_certificate")).toMatchObject({
      domain_name: "notejam.example.com",
      subject_alternative_names: ["www.notejam.example.com"],
    });
    const records = ex.find("prod-frontend", "aws_route53_record", "Aliases").map((r) => r.body);
    expect(records.map((r) => `${String(r.name)} ${String(r.type)}`).sort()).toEqual([
      "notejam.example.com A",
      "notejam.example.com AAAA",
      "www.notejam.example.com A",
      "www.notejam.example.com AAAA",
    ]);
  });

  it("guards production's pages with a CloudFront web ACL too, which limits each viewer's rate at the edge", () => {
    expect(ex.find("prod-frontend", "aws_wafv2_web_acl")).toHaveLength(1);
    expect(distributionOf(ex, "prod").d.web_acl_id).toEqual(expect.stringContaining("aws_wafv2_web_acl"));
  });

  it("uploads the collected static files before the deploy, then prunes them and invalidates them at the edge", () => {
    const release = ex.one("prod-pipeline", "aws_codebuild_project").source as { buildspec: string };
    expect(release.buildspec).toContain('if [ "$STEP" = static-files ]; then');
    expect(release.buildspec).toContain('[ ! -f "$CODEBUILD_SRC_DIR/site/index.html" ]');
    expect(release.buildspec).toContain('--paths "/*"');
  });

  it("runs the unit tests first, then builds, migrates the database and deploys, in each environment in turn", () => {
    const release = ["Migrate:CodeBuild", "Deploy:ECS", "RecordImage:CodeBuild"];
    expect(pipelineStagesOf(ex)).toEqual([
      ["Source", ["Source:CodeStarSourceConnection"]],
      ["Build", ["TestAndBuildImage:CodeBuild"]],
      ["Release-dev", release],
      ["Release-test", release],
      [
        "Release-prod",
        [
          "Approve:Manual",
          "Migrate:CodeBuild",
          "UploadStaticFiles:CodeBuild",
          "Deploy:ECS",
          "RecordImage:CodeBuild",
          "PublishFrontend:CodeBuild",
        ],
      ],
    ]);
    const spec = buildspecOf(ex);
    expect(spec.indexOf("python manage.py test")).toBeLessThan(spec.indexOf("docker build"));
  });

  it("starts a release on pushes to main and on new v* tags (improvement)", () => {
    const trigger = ex.one("delivery", "aws_codepipeline").trigger as {
      git_configuration: { push: object[] };
    }[];
    expect(trigger[0]?.git_configuration.push).toEqual([
      { branches: { includes: ["main"] } },
      { tags: { includes: ["v*"] } },
    ]);
  });

  it("keeps a NAT gateway in each of production's AZs", () => {
    expect(ex.find("prod-network", "aws_nat_gateway")).toHaveLength(3);
    expect(ex.find("prod-network", "aws_route", "Vpc_PrivateRouteTables")).toHaveLength(3);
  });

  it("autoscales production's Aurora readers between one and four on CPU", () => {
    expect(ex.one("prod-db", "aws_appautoscaling_target")).toMatchObject({
      scalable_dimension: "rds:cluster:ReadReplicaCount",
      min_capacity: 1,
      max_capacity: 4,
    });
    expect(ex.one("prod-db", "aws_appautoscaling_policy")).toMatchObject({
      target_tracking_scaling_policy_configuration: {
        predefined_metric_specification: { predefined_metric_type: "RDSReaderAverageCPUUtilization" },
      },
    });
  });

  it("keeps production's monthly backups three years in a locked vault", () => {
    const rules = ex.one("prod-db", "aws_backup_plan").rule as { rule_name: string; lifecycle: object }[];
    expect(rules.find((r) => r.rule_name === "monthly")?.lifecycle).toMatchObject({ delete_after: 1095 });
    expect(ex.find("prod-db", "aws_backup_vault_lock_configuration")).toHaveLength(1);
  });

  it("allows four times the typical task count for event peaks, and warms up for business hours", () => {
    const target = ex.one("prod-ecs", "aws_appautoscaling_target");
    expect(target.max_capacity).toBe(4 * (target.min_capacity as number));
    const windows = ex.find("prod-ecs", "aws_appautoscaling_scheduled_action").map((w) => w.body);
    const business = windows.find((w) => String(w.name).endsWith("business-hours"));
    expect(business).toMatchObject({ schedule: "cron(0 7 ? * MON-FRI *)" });
    const action = business?.scalable_target_action as { min_capacity: string; max_capacity: string };
    expect(Number(action.max_capacity)).toBe(4 * Number(action.min_capacity));
  });

  it("reaches the private subnets of dev and prod through a Session Manager bastion (improvement)", () => {
    for (const env of ["dev", "prod"])
      expect(ex.one(`${env}-network`, "aws_instance", "Bastion")).toMatchObject({
        associate_public_ip_address: false,
      });
  });

  it("alarms on CPU, memory, 5xx, unhealthy tasks and p95 latency in production (improvement)", () => {
    const names = ex.find("prod-ecs", "aws_cloudwatch_metric_alarm").map((a) => a.body.metric_name);
    expect(names).toEqual(
      expect.arrayContaining([
        "CPUUtilization",
        "MemoryUtilization",
        "HTTPCode_ELB_5XX_Count",
        "HTTPCode_Target_5XX_Count",
        "UnHealthyHostCount",
        "TargetResponseTime",
      ]),
    );
  });
});
