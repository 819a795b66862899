// Autoscaling of an ECS service's task count: target tracking on CPU and on requests per target, plus scheduled
// windows that move the task range (business hours, known peaks).
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
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

export interface ServiceScalingProps {
  /** Prefix of the policy and action names. */
  readonly name: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Average CPU percent target tracking keeps. */
  readonly cpuTargetPercent: number;
  /**
   * Requests per task per minute to keep, and the `<alb arn suffix>/<target group arn suffix>` they are counted on.
   * @default - no request-based scaling
   */
  readonly requestsPerTarget?: { readonly target: number; readonly resourceLabel: string };
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
    });
    const tracking = (cid: string, metric: string, target: number, resourceLabel?: string) =>
      new AppautoscalingPolicy(this, cid, {
        name: `${props.name}-${metric === "ECSServiceAverageCPUUtilization" ? "cpu" : "requests"}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: this.target.serviceNamespace,
        scalableDimension: this.target.scalableDimension,
        resourceId: this.target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: target,
          scaleOutCooldown: props.scaleOutCooldownSeconds,
          scaleInCooldown: props.scaleInCooldownSeconds,
          predefinedMetricSpecification: {
            predefinedMetricType: metric,
            ...(resourceLabel ? { resourceLabel } : {}),
          },
        },
      });
    this.cpuPolicy = tracking("CpuTracking", "ECSServiceAverageCPUUtilization", props.cpuTargetPercent);
    if (props.requestsPerTarget)
      this.requestsPolicy = tracking(
        "RequestsTracking",
        "ALBRequestCountPerTarget",
        props.requestsPerTarget.target,
        props.requestsPerTarget.resourceLabel,
      );
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
