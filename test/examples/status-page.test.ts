// examples/status-page (seed 000): containers on EC2 behind an ALB, PostgreSQL, Redis with a replica, a WAF, and
// CodeDeploy releasing to test then production, asserted on the synthesized stacks.
import { buildspecOf, loadExample, pipelineStagesOf } from "./example.ts";

const ex = loadExample("status-page");
const STAGES = ["test", "prod"] as const;

/** The names of the rules of an environment's web ACL, and the ACL itself. */
function webAcl(stage: string) {
  const acl = ex.one(`${stage}-ecs`, "aws_wafv2_web_acl");
  const rules = acl.rule as {
    name: string;
    action?: Record<string, unknown>;
    statement: Record<string, unknown>;
  }[];
  return { acl, rules, names: rules.map((r) => r.name) };
}

describe("examples/status-page", () => {
  it("deploys test before prod: CodeDeploy releases to test first", () => {
    expect(ex.config.shared.environments).toEqual(["test", "prod"]);
    expect(ex.stackIds.indexOf("test-ecs")).toBeLessThan(ex.stackIds.indexOf("prod-network"));
  });

  describe.each(STAGES)("stage %s", (stage) => {
    it("runs the containers on t3.small EC2 instances in an Auto Scaling group in the private subnets", () => {
      expect(ex.one(`${stage}-ecs`, "aws_launch_template")).toMatchObject({ instance_type: "t3.small" });
      const asg = ex.one(`${stage}-ecs`, "aws_autoscaling_group");
      expect(asg.vpc_zone_identifier).toHaveLength(2);
      for (const s of asg.vpc_zone_identifier as string[]) expect(s).toMatch(/Vpc_Private_Az\d/);
      expect(ex.find(`${stage}-ecs`, "aws_ecs_capacity_provider")).toHaveLength(1);
    });

    it("gives the container instances no public IP", () => {
      const lt = ex.one(`${stage}-ecs`, "aws_launch_template");
      expect(lt.network_interfaces).toEqual([
        expect.objectContaining({ associate_public_ip_address: "false" }),
      ]);
    });

    it("spreads the internet-facing ALB over two AZs", () => {
      const lb = ex.one(`${stage}-ecs`, "aws_lb");
      expect(lb).toMatchObject({ internal: false, load_balancer_type: "application" });
      expect(lb.subnets).toHaveLength(2);
    });

    it("reaches the private subnets through a bastion with no inbound port and no public IP", () => {
      const bastion = ex.one(`${stage}-network`, "aws_instance", "Bastion");
      expect(bastion).toMatchObject({ associate_public_ip_address: false });
      expect(bastion.subnet_id).toMatch(/Vpc_Private_Az1/);
      expect(ex.find(`${stage}-network`, "aws_vpc_security_group_ingress_rule", "Bastion")).toHaveLength(0);
    });

    it("keeps PostgreSQL on RDS, encrypted and private", () => {
      expect(ex.one(`${stage}-db`, "aws_db_instance")).toMatchObject({
        engine: "postgres",
        storage_encrypted: true,
        publicly_accessible: false,
      });
    });

    it("guards the ALB against SQL injection and anonymous proxies/VPNs", () => {
      expect(webAcl(stage).names).toEqual(
        expect.arrayContaining(["AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAnonymousIpList"]),
      );
      expect(ex.find(`${stage}-ecs`, "aws_wafv2_web_acl_association")).toHaveLength(1);
    });

    it("fights bots with Bot Control and a CAPTCHA on the login page", () => {
      const { rules, names } = webAcl(stage);
      expect(names).toContain("AWSManagedRulesBotControlRuleSet");
      const captcha = rules.find((r) => r.action && "captcha" in r.action);
      expect(JSON.stringify(captcha?.statement)).toContain('"search_string":"/login"');
    });

    it("releases blue/green through CodeDeploy, rolling back on failure", () => {
      expect(ex.one(`${stage}-ecs`, "aws_ecs_service").deployment_controller).toEqual({
        type: "CODE_DEPLOY",
      });
      expect(ex.one(`${stage}-ecs`, "aws_codedeploy_deployment_group")).toMatchObject({
        deployment_style: { deployment_option: "WITH_TRAFFIC_CONTROL", deployment_type: "BLUE_GREEN" },
        auto_rollback_configuration: { enabled: true },
      });
    });
  });

  it("sizes production for the seed's budget: a small Multi-AZ RDS and a Redis primary with one replica", () => {
    expect(ex.one("prod-db", "aws_db_instance")).toMatchObject({
      instance_class: "db.t4g.small",
      multi_az: true,
    });
    expect(ex.one("prod-db", "aws_elasticache_replication_group")).toMatchObject({
      engine: "redis",
      node_type: "cache.t4g.small",
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
    });
  });

  it("keeps production's instances between one and two per AZ", () => {
    expect(ex.one("prod-ecs", "aws_autoscaling_group")).toMatchObject({ min_size: 2, max_size: 4 });
  });

  it("builds each push to main once, releases it by CodeDeploy to test, then after an approval to production", () => {
    expect(pipelineStagesOf(ex)).toEqual([
      ["Source", ["Source:CodeStarSourceConnection"]],
      ["Build", ["TestAndBuildImage:CodeBuild"]],
      ["Release-test", ["Migrate:CodeBuild", "Deploy:CodeDeployToECS", "RecordImage:CodeBuild"]],
      [
        "Release-prod",
        ["Approve:Manual", "Migrate:CodeBuild", "Deploy:CodeDeployToECS", "RecordImage:CodeBuild"],
      ],
    ]);
    const trigger = ex.one("delivery", "aws_codepipeline").trigger as {
      git_configuration: { push: object[] };
    }[];
    expect(trigger[0]?.git_configuration.push).toEqual([{ branches: { includes: ["main"] } }]);
    expect(buildspecOf(ex)).toContain("python manage.py test --noinput");
  });

  it("cleans images out of ECR by itself: untagged after a day, beyond the 10 newest tagged", () => {
    const policy = JSON.parse(ex.one("shared", "aws_ecr_lifecycle_policy").policy as string) as {
      rules: { selection: { tagStatus: string; countNumber: number }; action: { type: string } }[];
    };
    expect(policy.rules.map((r) => [r.selection.tagStatus, r.selection.countNumber, r.action.type])).toEqual([
      ["tagged", 100, "expire"], // released images, kept apart (released-<env>-<digest>)
      ["untagged", 1, "expire"],
      ["tagged", 10, "expire"],
    ]);
  });
});
