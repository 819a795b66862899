// `<env>-ecs`: the security group chain, HTTPS, WAF, both capacity and deployment modes, scaling, alarms, logs and
// least-privilege roles. Each stack is built directly from fake upstream outputs, so no other stack is needed.
// What a module does with its props on its own (the ALB's redirect and log bucket, the launch template's
// hardening, the deployment group's style) is tested in test/modules/<module>.test.ts; here, what the stack wires.
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Testing } from "cdktf";
import type { z } from "zod";
import { ServiceSection } from "../environments/sections/service.ts";
import { frameFor } from "../stacks/app.ts";
import type { DbOutputs, SharedOutputs } from "../stacks/contracts.ts";
import { EcsStack, NO_DOMAIN_WARNING } from "../stacks/ecs.ts";
import {
  addresses,
  FAKE_NETWORK,
  onlyResource,
  resourcesOf,
  sampleConfig,
  synth,
  synthJson,
  testApp,
  type StackJson,
  idOf,
  ref,
  values,
} from "./helpers.ts";

const REPOSITORY_ARN = "arn:aws:ecr:eu-west-1:111111111111:repository/shop/web";
const SHARED: SharedOutputs = {
  repositoryUrls: { web: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/shop/web" },
  repositoryArns: { web: REPOSITORY_ARN },
  zone: { id: "Z0HOSTEDZONE", name: "shop.example.com" },
  alertsTopicArn: "arn:aws:sns:eu-west-1:111111111111:shop-alerts",
};
const DB_SECRET = "arn:aws:secretsmanager:eu-west-1:333333333333:secret:rds!db-1234-AbCdEf";
const CACHE_ARN = "arn:aws:elasticache:eu-west-1:333333333333:replicationgroup:shop-prod-cache";
const CACHE_USER_ARN = "arn:aws:elasticache:eu-west-1:333333333333:user:shop-prod-cache-app";
const TABLE_ARN = "arn:aws:dynamodb:eu-west-1:333333333333:table/shop-prod-sessions";
const DATA_KEY = "arn:aws:kms:eu-west-1:333333333333:key/data-key";
const DATA: DbOutputs = {
  clientSecurityGroupId: "sg-dataclient",
  stores: [
    {
      name: "main",
      engine: "postgres",
      endpoint: "main.db.internal",
      port: 5432,
      databaseName: "app",
      secretArn: DB_SECRET,
      // The opt-in mode that injects the master secret; IAM sign-in is covered in database-auth.test.ts.
      appAuthentication: "secret",
    },
    {
      name: "cache",
      engine: "redis",
      endpoint: "cache.internal",
      port: 6379,
      iamAuth: { userName: "app", connectArns: [CACHE_ARN, CACHE_USER_ARN] },
    },
  ],
  tables: [{ name: "sessions", tableName: "shop-prod-sessions", arn: TABLE_ARN }],
  kmsKeyArns: [DATA_KEY],
};

type ServiceInput = z.input<typeof ServiceSection>;
const BASE: ServiceInput = {
  container: { image: { repository: "web", tag: "v1" }, port: 8080 },
  healthCheck: { path: "/health" },
  domain: { name: "shop.example.com", aliases: ["www.shop.example.com"] },
};

interface Options {
  readonly data?: DbOutputs | null;
}

/** A prod `<env>-ecs` stack for this `service:` input (merged over BASE). */
function ecsStack(input: Partial<ServiceInput> = {}, options: Options = {}): EcsStack {
  const config = sampleConfig();
  const env = config.environments.find((e) => e.name === "prod")!;
  const data = options.data === undefined ? DATA : options.data;
  return new EcsStack(testApp(), "prod-ecs", {
    frame: frameFor(config, env),
    config: ServiceSection.parse({ ...BASE, ...input }),
    shared: SHARED,
    network: FAKE_NETWORK,
    ...(data ? { data } : {}),
    dnsAccount: { id: "111111111111", region: "eu-west-1" },
  });
}

let defaultText: string | undefined;
/** The default stack (BASE, the sample's data stores) synthesized once: most tests only read it. */
const defaultSynth = (): string => (defaultText ??= synth(ecsStack()));

/** The synthesized stack for this input; a fresh parse of the shared default one without arguments. */
const json = (input?: Partial<ServiceInput>, options?: Options): StackJson =>
  input || options ? synthJson(ecsStack(input, options)) : (JSON.parse(defaultSynth()) as StackJson);

type Res = Record<string, unknown>;
/** The service's task definition; the stack also has the migration task's (`<service>-migrate`). */
const serviceTask = (j: StackJson) =>
  Object.values(resourcesOf(j, "aws_ecs_task_definition")).find(
    (t) => !String(t.family).endsWith("-migrate"),
  )!;
const containerOf = (j: StackJson) =>
  (JSON.parse(serviceTask(j).container_definitions as string) as Res[])[0]!;
interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
}
const statementsOf = (j: StackJson, policyPrefix: string): Statement[] =>
  (
    JSON.parse(
      resourcesOf(j, "aws_iam_role_policy")[idOf(j, "aws_iam_role_policy", policyPrefix)]!.policy as string,
    ) as {
      Statement: Statement[];
    }
  ).Statement;
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const byText = (a: unknown, b: unknown) => String(a).localeCompare(String(b));

