// One CloudWatch metric alarm that notifies a set of topics when it fires and when it recovers.
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";

/** How the metric is compared with the threshold. */
export type AlarmComparison =
  | "GreaterThanThreshold"
  | "GreaterThanOrEqualToThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

/**
 * A CloudWatch statistic: one of the basic ones, or a percentile such as `p95` or `p99.9` (an extended statistic,
 * which the API takes in a field of its own).
 */
export type AlarmStatistic = "Average" | "Sum" | "Maximum" | "Minimum" | "SampleCount" | `p${number}`;

export interface AlarmProps {
  /** Physical alarm name, unique in the account and region. */
  readonly alarmName: string;
  /** One sentence for the person who is paged: what is wrong and where. */
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly comparison: AlarmComparison;
  readonly threshold: number;
  /** Topics notified on ALARM and on OK. */
  readonly actionArns: readonly string[];
  /** @default "Average" */
  readonly statistic?: AlarmStatistic;
  /** Seconds per datapoint. @default 300 */
  readonly periodSeconds?: number;
  /** Datapoints looked at. @default 3 */
  readonly evaluationPeriods?: number;
  /** Datapoints among `evaluationPeriods` that must breach. @default - all of them */
  readonly datapointsToAlarm?: number;
  /** @default "missing" - CloudWatch's default: a gap neither fires nor clears the alarm */
  readonly treatMissingData?: "missing" | "notBreaching" | "breaching" | "ignore";
}

const DEFAULT_STATISTIC = "Average";
const DEFAULT_PERIOD_SECONDS = 300;
const DEFAULT_EVALUATION_PERIODS = 3;
const DEFAULT_TREAT_MISSING_DATA = "missing";
/** `p` and a number in (0, 100], as CloudWatch accepts a percentile. */
const PERCENTILE = /^p(\d+(\.\d+)?)$/;

/** A metric alarm wired to the alerts topic(s). */
export class Alarm extends Construct {
  public readonly resource: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: AlarmProps) {
    super(scope, id);
    const evaluationPeriods = props.evaluationPeriods ?? DEFAULT_EVALUATION_PERIODS;
    const datapointsToAlarm = props.datapointsToAlarm ?? evaluationPeriods;
    if (datapointsToAlarm > evaluationPeriods)
      throw new ModuleError(
        this,
        `datapointsToAlarm (${datapointsToAlarm}) must be ≤ evaluationPeriods (${evaluationPeriods})`,
      );
    if (props.actionArns.length === 0) throw new ModuleError(this, "an alarm needs at least one action ARN");
    const statistic = props.statistic ?? DEFAULT_STATISTIC;
    const percentile = statistic.startsWith("p") ? PERCENTILE.exec(statistic) : undefined;
    if (percentile === null || (percentile && !(Number(percentile[1]) > 0 && Number(percentile[1]) <= 100)))
      throw new ModuleError(this, `statistic "${statistic}" is not a percentile p0 < pN ≤ p100, e.g. "p95"`);
    this.resource = new CloudwatchMetricAlarm(this, "Resource", {
      alarmName: props.alarmName,
      alarmDescription: props.description,
      namespace: props.namespace,
      metricName: props.metricName,
      dimensions: { ...props.dimensions },
      ...(percentile ? { extendedStatistic: statistic } : { statistic }),
      period: props.periodSeconds ?? DEFAULT_PERIOD_SECONDS,
      evaluationPeriods,
      datapointsToAlarm,
      comparisonOperator: props.comparison,
      threshold: props.threshold,
      treatMissingData: props.treatMissingData ?? DEFAULT_TREAT_MISSING_DATA,
      alarmActions: [...props.actionArns],
      okActions: [...props.actionArns],
    });
  }

  // A getter, not a field: reading an attribute fixes the logical id, which a caller may still override.
  public get arn(): string {
    return this.resource.arn;
  }
}
