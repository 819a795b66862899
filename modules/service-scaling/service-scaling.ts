// Autoscaling of an ECS service's task count: target tracking on CPU and on requests per target, plus scheduled
// windows that move the task range (business hours, known peaks).
import {
  AppautoscalingPolicy,
  type AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification as CustomizedMetric,
} from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";

/** A scheduled change of the task range. */
export interface ScalingWindow {
  /** Short name, unique per service. */
  readonly name: string;
  /** `cron(...)`, `at(...)` or `rate(...)`. */
  readonly schedule: string;
  readonly timezone: string;
  readonly minTasks: number;
  readonly maxTasks: number;
}

/**
 * Requests per task to keep, counted on the load balancer's target groups the service registers in. With more than
 * one (blue/green), only one is live at a time and which one changes with each release: the policy sums the
 * per-target request count of every group, so it follows whichever group takes the traffic.
 */
export interface RequestScaling {
  /** Requests per task per minute. */
  readonly target: number;
  /** `app/<name>/<id>`: the load balancer's ARN suffix. */
  readonly loadBalancerArnSuffix: string;
  /** `targetgroup/<name>/<id>` of each group the tasks may serve from; at least one. */
  readonly targetGroupArnSuffixes: readonly string[];
}

export interface ServiceScalingProps {
  /** Prefix of the policy and action names. */
  readonly name: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Average CPU percent target tracking keeps. */
  readonly cpuTargetPercent: number;
  /** Request-count target tracking. @default - no request-based scaling */
  readonly requestsPerTarget?: RequestScaling;
  readonly scaleOutCooldownSeconds: number;
  readonly scaleInCooldownSeconds: number;
  /** @default - none */
  readonly windows?: readonly ScalingWindow[];
}

/** The scalable target of one service and its policies. */
export class ServiceScaling extends Construct {
  public readonly target: AppautoscalingTarget;
  public readonly cpuPolicy: AppautoscalingPolicy;
  public readonly requestsPolicy?: AppautoscalingPolicy;

  constructor(scope: Construct, id: string, props: ServiceScalingProps) {
    super(scope, id);
    const windows = props.windows ?? [];
    if (props.minTasks > props.maxTasks)
      throw new ModuleError(this, `minTasks (${props.minTasks}) must be ≤ maxTasks (${props.maxTasks})`);
    for (const w of windows)
      if (w.minTasks > w.maxTasks)
        throw new ModuleError(
          this,
          `window ${w.name}: minTasks (${w.minTasks}) must be ≤ maxTasks (${w.maxTasks})`,
        );

    this.target = new AppautoscalingTarget(this, "Target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
      // Scheduled actions rewrite the range; without this the next apply would put the configured one back.
      ...(windows.length ? { lifecycle: { ignoreChanges: ["min_capacity", "max_capacity"] } } : {}),
    });
    const tracking = (cid: string, suffix: string, target: number, metric: object) =>
      new AppautoscalingPolicy(this, cid, {
        name: `${props.name}-${suffix}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: this.target.serviceNamespace,
        scalableDimension: this.target.scalableDimension,
        resourceId: this.target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: target,
          scaleOutCooldown: props.scaleOutCooldownSeconds,
          scaleInCooldown: props.scaleInCooldownSeconds,
          ...metric,
        },
      });
    this.cpuPolicy = tracking("CpuTracking", "cpu", props.cpuTargetPercent, {
      predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
    });
    const requests = props.requestsPerTarget;
    if (requests) {
      const groups = requests.targetGroupArnSuffixes;
      if (groups.length === 0) throw new ModuleError(this, "request scaling needs at least one target group");
      this.requestsPolicy = tracking(
        "RequestsTracking",
        "requests",
        requests.target,
        groups.length === 1
          ? {
              predefinedMetricSpecification: {
                predefinedMetricType: "ALBRequestCountPerTarget",
                resourceLabel: `${requests.loadBalancerArnSuffix}/${groups[0]}`,
              },
            }
          : { customizedMetricSpecification: liveGroupRequests(requests.loadBalancerArnSuffix, groups) },
      );
    }
    for (const w of windows)
      new AppautoscalingScheduledAction(this, `Window-${w.name}`, {
        name: `${props.name}-${w.name}`,
        serviceNamespace: this.target.serviceNamespace,
        scalableDimension: this.target.scalableDimension,
        resourceId: this.target.resourceId,
        schedule: w.schedule,
        timezone: w.timezone,
        scalableTargetAction: { minCapacity: String(w.minTasks), maxCapacity: String(w.maxTasks) },
      });
  }
}

/**
 * Requests per target of whichever group is live: the sum of each group's RequestCountPerTarget, an idle group
 * counting 0 (it reports no data). While traffic shifts, both task sets have the service's task count, so the sum
 * still equals requests per task.
 */
export function liveGroupRequests(
  loadBalancerArnSuffix: string,
  targetGroupArnSuffixes: readonly string[],
): CustomizedMetric {
  const ids = targetGroupArnSuffixes.map((_, i) => `group${i}`);
  return {
    metrics: [
      ...targetGroupArnSuffixes.map((group, i) => ({
        id: ids[i]!,
        returnData: false,
        metricStat: {
          stat: "Sum",
          metric: {
            namespace: "AWS/ApplicationELB",
            metricName: "RequestCountPerTarget",
            dimensions: [
              { name: "LoadBalancer", value: loadBalancerArnSuffix },
              { name: "TargetGroup", value: group },
            ],
          },
        },
      })),
      {
        id: "live",
        label: "Requests per target of the live target group",
        expression: ids.map((id) => `FILL(${id}, 0)`).join(" + "),
        returnData: true,
      },
    ],
  };
}