describe("the security group chain", () => {
  const j = json();
  const albSg = ref("aws_security_group", idOf(j, "aws_security_group", "LoadBalancer_SecurityGroup"));
  const taskSg = ref("aws_security_group", idOf(j, "aws_security_group", "Service_SecurityGroup"));
  const ingress = values(j, "aws_vpc_security_group_ingress_rule");
  const egress = values(j, "aws_vpc_security_group_egress_rule");

  it("admits the internet to the load balancer on 80 and 443 only, over IPv4 and IPv6", () => {
    const rules = ingress.filter((r) => r.security_group_id === albSg);
    const seen = rules.map((r) => [r.from_port, r.to_port, r.cidr_ipv4 ?? r.cidr_ipv6].map(String).join(" "));
    expect(seen).toHaveLength(4);
    expect(new Set(seen)).toEqual(
      new Set(["80 80 0.0.0.0/0", "80 80 ::/0", "443 443 0.0.0.0/0", "443 443 ::/0"]),
    );
  });

  it("admits only CloudFront's managed prefix list on 443 when a CDN is in front", () => {
    const cf = json({ loadBalancer: { ingress: "cloudfront" } });
    const rules = values(cf, "aws_vpc_security_group_ingress_rule").filter((r) =>
      String(r.security_group_id).includes("LoadBalancer_SecurityGroup"),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ from_port: 443, to_port: 443 });
    expect(rules[0]!.prefix_list_id).toMatch(/data\.aws_ec2_managed_prefix_list\./);
    expect(cf).toHaveProperty(["data", "aws_ec2_managed_prefix_list"]);
    expect(Object.values(cf.data!.aws_ec2_managed_prefix_list!)[0]).toMatchObject({
      name: "com.amazonaws.global.cloudfront.origin-facing",
    });
  });

  it("lets the load balancer out only to the tasks' group on the container port", () => {
    expect(egress.filter((r) => r.security_group_id === albSg)).toEqual([
      expect.objectContaining({ referenced_security_group_id: taskSg, from_port: 8080, to_port: 8080 }),
    ]);
  });

  it("admits only the load balancer's group to the tasks, on the container port", () => {
    expect(ingress.filter((r) => r.security_group_id === taskSg)).toEqual([
      expect.objectContaining({
        referenced_security_group_id: albSg,
        from_port: 8080,
        to_port: 8080,
        ip_protocol: "tcp",
      }),
    ]);
  });

  it("runs tasks in the private subnets without a public IP, wearing their group and the data client group", () => {
    expect(onlyResource(j, "aws_ecs_service").network_configuration).toEqual({
      subnets: FAKE_NETWORK.privateSubnetIds,
      security_groups: [taskSg, "sg-dataclient"],
      assign_public_ip: false,
    });
  });

  it("gives the tasks only their own group when the environment has no data stack", () => {
    const nodata = json({}, { data: null });
    expect(
      (onlyResource(nodata, "aws_ecs_service").network_configuration as Res).security_groups,
    ).toHaveLength(1);
  });
});

