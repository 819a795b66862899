// What a first real deployment of the sample environments would hit, found by an AWS review of the synthesized
// output (issue 17, "Defects to fix"): each block guards one defect on the stacks the sample files produce.
import { replacementNames } from "../guardrails/rules/replacement-names.ts";
import { blocksOf } from "../guardrails/view.ts";
import { EXEC_AGENT_PATHS } from "../modules/ecs-service/ecs-service.ts";
import { onlyResource, resourcesOf, sampleApp, sampleStack } from "./helpers.ts";

const built = sampleApp();
const json = (id: string) => sampleStack(id).json;
/** The service's own task definition (not the migration task's). */
const serviceTask = (id: string) =>
  Object.values(resourcesOf(json(id), "aws_ecs_task_definition")).find(
    (t) => !String(t.family).endsWith("-migrate"),
  )!;

describe("ECS Exec under a read-only root filesystem", () => {
  it("mounts writable volumes at the agent's paths when execCommand is on (dev)", () => {
    const td = serviceTask("dev-ecs");
    const [container] = JSON.parse(td.container_definitions as string) as {
      readonlyRootFilesystem: boolean;
      mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
    }[];
    expect(container!.readonlyRootFilesystem).toBe(true);
    const mounted = container!.mountPoints.filter((m) => !m.readOnly).map((m) => m.containerPath);
    expect(mounted).toEqual(expect.arrayContaining([...EXEC_AGENT_PATHS]));
    const volumes = (td.volume as { name: string }[]).map((v) => v.name);
    for (const m of container!.mountPoints) expect(volumes).toContain(m.sourceVolume);
  });

  it("mounts nothing for the agent when execCommand is off (prod)", () => {
    const td = serviceTask("prod-ecs");
    expect(td.container_definitions).not.toContain("/managed-agents");
  });
});

describe("create_before_destroy and names", () => {
  it.each(built.stacks.map((s) => [s.node.id, s] as const))(
    "leaves no fixed unique name on a create_before_destroy resource in %s",
    (_id, stack) => {
      const found = replacementNames({ stackId: _id, blocks: blocksOf(stack), protected: true });
      expect(found.map((f) => f.block.address)).toEqual([]);
    },
  );
});

describe("request-count scaling under blue/green", () => {
  it("tracks requests per target summed over both target groups, so it follows whichever is live (test)", () => {
    const j = json("test-ecs");
    const groups = Object.keys(resourcesOf(j, "aws_lb_target_group")).map(
      (id) => `\${aws_lb_target_group.${id}.arn_suffix}`,
    );
    expect(groups).toHaveLength(2);
    const policy = Object.values(resourcesOf(j, "aws_appautoscaling_policy")).find((p) =>
      String(p.name).endsWith("-requests"),
    )!;
    const config = policy.target_tracking_scaling_policy_configuration as Record<string, unknown>;
    expect(config.predefined_metric_specification).toBeUndefined();
    const metrics = (config.customized_metric_specification as { metrics: Record<string, unknown>[] })
      .metrics;
    const counted = metrics.flatMap((m) => {
      const stat = m.metric_stat as {
        metric: { metric_name: string; dimensions: { name: string; value: string }[] };
      };
      return stat ? [stat.metric] : [];
    });
    expect(counted.map((m) => m.metric_name)).toEqual(["RequestCountPerTarget", "RequestCountPerTarget"]);
    expect(counted.map((m) => m.dimensions.find((d) => d.name === "TargetGroup")!.value).sort()).toEqual(
      groups.sort(),
    );
    expect(metrics.filter((m) => m.return_data === true)).toEqual([
      expect.objectContaining({ expression: "FILL(group0, 0) + FILL(group1, 0)" }),
    ]);
  });

  it("keeps the predefined per-target metric for a single target group (dev, rolling)", () => {
    const policy = Object.values(resourcesOf(json("dev-ecs"), "aws_appautoscaling_policy")).find((p) =>
      String(p.name).endsWith("-requests"),
    )!;
    expect(policy.target_tracking_scaling_policy_configuration).toMatchObject({
      predefined_metric_specification: { predefined_metric_type: "ALBRequestCountPerTarget" },
    });
  });
});

describe("scheduled scaling", () => {
  it("ignores exactly min and max capacity on the scalable target when schedules change them (prod)", () => {
    expect(onlyResource(json("prod-ecs"), "aws_appautoscaling_target").lifecycle).toEqual({
      ignore_changes: ["min_capacity", "max_capacity"],
    });
  });

  it("lets Terraform own min and max where no schedule exists (dev)", () => {
    expect(onlyResource(json("dev-ecs"), "aws_appautoscaling_target").lifecycle).toBeUndefined();
  });
});

describe("ElastiCache notifications", () => {
  it.each(["dev-db", "test-db", "prod-db"])(
    "sends no ElastiCache notifications to the encrypted cross-account alerts topic, and keeps the cache alarms on it (%s)",
    (id) => {
      const j = json(id);
      const cache = onlyResource(j, "aws_elasticache_replication_group");
      expect(cache.notification_topic_arn).toBeUndefined();
      const cacheAlarms = Object.values(resourcesOf(j, "aws_cloudwatch_metric_alarm")).filter(
        (a) => a.namespace === "AWS/ElastiCache",
      );
      expect(cacheAlarms.length).toBeGreaterThan(0);
      for (const a of cacheAlarms)
        expect(a.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\.Alerts_/)]);
    },
  );
});

describe("port forwarding through the bastion", () => {
  const fromBastion = (id: string) =>
    Object.values(resourcesOf(json(id), "aws_vpc_security_group_ingress_rule")).filter((r) =>
      String(r.description).endsWith("from the bastion (port forwarding)"),
    );

  it("lets every store admit the bastion's group, published by the network stack, on its port (dev)", () => {
    const rules = fromBastion("dev-db");
    expect(
      rules.map((r) => `${String(r.from_port)}-${String(r.to_port)}`).sort((a, b) => a.localeCompare(b)),
    ).toEqual(["5432-5432", "6379-6379"]);
    for (const r of rules) expect(r.referenced_security_group_id).toMatch(/Bastion_SecurityGroup/);
  });

  it("admits no bastion where the environment has none (test)", () => {
    expect(fromBastion("test-db")).toEqual([]);
  });
});
