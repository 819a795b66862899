// examples/notejam (seed 002): Fargate, Aurora MySQL, three-year backups, per-environment subdomains, peak-ready
// scaling and the seed's listed improvements, asserted on the synthesized stacks.
import { buildspecOf, loadExample, pipelineStagesOf } from "./example.ts";

const ex = loadExample("notejam");
const ENVS = ["dev", "test", "prod"] as const;

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
      const name = env === "prod" ? "notejam.example.com" : `${env}.notejam.example.com`;
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
    const d = ex.one("prod-frontend", "aws_cloudfront_distribution");
    expect(d.aliases).toEqual(["static.notejam.example.com"]);
    expect(d.origin).toEqual([expect.objectContaining({ origin_access_control_id: expect.any(String) })]);
    expect(ex.one("prod-frontend", "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("answers on www as well in production, on the same certificate", () => {
    expect(ex.one("prod-ecs", "aws_acm_certificate")).toMatchObject({
      subject_alternative_names: ["www.notejam.example.com"],
    });
    const names = ex.find("prod-ecs", "aws_route53_record", "AliasRecord").map((r) => r.body.name);
    expect(names).toEqual(expect.arrayContaining(["notejam.example.com", "www.notejam.example.com"]));
  });

  it("runs the unit tests first, then builds, migrates the database and deploys, in each environment in turn", () => {
    const release = ["Migrate:CodeBuild", "Deploy:ECS", "RecordImage:CodeBuild"];
    expect(pipelineStagesOf(ex)).toEqual([
      ["Source", ["Source:CodeStarSourceConnection"]],
      ["Build", ["TestAndBuildImage:CodeBuild"]],
      ["Release-dev", release],
      ["Release-test", release],
      ["Release-prod", ["Approve:Manual", ...release, "PublishFrontend:CodeBuild"]],
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