describe("the load balancer", () => {
  const j = json();
  const listeners = resourcesOf(j, "aws_lb_listener");

  it("serves HTTPS with a TLS 1.3 policy and the DNS-validated certificate", () => {
    expect(listeners[idOf(j, "aws_lb_listener", "LoadBalancer_HttpsListener")]).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificate_arn: expect.stringMatching(/aws_acm_certificate_validation\..*\.certificate_arn/),
      default_action: [{ type: "forward" }],
    });
    expect(defaultSynth()).toHaveResourceWithProperties(AcmCertificate, {
      domain_name: "shop.example.com",
      subject_alternative_names: ["www.shop.example.com"],
      validation_method: "DNS",
    });
  });

  it("serves plain HTTP without a certificate when no domain is set, and warns once", () => {
    const stack = ecsStack({ domain: undefined }, { data: null });
    const bare = synthJson(stack);
    expect(values(bare, "aws_lb_listener")).toEqual([
      expect.objectContaining({
        port: 80,
        protocol: "HTTP",
        default_action: [expect.objectContaining({ type: "forward" })],
      }),
    ]);
    expect(synth(stack)).not.toHaveResource(AcmCertificate);
    const warnings = stack.node.metadata.filter((m) => m.type === "@cdktf/warn");
    expect(warnings.map((m) => m.data)).toEqual([NO_DOMAIN_WARNING]);
  });

  it("points an alias record for each name at the load balancer", () => {
    const records = values(j, "aws_route53_record").filter((r) => r.type === "A");
    expect(records.map((r) => r.name).sort(byText)).toEqual(["shop.example.com", "www.shop.example.com"]);
    expect(records[0]).toMatchObject({
      zone_id: "Z0HOSTEDZONE",
      alias: { evaluate_target_health: true, name: expect.stringMatching(/aws_lb\..*\.dns_name/) },
    });
  });

  it("keeps the alias records at the addresses they were deployed under, never replaced", () => {
    expect(Object.keys(resourcesOf(j, "aws_route53_record")).filter((id) => id.startsWith("Alias"))).toEqual([
      "AliasRecord",
      "AliasRecord1",
    ]);
    expect(j.moved).toBeUndefined();
  });

  it("faces the internet from the public subnets, with deletion protection and 90 days of access logs by default", () => {
    expect(onlyResource(j, "aws_lb")).toMatchObject({
      internal: false,
      subnets: FAKE_NETWORK.publicSubnetIds,
      enable_deletion_protection: true,
    });
    const rule = (onlyResource(j, "aws_s3_bucket_lifecycle_configuration").rule as Res[])[0]!;
    expect(rule.expiration).toEqual([{ days: 90 }]);
  });

  it("keeps physical names within the ALB limit of 32 characters", () => {
    for (const r of [...values(j, "aws_lb"), ...values(j, "aws_lb_target_group")])
      expect(String(r.name).length).toBeLessThanOrEqual(32);
  });

  it("keeps the Terraform addresses of the load balancer, its log bucket, the cluster and the service", () => {
    expect([
      ...addresses(j, "aws_lb"),
      ...addresses(j, "aws_s3_bucket"),
      ...addresses(j, "aws_ecs_cluster"),
      ...addresses(j, "aws_ecs_service"),
      ...addresses(j, "aws_lb_target_group"),
    ]).toMatchInlineSnapshot(`
      [
        "aws_lb.LoadBalancer_BE9EEC3A",
        "aws_s3_bucket.LoadBalancer_AccessLogs_B27DFC85",
        "aws_ecs_cluster.Cluster_EB0386A7",
        "aws_ecs_service.Service_DBC79909",
        "aws_lb_target_group.LoadBalancer_TargetGroup_81D27C85",
      ]
    `);
  });
});

describe("the web application firewall", () => {
  const j = json({
    waf: {
      captchaPaths: ["/signup"],
      ruleGroups: [
        { name: "AWSManagedRulesKnownBadInputsRuleSet" },
        { name: "AWSManagedRulesSQLiRuleSet", count: true },
      ],
    },
  });
  const acl = onlyResource(j, "aws_wafv2_web_acl");
  const rules = acl.rule as Res[];
  const byName = (n: string) => rules.find((r) => r.name === n)!;

  it("uses the default managed groups, log4j's known bad inputs among them, when none are listed", () => {
    const names = (onlyResource(json(), "aws_wafv2_web_acl").rule as Res[]).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesAnonymousIpList",
      ]),
    );
  });

  it("blocks with a managed group unless the file puts that group in count mode", () => {
    expect(byName("AWSManagedRulesKnownBadInputsRuleSet").override_action).toEqual({ none: {} });
    expect(byName("AWSManagedRulesSQLiRuleSet").override_action).toEqual({ count: {} });
  });

  it("blocks a client IP over the rate limit", () => {
    expect(byName("rate-limit-per-ip")).toMatchObject({
      action: { block: {} },
      statement: {
        rate_based_statement: { limit: 1000, aggregate_key_type: "IP", evaluation_window_sec: 300 },
      },
    });
  });

  it("asks for a CAPTCHA on the configured paths", () => {
    expect(byName("captcha-paths")).toMatchObject({
      action: { captcha: {} },
      statement: { byte_match_statement: { search_string: "/signup", positional_constraint: "STARTS_WITH" } },
    });
  });

  it("adds Bot Control only when the file turns it on", () => {
    expect(rules.map((r) => r.name)).not.toContain("AWSManagedRulesBotControlRuleSet");
    const bots = json({ waf: { botControl: { enabled: true } } });
    expect((onlyResource(bots, "aws_wafv2_web_acl").rule as Res[]).map((r) => r.name)).toContain(
      "AWSManagedRulesBotControlRuleSet",
    );
  });

  it("turns metrics on for the ACL and every rule", () => {
    expect(acl.visibility_config).toMatchObject({ cloudwatch_metrics_enabled: true });
    for (const r of rules) expect(r.visibility_config).toMatchObject({ cloudwatch_metrics_enabled: true });
  });

  it("is associated with the load balancer and logs to an aws-waf-logs- group with retention", () => {
    expect(defaultSynth()).toHaveResourceWithProperties(Wafv2WebAclAssociation, {
      resource_arn: expect.stringMatching(/aws_lb\..*\.arn/),
    });
    expect(values(j, Wafv2WebAclLoggingConfiguration.tfResourceType)).toEqual([
      expect.objectContaining({
        log_destination_configs: [expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn/)],
      }),
    ]);
    const group = values(j, "aws_cloudwatch_log_group").find((g) =>
      String(g.name).startsWith("aws-waf-logs-"),
    );
    expect(group).toMatchObject({ retention_in_days: 30 });
    expect(defaultSynth()).toHaveResourceWithProperties(Wafv2WebAcl, { scope: "REGIONAL" });
  });
});

