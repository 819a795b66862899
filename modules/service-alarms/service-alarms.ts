// The alarm catalogue of a load-balanced ECS service: CPU, memory, 5xx, unhealthy tasks and p95 response time.
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";
import { Alarm, type AlarmProps } from "../alarm/alarm.ts";
import { resourceName, type NameContext } from "../core/naming.ts";

/** When each alarm fires, and how many datapoints it looks at. */
export interface ServiceAlarmThresholds {
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  /** 5xx answers per period, from the load balancer and from the tasks (one alarm each). */
  readonly http5xxCount: number;
  /** Unhealthy tasks tolerated per target group. */
  readonly unhealthyHosts: number;
  readonly p95ResponseSeconds: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

export interface ServiceAlarmsProps {
  /** Naming context of the alarm names `<project>-<env>-<component>-<purpose>`. */
  readonly names: NameContext;
  /** Component part of the alarm names, e.g. "app". */
  readonly component: string;
  /** The service's name as the paged person knows it; starts every description. */
  readonly displayName: string;
  /** Dimensions of the ECS metrics. */
  readonly clusterName: string;
  readonly serviceName: string;
  /** The load balancer's ARN suffix, the `LoadBalancer` dimension. */
  readonly loadBalancerArnSuffix: string;
  /** ARN suffixes of the target groups: production (blue) first, then green in blue/green mode. */
  readonly targetGroupArnSuffixes: readonly string[];
  readonly thresholds: ServiceAlarmThresholds;
  /** Topics notified on ALARM and on OK. */
  readonly actionArns: readonly string[];
}

/** The alarms by id. */
export type ServiceAlarmId =
  | "CpuHigh"
  | "MemoryHigh"
  | "LoadBalancer5xx"
  | "Target5xx"
  | "UnhealthyHosts"
  | "UnhealthyHostsGreen"
  | "ResponseTimeP95";

/**
 * Adds the service's alarms to `scope` as `Alarm<id>` children and returns them by id.
 * A function rather than a construct of its own: a construct would add a level to every alarm's path and so
 * change its Terraform address, and a replaced alarm keeps its name, so the old one's delete can remove the new.
 */
export function addServiceAlarms(
  scope: Construct,
  props: ServiceAlarmsProps,
): Readonly<Partial<Record<ServiceAlarmId, CloudwatchMetricAlarm>>> {
  const a = props.thresholds;
  const service = props.displayName;
  const common = {
    actionArns: props.actionArns,
    periodSeconds: a.periodSeconds,
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm,
  };
  const ecs = { ClusterName: props.clusterName, ServiceName: props.serviceName };
  const lb = { LoadBalancer: props.loadBalancerArnSuffix };
  const name = (purpose: string) => resourceName(props.names, [props.component, purpose], { maxLength: 255 });
  const defs: [ServiceAlarmId, AlarmProps][] = [
    [
      "CpuHigh",
      {
        ...common,
        alarmName: name("cpu-high"),
        description: `${service}: average CPU above ${a.cpuPercent}%`,
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        dimensions: ecs,
        statistic: "Average",
        comparison: "GreaterThanThreshold",
        threshold: a.cpuPercent,
      },
    ],
    [
      "MemoryHigh",
      {
        ...common,
        alarmName: name("memory-high"),
        description: `${service}: average memory above ${a.memoryPercent}%`,
        namespace: "AWS/ECS",
        metricName: "MemoryUtilization",
        dimensions: ecs,
        statistic: "Average",
        comparison: "GreaterThanThreshold",
        threshold: a.memoryPercent,
      },
    ],
    [
      "LoadBalancer5xx",
      {
        ...common,
        alarmName: name("alb-5xx"),
        description: `${service}: the load balancer answered 5xx more than ${a.http5xxCount} times per period (no healthy task, timeouts)`,
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_ELB_5XX_Count",
        dimensions: lb,
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold: a.http5xxCount,
        treatMissingData: "notBreaching",
      },
    ],
    [
      "Target5xx",
      {
        ...common,
        alarmName: name("target-5xx"),
        description: `${service}: the application answered 5xx more than ${a.http5xxCount} times per period`,
        namespace: "AWS/ApplicationELB",
        metricName: "HTTPCode_Target_5XX_Count",
        dimensions: lb,
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold: a.http5xxCount,
        treatMissingData: "notBreaching",
      },
    ],
    ...props.targetGroupArnSuffixes.map((suffix, i): [ServiceAlarmId, AlarmProps] => [
      i === 0 ? "UnhealthyHosts" : "UnhealthyHostsGreen",
      {
        ...common,
        alarmName: name(i === 0 ? "unhealthy-hosts" : "unhealthy-hosts-green"),
        description: `${service}: more than ${a.unhealthyHosts} unhealthy task(s) in a target group`,
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: { ...lb, TargetGroup: suffix },
        statistic: "Maximum",
        comparison: "GreaterThanThreshold",
        threshold: a.unhealthyHosts,
        treatMissingData: "notBreaching",
      },
    ]),
    [
      "ResponseTimeP95",
      {
        ...common,
        alarmName: name("p95-response-time"),
        description: `${service}: 95th percentile response time above ${a.p95ResponseSeconds} s`,
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: lb,
        statistic: "p95",
        comparison: "GreaterThanThreshold",
        threshold: a.p95ResponseSeconds,
        treatMissingData: "notBreaching",
      },
    ],
  ];
  return Object.fromEntries(
    defs.map(([id, p]) => {
      const alarm = new Alarm(scope, `Alarm${id}`, p).resource;
      // Built by hand before Alarm took percentiles: keep its address so the alarm is not replaced.
      if (id === "ResponseTimeP95") alarm.overrideLogicalId("AlarmResponseTimeP95");
      return [id, alarm];
    }),
  );
}
