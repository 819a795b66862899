// modules/waf: a regional web ACL with a rate limit, managed groups, optional CAPTCHA and Bot Control, and logging.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Waf, type WafProps } from "../../modules/waf/waf.ts";
import { itRefuses, moduleBuilder } from "../helpers.ts";

const ALB = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/shop/1";
const MINIMAL: WafProps = {
  name: "shop-test-web",
  logGroupName: "aws-waf-logs-shop-test",
  logRetentionDays: 30,
  managedGroups: [{ name: "AWSManagedRulesCommonRuleSet", count: false }],
  rateLimit: { limit: 1000, windowSeconds: 300, count: false },
  captchaImmunitySeconds: 300,
  resourceArn: ALB,
};

const waf = moduleBuilder((s, p) => new Waf(s, "Waf", p), MINIMAL);
type Rule = {
  name: string;
  priority: number;
  action?: unknown;
  override_action?: unknown;
  statement: unknown;
};
const rulesOf = (props: Partial<WafProps> = {}): Rule[] => waf(props).one(Wafv2WebAcl).rule as Rule[];

it("allows by default, blocks floods per IP first, then applies the managed groups", () => {
  // GIVEN / WHEN a web ACL with minimal props
  const rules = rulesOf();
  // THEN
  expect(rules.map((r) => [r.priority, r.name])).toEqual([
    [0, "rate-limit-per-ip"],
    [1, "AWSManagedRulesCommonRuleSet"],
  ]);
  expect(rules[0]).toMatchObject({
    action: { block: {} },
    statement: {
      rate_based_statement: { limit: 1000, evaluation_window_sec: 300, aggregate_key_type: "IP" },
    },
  });
  expect(rules[1]).toMatchObject({ override_action: { none: {} } });
  expect(waf().text).toHaveResourceWithProperties(Wafv2WebAcl, {
    scope: "REGIONAL",
    default_action: { allow: {} },
    captcha_config: { immunity_time_property: { immunity_time: 300 } },
  });
});

it("logs to its retained group without credential headers and protects the resource it is given", () => {
  const built = waf();
  expect(built.one(CloudwatchLogGroup)).toMatchObject({
    name: "aws-waf-logs-shop-test",
    retention_in_days: 30,
  });
  expect(built.one(CloudwatchLogGroup)).not.toHaveProperty("kms_key_id");
  expect(built.one(Wafv2WebAclLoggingConfiguration).redacted_fields).toEqual([
    { single_header: { name: "authorization" } },
    { single_header: { name: "cookie" } },
  ]);
  expect(built.one(Wafv2WebAclAssociation)).toMatchObject({ resource_arn: ALB });
});

it("only counts the groups and the rate limit that are set to count", () => {
  const rules = rulesOf({
    rateLimit: { ...MINIMAL.rateLimit, count: true },
    managedGroups: [{ name: "AWSManagedRulesCommonRuleSet", count: true }],
  });
  expect(rules[0]!.action).toEqual({ count: {} });
  expect(rules[1]!.override_action).toEqual({ count: {} });
});

it("puts a lowercase prefix match behind CAPTCHA, one statement per path", () => {
  const rules = rulesOf({ captchaPaths: ["/Login", "/signup"], captchaImmunitySeconds: 600 });
  const captcha = rules.find((r) => r.name === "captcha-paths")!;
  expect(captcha).toMatchObject({
    action: { captcha: {} },
    captcha_config: { immunity_time_property: { immunity_time: 600 } },
  });
  expect(JSON.stringify(captcha.statement)).toContain('"search_string":"/login"');
  expect(
    (captcha.statement as { or_statement: { statement: unknown[] } }).or_statement.statement,
  ).toHaveLength(2);
  expect(rulesOf().map((r) => r.name)).not.toContain("captcha-paths");
});

it("adds Bot Control at its inspection level last among the managed groups", () => {
  const rules = rulesOf({ botControl: { inspectionLevel: "TARGETED", count: false } });
  expect(rules.at(-1)).toMatchObject({
    name: "AWSManagedRulesBotControlRuleSet",
    statement: {
      managed_rule_group_statement: {
        managed_rule_group_configs: [
          { aws_managed_rules_bot_control_rule_set: { inspection_level: "TARGETED" } },
        ],
      },
    },
  });
});

itRefuses(waf, "test/Waf", [
  [
    "a log group WAF would not write to",
    { logGroupName: "/waf/shop" },
    'logGroupName "/waf/shop" must start with aws-waf-logs-',
  ],
  [
    "a web ACL without any managed rule group",
    { managedGroups: [] },
    "a web ACL needs at least one managed rule group",
  ],
]);