describe("capacity", () => {
  it("runs on Fargate with the latest platform and Container Insights by default", () => {
    const j = json();
    expect(onlyResource(j, "aws_ecs_cluster").setting).toEqual([
      { name: "containerInsights", value: "enabled" },
    ]);
    expect(onlyResource(j, "aws_ecs_service")).toMatchObject({
      platform_version: "LATEST",
      capacity_provider_strategy: [{ capacity_provider: "FARGATE", weight: 100, base: 0 }],
    });
    expect(defaultSynth()).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
      capacity_providers: ["FARGATE", "FARGATE_SPOT"],
    });
    expect(defaultSynth()).not.toHaveResource(AutoscalingGroup);
  });

  it("places the Spot share on Fargate Spot", () => {
    const j = json({ capacity: { type: "fargate", spotPercent: 70, onDemandBase: 1 } });
    expect(onlyResource(j, "aws_ecs_service").capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", weight: 30, base: 1 },
      { capacity_provider: "FARGATE_SPOT", weight: 70, base: 0 },
    ]);
  });

  describe("on EC2", () => {
    const stack = () =>
      ecsStack({ capacity: { type: "ec2", instanceType: "m7g.large", architecture: "arm64" } });
    const j = synthJson(stack());

    it("launches the configured instance type and architecture's image", () => {
      expect(synth(stack())).toHaveDataSourceWithProperties(DataAwsSsmParameter, {
        name: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
      });
      expect(onlyResource(j, "aws_launch_template").instance_type).toBe("m7g.large");
    });

    it("spreads the instances across the private subnets", () => {
      expect(onlyResource(j, "aws_autoscaling_group").vpc_zone_identifier).toEqual(
        FAKE_NETWORK.privateSubnetIds,
      );
    });

    it("fills the instances to the default target capacity and runs the service on EC2", () => {
      expect(synth(stack())).toHaveResourceWithProperties(EcsCapacityProvider, {
        auto_scaling_group_provider: expect.objectContaining({
          managed_scaling: expect.objectContaining({ target_capacity: 100 }),
        }),
      });
      expect(onlyResource(j, "aws_ecs_service").platform_version).toBeUndefined();
      expect(serviceTask(j).requires_compatibilities).toEqual(["EC2"]);
    });
  });
});

describe("deployments", () => {
  it("rolls out with the circuit breaker and rollback by default", () => {
    expect(onlyResource(json(), "aws_ecs_service")).toMatchObject({
      deployment_controller: { type: "ECS" },
      deployment_circuit_breaker: { enable: true, rollback: true },
      lifecycle: { ignore_changes: ["desired_count"] },
    });
    expect(defaultSynth()).not.toHaveResource(CodedeployDeploymentGroup);
  });

  describe("blue/green by CodeDeploy", () => {
    const stack = () =>
      ecsStack({ deployment: { type: "codeDeploy", testTrafficCidrs: ["203.0.113.0/24"] } });
    const j = synthJson(stack());

    it("hands the service to CodeDeploy", () => {
      expect(onlyResource(j, "aws_ecs_service").deployment_controller).toEqual({ type: "CODE_DEPLOY" });
    });

    it("creates two target groups and a test listener on 8443 that forwards to the second", () => {
      expect(
        values(j, "aws_lb_target_group")
          .map((t) => t.name)
          .sort(byText),
      ).toEqual(["shop-prod-app-blue", "shop-prod-app-green"]);
      expect(
        resourcesOf(j, "aws_lb_listener")[idOf(j, "aws_lb_listener", "LoadBalancer_TestListener")],
      ).toMatchObject({
        port: 8443,
        protocol: "HTTPS",
        default_action: [{ target_group_arn: expect.stringMatching(/GreenTargetGroup/) }],
      });
    });

    it("admits the test listener only from the listed sources", () => {
      const rules = values(j, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 8443);
      expect(rules).toEqual([expect.objectContaining({ cidr_ipv4: "203.0.113.0/24" })]);
    });

    it("owns a deployment group that switches the production listener between both groups and rolls back on alarm", () => {
      expect(synth(stack())).toHaveResourceWithProperties(CodedeployDeploymentGroup, {
        auto_rollback_configuration: {
          enabled: true,
          events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
        },
      });
      const group = onlyResource(j, "aws_codedeploy_deployment_group");
      const pair = (group.load_balancer_info as { target_group_pair_info: Res }).target_group_pair_info;
      expect(pair.target_group).toHaveLength(2);
      expect(pair.prod_traffic_route).toMatchObject({
        listener_arns: [expect.stringMatching(/HttpsListener/)],
      });
      expect(pair.test_traffic_route).toMatchObject({
        listener_arns: [expect.stringMatching(/TestListener/)],
      });
    });

    it("publishes what the pipeline needs", () => {
      const s = stack();
      expect(s.outputs.deployment.type).toBe("codeDeploy");
      expect(s.outputs.targetGroupNames).toHaveLength(2);
      expect(s.outputs.loadBalancer.testListenerArn).toBeDefined();
      expect(s.outputs.containerName).toBe("app");
    });
  });
});

