// modules/service-scaling: an ECS service's task count tracked on CPU and requests, moved by scheduled windows.
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { ServiceScaling, type ServiceScalingProps } from "../../modules/service-scaling/service-scaling.ts";
import { itRefuses, moduleBuilder } from "../helpers.ts";

const MINIMAL: ServiceScalingProps = {
  name: "shop-test-app",
  clusterName: "shop-test",
  serviceName: "app",
  minTasks: 2,
  maxTasks: 10,
  cpuTargetPercent: 60,
  scaleOutCooldownSeconds: 60,
  scaleInCooldownSeconds: 300,
};
const BUSINESS_HOURS = {
  name: "business-hours",
  schedule: "cron(0 8 ? * MON-FRI *)",
  timezone: "Europe/Berlin",
  minTasks: 4,
  maxTasks: 20,
};

const scaling = moduleBuilder((s, p) => new ServiceScaling(s, "Scaling", p), MINIMAL);

it("scales the service's desired count between its bounds on CPU only, without windows, by default", () => {
  // GIVEN / WHEN scaling with minimal props
  const built = scaling();
  // THEN
  expect(built.one(AppautoscalingTarget)).toMatchObject({
    service_namespace: "ecs",
    scalable_dimension: "ecs:service:DesiredCount",
    resource_id: "service/shop-test/app",
    min_capacity: 2,
    max_capacity: 10,
  });
  expect(built.one(AppautoscalingPolicy)).toMatchObject({
    name: "shop-test-app-cpu",
    target_tracking_scaling_policy_configuration: {
      target_value: 60,
      scale_out_cooldown: 60,
      scale_in_cooldown: 300,
      predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" },
    },
  });
  expect(built.all(AppautoscalingScheduledAction)).toEqual([]);
});

it("tracks requests per target on the load balancer's label when asked", () => {
  const built = scaling({
    requestsPerTarget: {
      target: 600,
      loadBalancerArnSuffix: "app/shop/1",
      targetGroupArnSuffixes: ["targetgroup/app/2"],
    },
  });
  expect(built.all(AppautoscalingPolicy)).toContainEqual(
    expect.objectContaining({
      name: "shop-test-app-requests",
      target_tracking_scaling_policy_configuration: expect.objectContaining({
        target_value: 600,
        predefined_metric_specification: {
          predefined_metric_type: "ALBRequestCountPerTarget",
          resource_label: "app/shop/1/targetgroup/app/2",
        },
      }),
    }),
  );
});

it("moves the task range in each scheduled window, in its time zone", () => {
  expect(scaling({ windows: [BUSINESS_HOURS] }).one(AppautoscalingScheduledAction)).toMatchObject({
    name: "shop-test-app-business-hours",
    schedule: "cron(0 8 ? * MON-FRI *)",
    timezone: "Europe/Berlin",
    scalable_target_action: { min_capacity: "4", max_capacity: "20" },
  });
});

itRefuses(scaling, "test/Scaling", [
  ["a minimum above the maximum", { minTasks: 11 }, "minTasks (11) must be ≤ maxTasks (10)"],
  [
    "a window whose minimum is above its maximum",
    { windows: [{ ...BUSINESS_HOURS, minTasks: 30 }] },
    "window business-hours: minTasks (30) must be ≤ maxTasks (20)",
  ],
]);
