// modules/alarm: one CloudWatch metric alarm that notifies its topics when it fires and when it recovers.
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Alarm, type AlarmProps } from "../../modules/alarm/alarm.ts";
import { itRefuses, moduleBuilder, type PropsChange } from "../helpers.ts";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:shop-alerts";
const MINIMAL: AlarmProps = {
  alarmName: "shop-test-cpu",
  description: "CPU of shop-test is high",
  namespace: "AWS/ECS",
  metricName: "CPUUtilization",
  dimensions: { ClusterName: "shop-test", ServiceName: "app" },
  comparison: "GreaterThanThreshold",
  threshold: 80,
  actionArns: [TOPIC],
};

const build = moduleBuilder((s, p) => new Alarm(s, "Alarm", p), MINIMAL);
/** The alarm resource of an Alarm built with these props. */
const alarm = (change: PropsChange<AlarmProps> = {}) => build(change).one(CloudwatchMetricAlarm);

it("averages 5-minute datapoints, fires when all 3 breach, leaves gaps alone and notifies on ALARM and OK", () => {
  // GIVEN / WHEN an alarm with minimal props THEN
  expect(alarm()).toMatchObject({
    alarm_name: "shop-test-cpu",
    dimensions: { ClusterName: "shop-test", ServiceName: "app" },
    comparison_operator: "GreaterThanThreshold",
    threshold: 80,
    statistic: "Average",
    period: 300,
    evaluation_periods: 3,
    datapoints_to_alarm: 3,
    treat_missing_data: "missing",
    alarm_actions: [TOPIC],
    ok_actions: [TOPIC],
  });
});

it("takes its statistic, period and M of N from the props", () => {
  expect(
    alarm({
      statistic: "Maximum",
      periodSeconds: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 2,
      treatMissingData: "breaching",
    }),
  ).toMatchObject({
    statistic: "Maximum",
    period: 60,
    evaluation_periods: 5,
    datapoints_to_alarm: 2,
    treat_missing_data: "breaching",
  });
});

it("sends a percentile as an extended statistic", () => {
  const resource = alarm({ statistic: "p99.9" });
  expect(resource).toMatchObject({ extended_statistic: "p99.9" });
  expect(resource).not.toHaveProperty("statistic");
});

itRefuses(build, "test/Alarm", [
  ...(["p0", "p100.5", "pmax"] as AlarmProps["statistic"][]).map(
    (statistic) =>
      [
        `the percentile ${statistic}`,
        { statistic },
        `statistic "${statistic}" is not a percentile p0 < pN ≤ p100, e.g. "p95"`,
      ] as const,
  ),
  [
    "more datapoints to alarm than it evaluates",
    { datapointsToAlarm: 4 },
    "datapointsToAlarm (4) must be ≤ evaluationPeriods (3)",
  ],
  ["an alarm that notifies nobody", { actionArns: [] }, "an alarm needs at least one action ARN"],
]);