describe("blue/green by ECS (nativeBlueGreen)", () => {
  const HOOK = "arn:aws:lambda:eu-west-1:333333333333:function:smoke-test";
  const NOTIFY = "arn:aws:lambda:eu-west-1:333333333333:function:notify";
  const native = (extra: Record<string, unknown> = {}) =>
    ecsStack({
      deployment: {
        type: "nativeBlueGreen",
        testListenerPort: 8443,
        testCidrs: ["203.0.113.0/24"],
        ...extra,
      },
    });
  const j = synthJson(native());
  const service = onlyResource(j, "aws_ecs_service");
  const byPrefix = (type: string, prefix: string) => resourcesOf(j, type)[idOf(j, type, prefix)]!;
  const blue = idOf(j, "aws_lb_target_group", "LoadBalancer_TargetGroup");
  const green = idOf(j, "aws_lb_target_group", "LoadBalancer_GreenTargetGroup");
  const weighted = {
    type: "forward",
    forward: {
      target_group: [
        { arn: ref("aws_lb_target_group", blue, "arn"), weight: 100 },
        { arn: ref("aws_lb_target_group", green, "arn"), weight: 0 },
      ],
    },
  };

  it("deploys with strategy BLUE_GREEN, the configured bake time and no circuit breaker", () => {
    expect(service).toMatchObject({
      deployment_controller: { type: "ECS" },
      deployment_configuration: { strategy: "BLUE_GREEN", bake_time_in_minutes: "15" },
    });
    expect(service.deployment_circuit_breaker).toBeUndefined();
    expect(synth(native())).not.toHaveResource(CodedeployDeploymentGroup);
  });

  it("rolls back on the 5xx and unhealthy-host alarms of both target groups", () => {
    const alarm = (id: string) =>
      ref("aws_cloudwatch_metric_alarm", idOf(j, "aws_cloudwatch_metric_alarm", id), "alarm_name");
    expect(service.alarms).toEqual({
      enable: true,
      rollback: true,
      alarm_names: [
        alarm("AlarmLoadBalancer5xx"),
        alarm("AlarmTarget5xx"),
        alarm("AlarmUnhealthyHosts_"),
        alarm("AlarmUnhealthyHostsGreen"),
      ],
    });
  });

  it("shifts linearly or by canary when asked", () => {
    const config = (shift: Record<string, unknown>) =>
      onlyResource(synthJson(native({ shift })), "aws_ecs_service").deployment_configuration;
    expect(config({ type: "linear", stepPercent: 20 })).toEqual({
      strategy: "LINEAR",
      bake_time_in_minutes: "15",
      linear_configuration: { step_percent: 20, step_bake_time_in_minutes: "6" },
    });
    expect(config({ type: "canary", percent: 2.5, bakeTimeMinutes: 30 })).toEqual({
      strategy: "CANARY",
      bake_time_in_minutes: "15",
      canary_configuration: { canary_percent: 2.5, canary_bake_time_in_minutes: "30" },
    });
  });

  it("builds two target groups with identical health checks, the first keeping the rolling name", () => {
    const groups = resourcesOf(j, "aws_lb_target_group");
    expect([groups[blue]!.name, groups[green]!.name]).toEqual(["shop-prod-app", "shop-prod-app-green"]);
    expect(groups[green]!.health_check).toEqual(groups[blue]!.health_check);
    expect(groups[blue]!.health_check).toMatchObject({ path: "/health" });
  });

  it("refuses to synthesize when the two health checks differ", () => {
    const stack = native();
    stack.alb.greenTargetGroup!.addOverride("health_check.path", "/other");
    // Synthesis runs construct validations (Testing.synth only when asked).
    expect(() => Testing.synth(stack, true)).toThrow(
      /LoadBalancer\] the blue and green target groups must have identical health checks/,
    );
    expect(() => Testing.synth(native(), true)).not.toThrow();
  });

  it("routes production and test traffic only through two rules ECS manages, behind a fixed 404", () => {
    const notFound = [{ type: "fixed-response", fixed_response: { status_code: "404" } }];
    expect(byPrefix("aws_lb_listener", "LoadBalancer_HttpsListener")).toMatchObject({
      port: 443,
      default_action: notFound,
    });
    expect(byPrefix("aws_lb_listener", "LoadBalancer_TestListener")).toMatchObject({
      port: 8443,
      protocol: "HTTPS",
      certificate_arn: expect.stringMatching(/aws_acm_certificate_validation/),
      default_action: notFound,
    });
    for (const [rule, listener] of [
      ["LoadBalancer_ProductionRule", "LoadBalancer_HttpsListener"],
      ["LoadBalancer_TestRule", "LoadBalancer_TestListener"],
    ] as const)
      expect(byPrefix("aws_lb_listener_rule", rule)).toMatchObject({
        listener_arn: ref("aws_lb_listener", idOf(j, "aws_lb_listener", listener), "arn"),
        condition: [{ path_pattern: { values: ["/*"] } }],
        action: [weighted],
      });
    expect(service.load_balancer).toEqual([
      {
        target_group_arn: ref("aws_lb_target_group", blue, "arn"),
        container_name: "app",
        container_port: 8080,
        advanced_configuration: {
          alternate_target_group_arn: ref("aws_lb_target_group", green, "arn"),
          production_listener_rule: ref(
            "aws_lb_listener_rule",
            idOf(j, "aws_lb_listener_rule", "LoadBalancer_ProductionRule"),
            "arn",
          ),
          test_listener_rule: ref(
            "aws_lb_listener_rule",
            idOf(j, "aws_lb_listener_rule", "LoadBalancer_TestRule"),
            "arn",
          ),
          role_arn: ref("aws_iam_role", idOf(j, "aws_iam_role", "Service_InfrastructureRole"), "arn"),
        },
      },
    ]);
  });

  it("ignores exactly the rules' action and the task count, nothing else", () => {
    for (const rule of values(j, "aws_lb_listener_rule"))
      expect(rule.lifecycle).toEqual({ ignore_changes: ["action"] });
    expect(service.lifecycle).toEqual({ ignore_changes: ["desired_count"] });
    for (const listener of values(j, "aws_lb_listener")) expect(listener.lifecycle).toBeUndefined();
  });

  it("admits the test port only from the VPC and the listed sources", () => {
    const rules = values(j, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 8443);
    expect(rules.map((r) => r.cidr_ipv4).sort(byText)).toEqual(["10.0.0.0/16", "203.0.113.0/24"]);
  });

  it("lets ECS change the rules through an infrastructure role with the AWS managed policy", () => {
    const role = byPrefix("aws_iam_role", "Service_InfrastructureRole");
    expect(JSON.parse(role.assume_role_policy as string)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(onlyResource(j, "aws_iam_role_policy_attachment")).toMatchObject({
      role: ref("aws_iam_role", idOf(j, "aws_iam_role", "Service_InfrastructureRole"), "name"),
      policy_arn: "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers",
    });
    expect(service.depends_on).toContain(
      `aws_iam_role_policy_attachment.${idOf(j, "aws_iam_role_policy_attachment", "Service_InfrastructureRolePolicy")}`,
    );
  });

  it("publishes a release policy that passes each role only to the service that assumes it", () => {
    const doc = JSON.parse(onlyResource(j, "aws_iam_policy").policy as string) as {
      Statement: (Statement & { Condition?: unknown })[];
    };
    const role = (prefix: string) => ref("aws_iam_role", idOf(j, "aws_iam_role", prefix), "arn");
    expect(doc.Statement).toEqual([
      {
        Sid: "UpdateService",
        Effect: "Allow",
        Action: ["ecs:DescribeServices", "ecs:UpdateService"],
        Resource: ref("aws_ecs_service", idOf(j, "aws_ecs_service", "Service")),
      },
      {
        Sid: "PassTaskRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: [role("Service_ExecutionRole"), role("Service_TaskRole")],
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
      {
        Sid: "PassDeploymentRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: [role("Service_InfrastructureRole")],
        Condition: { StringEquals: { "iam:PassedToService": "ecs.amazonaws.com" } },
      },
    ]);
    const s = native();
    expect(s.outputs.deployment).toMatchObject({
      type: "nativeBlueGreen",
      releasePolicyArn: expect.any(String),
    });
    expect(s.outputs.targetGroupNames).toHaveLength(2);
  });

  it("runs one hook per function with its stages, through a role that may invoke only those functions", () => {
    const hooked = synthJson(
      native({
        hooks: { PRE_SCALE_UP: HOOK, POST_TEST_TRAFFIC_SHIFT: HOOK, POST_PRODUCTION_TRAFFIC_SHIFT: NOTIFY },
      }),
    );
    const hookRole = ref("aws_iam_role", idOf(hooked, "aws_iam_role", "Service_HookRole"), "arn");
    expect((onlyResource(hooked, "aws_ecs_service").deployment_configuration as Res).lifecycle_hook).toEqual([
      {
        hook_target_arn: HOOK,
        lifecycle_stages: ["PRE_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT"],
        role_arn: hookRole,
      },
      { hook_target_arn: NOTIFY, lifecycle_stages: ["POST_PRODUCTION_TRAFFIC_SHIFT"], role_arn: hookRole },
    ]);
    expect(statementsOf(hooked, "Service_HookPolicy")).toEqual([
      { Sid: "InvokeHooks", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [HOOK, NOTIFY] },
    ]);
    expect(resourcesOf(j, "aws_iam_role")[`Service_HookRole`]).toBeUndefined();
    expect(
      Object.keys(resourcesOf(j, "aws_iam_role")).filter((id) => id.startsWith("Service_HookRole")),
    ).toEqual([]);
  });

  it("scales on requests per target summed over both target groups, so it follows the live one", () => {
    const req = values(j, "aws_appautoscaling_policy").find((p) => String(p.name).endsWith("-requests"))!;
    const spec = (req.target_tracking_scaling_policy_configuration as Res)
      .customized_metric_specification as {
      metrics: Res[];
    };
    const perTarget = (group: string) => ({
      metric_stat: {
        stat: "Sum",
        metric: {
          metric_name: "RequestCountPerTarget",
          dimensions: [{ name: "LoadBalancer" }, { value: ref("aws_lb_target_group", group, "arn_suffix") }],
        },
      },
    });
    expect(spec.metrics).toMatchObject([
      perTarget(blue),
      perTarget(green),
      { expression: "FILL(group0, 0) + FILL(group1, 0)", return_data: true },
    ]);
    expect(req.target_tracking_scaling_policy_configuration).toMatchObject({ target_value: 600 });
  });
});

describe("autoscaling", () => {
  const j = json({
    scaling: {
      minTasks: 3,
      maxTasks: 12,
      schedules: [{ name: "conference", schedule: "at(2026-05-04T08:00:00)", minTasks: 12, maxTasks: 40 }],
    },
  });
  const policies = values(j, "aws_appautoscaling_policy");
  const metric = (p: Res) =>
    ((p.target_tracking_scaling_policy_configuration as Res).predefined_metric_specification as Res)
      .predefined_metric_type;

  it("scales the service between minTasks and maxTasks", () => {
    expect(defaultSynth()).toHaveResourceWithProperties(AppautoscalingTarget, {
      scalable_dimension: "ecs:service:DesiredCount",
      min_capacity: 2,
      max_capacity: 6,
    });
    expect(onlyResource(j, "aws_appautoscaling_target")).toMatchObject({ min_capacity: 3, max_capacity: 12 });
    expect(onlyResource(j, "aws_ecs_service").desired_count).toBe(3);
  });

  it("tracks average CPU at the configured target", () => {
    const cpu = policies.find((p) => metric(p) === "ECSServiceAverageCPUUtilization")!;
    expect(cpu.target_tracking_scaling_policy_configuration).toMatchObject({ target_value: 60 });
  });

  it("tracks ALB requests per target at 600 per minute (10 per second) on the service's target group", () => {
    const req = policies.find((p) => metric(p) === "ALBRequestCountPerTarget")!;
    expect(req.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 600,
      predefined_metric_specification: {
        resource_label: expect.stringMatching(
          /aws_lb\..*\.arn_suffix}\/\${aws_lb_target_group\..*\.arn_suffix/,
        ),
      },
    });
  });

  it("moves the task range in a scheduled window", () => {
    expect(
      synth(
        ecsStack({
          scaling: {
            schedules: [{ name: "peak", schedule: "cron(0 8 ? * MON-FRI *)", minTasks: 4, maxTasks: 20 }],
          },
        }),
      ),
    ).toHaveResourceWithProperties(AppautoscalingScheduledAction, {
      schedule: "cron(0 8 ? * MON-FRI *)",
      timezone: "UTC",
      scalable_target_action: { min_capacity: "4", max_capacity: "20" },
    });
    expect(onlyResource(j, "aws_appautoscaling_scheduled_action")).toMatchObject({
      schedule: "at(2026-05-04T08:00:00)",
    });
  });
});

