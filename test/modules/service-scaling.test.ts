// modules/service-scaling: an ECS service's task count tracked on CPU and requests, moved by scheduled windows.
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { ServiceScaling, type ServiceScalingProps } from "../../modules/service-scaling/service-scaling.ts";
import { onlyResource, resourcesOf, synthJson, testStack } from "../helpers.ts";

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

function scaling(props: Partial<ServiceScalingProps> = {}) {
  const stack = testStack();
  new ServiceScaling(stack, "Scaling", { ...MINIMAL, ...props });
  return synthJson(stack);
}

describe("ServiceScaling", () => {
  it("scales the service's desired count between its bounds on CPU only, without windows, by default", () => {
    // GIVEN / WHEN scaling with minimal props
    const json = scaling();
    // THEN
    expect(onlyResource(json, AppautoscalingTarget.tfResourceType)).toMatchObject({
      service_namespace: "ecs",
      scalable_dimension: "ecs:service:DesiredCount",
      resource_id: "service/shop-test/app",
      min_capacity: 2,
      max_capacity: 10,
    });
    expect(onlyResource(json, AppautoscalingPolicy.tfResourceType)).toMatchObject({
      name: "shop-test-app-cpu",
      target_tracking_scaling_policy_configuration: {
        target_value: 60,
        scale_out_cooldown: 60,
        scale_in_cooldown: 300,
        predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" },
      },
    });
    expect(resourcesOf(json, AppautoscalingScheduledAction.tfResourceType)).toEqual({});
  });

  it("tracks requests per target on the load balancer's label when asked", () => {
    const json = scaling({
      requestsPerTarget: {
        target: 600,
        loadBalancerArnSuffix: "app/shop/1",
        targetGroupArnSuffixes: ["targetgroup/app/2"],
      },
    });
    expect(Object.values(resourcesOf(json, AppautoscalingPolicy.tfResourceType))).toContainEqual(
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
    expect(
      onlyResource(scaling({ windows: [BUSINESS_HOURS] }), AppautoscalingScheduledAction.tfResourceType),
    ).toMatchObject({
      name: "shop-test-app-business-hours",
      schedule: "cron(0 8 ? * MON-FRI *)",
      timezone: "Europe/Berlin",
      scalable_target_action: { min_capacity: "4", max_capacity: "20" },
    });
  });

  it("refuses a minimum above the maximum", () => {
    expect(() => scaling({ minTasks: 11 })).toThrow("test/Scaling: minTasks (11) must be ≤ maxTasks (10)");
  });

  it("refuses a window whose minimum is above its maximum", () => {
    expect(() => scaling({ windows: [{ ...BUSINESS_HOURS, minTasks: 30 }] })).toThrow(
      "test/Scaling: window business-hours: minTasks (30) must be ≤ maxTasks (20)",
    );
  });
});
