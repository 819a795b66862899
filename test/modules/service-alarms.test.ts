// modules/service-alarms: the alarm catalogue of a load-balanced ECS service, one Alarm per signal.
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { addServiceAlarms, type ServiceAlarmsProps } from "../../modules/service-alarms/service-alarms.ts";
import { moduleBuilder, type PropsChange, resourcesOf } from "../helpers.ts";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:shop-alerts";
const MINIMAL: ServiceAlarmsProps = {
  names: { project: "shop", environment: "test" },
  component: "app",
  displayName: "shop test app",
  clusterName: "shop-test",
  serviceName: "app",
  loadBalancerArnSuffix: "app/shop-test/1",
  targetGroupArnSuffixes: ["targetgroup/shop-test-app/2"],
  thresholds: {
    cpuPercent: 80,
    memoryPercent: 85,
    http5xxCount: 10,
    unhealthyHosts: 0,
    p95ResponseSeconds: 1.5,
    periodSeconds: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
  },
  actionArns: [TOPIC],
};

const build = moduleBuilder(addServiceAlarms, MINIMAL);
/** The alarms by construct id (what addServiceAlarms returns) and their resources by alarm name. */
function alarms(change: PropsChange<ServiceAlarmsProps> = {}) {
  const built = build(change);
  const byName = Object.fromEntries(built.all(CloudwatchMetricAlarm).map((a) => [a.alarm_name, a]));
  return { byId: built.construct, byName, json: built.json };
}

it("raises CPU, memory, 5xx, unhealthy-task and p95 alarms, named after the service, all to the topic", () => {
  // GIVEN / WHEN the alarms of a service with one target group
  const { byId, byName } = alarms();
  // THEN
  expect(Object.keys(byId).sort((a, b) => a.localeCompare(b))).toEqual([
    "CpuHigh",
    "LoadBalancer5xx",
    "MemoryHigh",
    "ResponseTimeP95",
    "Target5xx",
    "UnhealthyHosts",
  ]);
  expect(byName["shop-test-app-cpu-high"]).toMatchObject({
    namespace: "AWS/ECS",
    dimensions: { ClusterName: "shop-test", ServiceName: "app" },
    threshold: 80,
    period: 60,
    evaluation_periods: 5,
    datapoints_to_alarm: 3,
    alarm_actions: [TOPIC],
    ok_actions: [TOPIC],
  });
  expect(byName["shop-test-app-p95-response-time"]).toMatchObject({
    metric_name: "TargetResponseTime",
    extended_statistic: "p95",
    threshold: 1.5,
    treat_missing_data: "notBreaching",
  });
});

it("watches unhealthy tasks in the green target group too in blue/green mode", () => {
  const { byId, byName } = alarms({
    targetGroupArnSuffixes: ["targetgroup/shop-test-app-blue/2", "targetgroup/shop-test-app-green/3"],
  });
  expect(byId.UnhealthyHostsGreen).toBeDefined();
  expect(byName["shop-test-app-unhealthy-hosts-green"]).toMatchObject({
    dimensions: { LoadBalancer: "app/shop-test/1", TargetGroup: "targetgroup/shop-test-app-green/3" },
  });
});

it("keeps the p95 alarm at the address it had when it was built by hand", () => {
  expect(Object.keys(resourcesOf(alarms().json, CloudwatchMetricAlarm.tfResourceType))).toContain(
    "AlarmResponseTimeP95",
  );
});