describe("alarms", () => {
  const j = json();
  const alarms = values(j, "aws_cloudwatch_metric_alarm");

  it.each([
    ["service CPU", "AWS/ECS", "CPUUtilization", 80],
    ["service memory", "AWS/ECS", "MemoryUtilization", 80],
    ["load balancer 5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", 10],
    ["target 5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", 10],
    ["unhealthy hosts", "AWS/ApplicationELB", "UnHealthyHostCount", 0],
    ["p95 response time", "AWS/ApplicationELB", "TargetResponseTime", 1.5],
  ])("sends an alarm on %s to the alerts topic", (_what, namespace, metricName, threshold) => {
    expect(alarms).toContainEqual(
      expect.objectContaining({
        namespace,
        metric_name: metricName,
        threshold,
        comparison_operator: "GreaterThanThreshold",
        alarm_actions: [SHARED.alertsTopicArn],
      }),
    );
  });

  it("measures response time at the 95th percentile", () => {
    expect(defaultSynth()).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      metric_name: "TargetResponseTime",
      extended_statistic: "p95",
    });
  });

  it("takes thresholds from the file", () => {
    const custom = values(json({ alarms: { cpuPercent: 65 } }), "aws_cloudwatch_metric_alarm");
    expect(custom.find((a) => a.metric_name === "CPUUtilization")).toMatchObject({ threshold: 65 });
  });
});

