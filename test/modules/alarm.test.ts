// modules/alarm: one CloudWatch metric alarm that notifies its topics when it fires and when it recovers.
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Alarm, type AlarmProps } from "../../modules/alarm/alarm.ts";
import { onlyResource, synthJson, testStack } from "../helpers.ts";

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

function alarm(props: Partial<AlarmProps> = {}) {
  const stack = testStack();
  new Alarm(stack, "Alarm", { ...MINIMAL, ...props });
  return onlyResource(synthJson(stack), CloudwatchMetricAlarm.tfResourceType);
}

describe("Alarm", () => {
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

  it.each(["p0", "p100.5", "pmax"] as const)("refuses the percentile %s", (statistic) => {
    expect(() => alarm({ statistic: statistic as AlarmProps["statistic"] })).toThrow(
      `test/Alarm: statistic "${statistic}" is not a percentile p0 < pN ≤ p100, e.g. "p95"`,
    );
  });

  it("refuses more datapoints to alarm than it evaluates", () => {
    expect(() => alarm({ datapointsToAlarm: 4 })).toThrow(
      "test/Alarm: datapointsToAlarm (4) must be ≤ evaluationPeriods (3)",
    );
  });

  it("refuses an alarm that notifies nobody", () => {
    expect(() => alarm({ actionArns: [] })).toThrow("test/Alarm: an alarm needs at least one action ARN");
  });
});
