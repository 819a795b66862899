// A WAFv2 web ACL: AWS managed rule groups, a per-IP rate limit, CAPTCHA on chosen paths, logging to a
// CloudWatch log group, and the association with one regional resource (a load balancer) or none (CloudFront).
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";

/** An AWS managed rule group and whether it only counts. */
export interface WafManagedGroup {
  readonly name: string;
  /** Count matches instead of applying the group's actions (to tune it on live traffic). */
  readonly count: boolean;
}

export interface WafRateLimit {
  /** Requests per client IP in one window. */
  readonly limit: number;
  readonly windowSeconds: number;
  readonly count: boolean;
}

export interface WafBotControl {
  readonly inspectionLevel: "COMMON" | "TARGETED";
  readonly count: boolean;
}

export interface WafProps {
  /** Web ACL name; also the metric-name prefix. */
  readonly name: string;
  /** Log group name; must start with `aws-waf-logs-` (a WAF requirement). */
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  /** KMS key for the log group. @default - CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
  /** Managed rule groups in priority order. */
  readonly managedGroups: readonly WafManagedGroup[];
  readonly rateLimit: WafRateLimit;
  /** Path prefixes that require a solved CAPTCHA. @default - none */
  readonly captchaPaths?: readonly string[];
  /** Seconds a solved CAPTCHA stays valid. */
  readonly captchaImmunitySeconds: number;
  /** Add AWS Bot Control. @default - not added */
  readonly botControl?: WafBotControl;
  /**
   * ARN of the regional resource to protect (an ALB). A CloudFront distribution names its web ACL itself
   * (`web_acl_id`), so a CLOUDFRONT web ACL has none. @default - no association
   */
  readonly resourceArn?: string;
  /** REGIONAL (load balancers) or CLOUDFRONT (distributions, created in us-east-1). @default "REGIONAL" */
  readonly scope?: "REGIONAL" | "CLOUDFRONT";
  /** Create the web ACL and its logs in this region (per-resource `region`). @default - the provider's region */
  readonly region?: string;
}

const LOG_GROUP_PREFIX = "aws-waf-logs-";
const BOT_CONTROL = "AWSManagedRulesBotControlRuleSet";

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/** A web ACL in front of one regional resource. */
export class Waf extends Construct {
  public readonly resource: Wafv2WebAcl;
  public readonly arn: string;
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: WafProps) {
    super(scope, id);
    const captchaPaths = props.captchaPaths ?? [];
    const immunity = props.captchaImmunitySeconds;
    const aclScope = props.scope ?? "REGIONAL";
    const placement = props.region ? { region: props.region } : {};
    if (aclScope === "CLOUDFRONT" && props.resourceArn)
      throw new ModuleError(
        this,
        "a CLOUDFRONT web ACL is attached by the distribution's web_acl_id, not by ARN",
      );
    if (!props.logGroupName.startsWith(LOG_GROUP_PREFIX))
      throw new ModuleError(this, `logGroupName "${props.logGroupName}" must start with ${LOG_GROUP_PREFIX}`);
    if (props.managedGroups.length === 0 && !props.botControl)
      throw new ModuleError(this, "a web ACL needs at least one managed rule group");

    const rules: Wafv2WebAclRule[] = [];
    const add = (rule: Omit<Wafv2WebAclRule, "priority" | "visibilityConfig">) =>
      rules.push({
        ...rule,
        priority: rules.length,
        visibilityConfig: visibility(`${props.name}-${rule.name}`),
      });

    // Rate limiting first: it is cheap and stops floods before the managed groups inspect them.
    add({
      name: "rate-limit-per-ip",
      action: props.rateLimit.count ? { count: {} } : { block: {} },
      statement: {
        rate_based_statement: {
          limit: props.rateLimit.limit,
          evaluation_window_sec: props.rateLimit.windowSeconds,
          aggregate_key_type: "IP",
        },
      },
    });
    const managed = [
      ...props.managedGroups,
      ...(props.botControl ? [{ name: BOT_CONTROL, count: props.botControl.count }] : []),
    ];
    for (const g of managed)
      add({
        name: g.name,
        overrideAction: g.count ? { count: {} } : { none: {} },
        statement: {
          managed_rule_group_statement: {
            vendor_name: "AWS",
            name: g.name,
            ...(g.name === BOT_CONTROL && props.botControl
              ? {
                  managed_rule_group_configs: [
                    {
                      aws_managed_rules_bot_control_rule_set: {
                        inspection_level: props.botControl.inspectionLevel,
                      },
                    },
                  ],
                }
              : {}),
          },
        },
      });
    if (captchaPaths.length > 0) {
      const match = (path: string) => ({
        byte_match_statement: {
          search_string: path,
          positional_constraint: "STARTS_WITH",
          field_to_match: { uri_path: {} },
          text_transformation: [{ priority: 0, type: "LOWERCASE" }],
        },
      });
      add({
        name: "captcha-paths",
        action: { captcha: {} },
        captchaConfig: { immunityTimeProperty: { immunityTime: immunity } },
        statement:
          captchaPaths.length === 1
            ? match(captchaPaths[0]!.toLowerCase())
            : { or_statement: { statement: captchaPaths.map((p) => match(p.toLowerCase())) } },
      });
    }

    this.resource = new Wafv2WebAcl(this, "Resource", {
      name: props.name,
      description: `Protects ${props.name}: managed rules, rate limit, CAPTCHA`,
      scope: aclScope,
      defaultAction: { allow: {} },
      rule: rules,
      captchaConfig: { immunityTimeProperty: { immunityTime: immunity } },
      visibilityConfig: visibility(props.name),
      ...placement,
    });
    this.arn = this.resource.arn;

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
      ...(props.logKmsKeyArn ? { kmsKeyId: props.logKmsKeyArn } : {}),
      ...placement,
    });
    new Wafv2WebAclLoggingConfiguration(this, "Logging", {
      resourceArn: this.resource.arn,
      logDestinationConfigs: [this.logGroup.arn],
      // Never log credentials that travel in headers.
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
      ...placement,
    });
    if (props.resourceArn)
      new Wafv2WebAclAssociation(this, "Association", {
        resourceArn: props.resourceArn,
        webAclArn: this.resource.arn,
      });
  }
}