describe("the task", () => {
  const j = json({
    container: {
      ...BASE.container,
      user: "1000:1000",
      secrets: { API_KEY: "arn:aws:ssm:eu-west-1:333333333333:parameter/shop/api-key" },
    },
  });
  const container = containerOf(j);

  it("keeps container logs 7 days by default in a KMS-encrypted group", () => {
    const group = values(json(), "aws_cloudwatch_log_group").find((g) => g.name === "/ecs/shop-prod-app");
    expect(group).toMatchObject({ retention_in_days: 7, kms_key_id: expect.stringMatching(/aws_kms_key\./) });
    expect(synth(ecsStack({ logging: { retentionDays: 30 } }))).toHaveResourceWithProperties(
      CloudwatchLogGroup,
      {
        name: "/ecs/shop-prod-app",
        retention_in_days: 30,
      },
    );
  });

  it("runs as the configured user on a read-only root filesystem with a writable /tmp", () => {
    expect(container).toMatchObject({
      user: "1000:1000",
      readonlyRootFilesystem: true,
      privileged: false,
      mountPoints: [{ containerPath: "/tmp", readOnly: false }],
    });
    expect(defaultSynth()).toHaveResourceWithProperties(EcsTaskDefinition, { network_mode: "awsvpc" });
  });

  it("pulls the tagged image from the shared repository", () => {
    expect(container.image).toBe(`${SHARED.repositoryUrls.web}:v1`);
  });

  it("injects the database credentials by reference (arn:key::), never by value", () => {
    expect(container.secrets).toEqual(
      expect.arrayContaining([
        { name: "MAIN_PASSWORD", valueFrom: `${DB_SECRET}:password::` },
        { name: "MAIN_USERNAME", valueFrom: `${DB_SECRET}:username::` },
        { name: "API_KEY", valueFrom: "arn:aws:ssm:eu-west-1:333333333333:parameter/shop/api-key" },
      ]),
    );
    expect(container.environment).toEqual(
      expect.arrayContaining([
        { name: "MAIN_HOST", value: "main.db.internal" },
        { name: "CACHE_USERNAME", value: "app" },
        { name: "TABLE_SESSIONS", value: "shop-prod-sessions" },
      ]),
    );
    expect(JSON.stringify(container.secrets)).not.toMatch(/CACHE/);
  });

  it("lets ECS Exec in only when the file asks, with its channel permissions", () => {
    expect(onlyResource(json(), "aws_ecs_service").enable_execute_command).toBe(false);
    const exec = json({ execCommand: true });
    expect(onlyResource(exec, "aws_ecs_service").enable_execute_command).toBe(true);
    expect(statementsOf(exec, "Service_TaskPolicy").map((s) => s.Sid)).toContain("ExecChannels");
  });
});

