// examples/phoenix (seed 004): every Phoenix requirement, asserted on the synthesized stacks of both stages.
import { buildspecOf, loadExample, pipelineStagesOf } from "./example.ts";

const ex = loadExample("phoenix");
const STAGES = ["qa", "prod"] as const;

describe("examples/phoenix", () => {
  it("synthesizes network, data and ECS stacks for each stage after bootstrap and shared", () => {
    expect(ex.stackIds).toEqual([
      "bootstrap",
      "shared",
      ...STAGES.flatMap((s) => [`${s}-network`, `${s}-db`, `${s}-ecs`, `${s}-pipeline`]),
      "delivery",
    ]);
  });

  describe.each(STAGES)("stage %s", (stage) => {
    it("runs the tasks on Fargate in private subnets of two AZs without public IPs", () => {
      const svc = ex.one(`${stage}-ecs`, "aws_ecs_service");
      const net = svc.network_configuration as { assign_public_ip: boolean; subnets: string[] };
      expect(net.assign_public_ip).toBe(false);
      expect(net.subnets).toHaveLength(2);
      for (const s of net.subnets) expect(s).toMatch(/Vpc_Private_Az\d/);
      expect(svc.capacity_provider_strategy).toEqual([
        expect.objectContaining({ capacity_provider: "FARGATE" }),
      ]);
    });

    it("keeps at least two tasks, which ECS replaces when one crashes", () => {
      const target = ex.one(`${stage}-ecs`, "aws_appautoscaling_target");
      expect(target.min_capacity).toBeGreaterThanOrEqual(2);
      expect(ex.one(`${stage}-ecs`, "aws_ecs_service").desired_count).toBeGreaterThanOrEqual(2);
    });

    it("keeps container logs 7 days", () => {
      expect(ex.one(`${stage}-ecs`, "aws_cloudwatch_log_group", "Service_LogGroup").retention_in_days).toBe(
        7,
      );
    });

    it("keeps DocumentDB backups and its exported logs 7 days", () => {
      const cluster = ex.one(`${stage}-db`, "aws_docdb_cluster");
      expect(cluster).toMatchObject({ engine: "docdb", backup_retention_period: 7, storage_encrypted: true });
      const logs = ex.find(`${stage}-db`, "aws_cloudwatch_log_group", "Store-docs_Log");
      expect(logs.length).toBeGreaterThan(0);
      for (const l of logs) expect(l.body.retention_in_days).toBe(7);
    });

    it("declares the 7-day database log retention a deliberate Checkov exception (CKV_AWS_338)", () => {
      const ids = Object.entries(ex.exceptions(`${stage}-db`, "aws_cloudwatch_log_group"));
      expect(ids.length).toBeGreaterThan(0);
      for (const [, checks] of ids) expect(checks).toContain("CKV_AWS_338");
    });

    it("keeps AWS Backup recovery points 7 days", () => {
      const plan = ex.one(`${stage}-db`, "aws_backup_plan");
      const rules = plan.rule as { lifecycle: { delete_after: number } }[];
      for (const r of rules) expect(r.lifecycle.delete_after).toBe(7);
    });

    it("notifies the alerts topic on any CPU peak: one breaching minute is enough", () => {
      const alarm = ex.one(`${stage}-ecs`, "aws_cloudwatch_metric_alarm", "AlarmCpuHigh");
      expect(alarm).toMatchObject({
        metric_name: "CPUUtilization",
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
      });
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\.?Alerts_/)]);
    });

    it("scales out when requests exceed 10 per second per task (600 per minute per target)", () => {
      const policy = ex.one(`${stage}-ecs`, "aws_appautoscaling_policy", "Scaling_RequestsTracking");
      expect(policy.target_tracking_scaling_policy_configuration).toMatchObject({
        predefined_metric_specification: { predefined_metric_type: "ALBRequestCountPerTarget" },
        target_value: 600,
      });
    });
  });

  it("e-mails someone from the alerts topic the CPU alarms notify", () => {
    expect(ex.one("shared", "aws_sns_topic_subscription")).toMatchObject({
      protocol: "email",
      endpoint: "phoenix-oncall@example.com",
    });
  });

  it("stores the images the pipeline builds in one ECR repository with a lifecycle policy", () => {
    expect(ex.one("shared", "aws_ecr_repository")).toMatchObject({ name: "phoenix/app" });
    expect(ex.find("shared", "aws_ecr_lifecycle_policy")).toHaveLength(1);
  });

  it("builds every push once in CodePipeline and CodeBuild, then deploys it to qa and, after an approval, to prod", () => {
    expect(pipelineStagesOf(ex)).toEqual([
      ["Source", ["Source:CodeStarSourceConnection"]],
      ["Build", ["TestAndBuildImage:CodeBuild"]],
      ["Release-qa", ["Deploy:ECS", "RecordImage:CodeBuild"]],
      ["Release-prod", ["Approve:Manual", "Deploy:ECS", "RecordImage:CodeBuild"]],
    ]);
    expect(buildspecOf(ex)).toContain("npm ci && npm test");
  });

  it("connects to the GitHub repository the pipeline builds from", () => {
    expect(ex.one("shared", "aws_codestarconnections_connection")).toMatchObject({ provider_type: "GitHub" });
  });
});