describe("least privilege", () => {
  const j = json({
    execCommand: true,
    container: {
      ...BASE.container,
      secrets: { API_KEY: "arn:aws:ssm:eu-west-1:333333333333:parameter/shop/api-key" },
    },
  });
  const execution = statementsOf(j, "Service_ExecutionPolicy");
  const task = statementsOf(j, "Service_TaskPolicy");
  // AWS offers no resource-level permissions for these; "*" is the only resource they accept.
  const UNSCOPABLE = new Set([
    "ecr:GetAuthorizationToken",
    "logs:DescribeLogGroups",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
  ]);

  it("grants no wildcard action, and a wildcard resource only to actions that cannot be scoped", () => {
    const statements = [...execution, ...task];
    expect(statements.flatMap((s) => list(s.Action)).filter((a) => a.includes("*"))).toEqual([]);
    const unscoped = statements.filter((s) => list(s.Resource).includes("*")).flatMap((s) => list(s.Action));
    expect(unscoped.filter((a) => !UNSCOPABLE.has(a))).toEqual([]);
    expect(unscoped.length).toBeGreaterThan(0);
  });

  it("lets the execution role read only the injected secrets and parameters", () => {
    expect(execution.find((s) => s.Sid === "ReadSecrets")!.Resource).toEqual([DB_SECRET]);
    expect(execution.find((s) => s.Sid === "ReadParameters")!.Resource).toEqual([
      "arn:aws:ssm:eu-west-1:333333333333:parameter/shop/api-key",
    ]);
    expect(execution.find((s) => s.Sid === "DecryptSecrets")!.Resource).toEqual([DATA_KEY]);
  });

  it("lets the execution role pull only from the image's repository", () => {
    expect(execution.find((s) => s.Sid === "PullImage")!.Resource).toBe(REPOSITORY_ARN);
  });

  it("lets the execution role write only to the service's log group", () => {
    expect(execution.find((s) => s.Sid === "WriteLogs")!.Resource).toMatch(
      /aws_cloudwatch_log_group\.Service_LogGroup.*\.arn}:\*$/,
    );
  });

  it("lets the task role sign in only to the data stack's cache and its user", () => {
    expect(task.find((s) => s.Sid === "CacheIamAuth")).toMatchObject({
      Action: "elasticache:Connect",
      Resource: [CACHE_ARN, CACHE_USER_ARN],
    });
  });

  it("lets the task role use only the data stack's tables and keys", () => {
    expect(task.find((s) => s.Sid === "Tables")!.Resource).toEqual([TABLE_ARN, `${TABLE_ARN}/index/*`]);
    expect(task.find((s) => s.Sid === "DecryptData")!.Resource).toEqual([DATA_KEY]);
  });

  it("uses different execution and task roles", () => {
    const td = serviceTask(j);
    expect(td.execution_role_arn).not.toBe(td.task_role_arn);
  });
});
