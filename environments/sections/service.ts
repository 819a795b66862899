// The `service:` section of an environment: the application behind a load balancer and a web application firewall,
// its capacity, task, deployment, scaling and alarms.
import { z } from "zod";
import { ECS_LIFECYCLE_STAGES, MAX_BAKE_MINUTES } from "../../lib/ecs-deployment.ts";
import { ScheduleExpression } from "../schedule.ts";
import { addOrderIssue, AlarmPercent, addRepeatNameIssues, DomainName, LogRetentionDays } from "./common.ts";

/** Fargate's accepted task sizes: CPU units -> memory (MiB) from, to, step. */
export const FARGATE_SIZES: Readonly<Record<number, readonly [number, number, number]>> = {
  256: [512, 2048, 512],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

/** The memory sizes Fargate accepts with `cpu` units; empty when the CPU value itself is not accepted. */
export function fargateMemoryOptions(cpu: number): number[] {
  const range = FARGATE_SIZES[cpu];
  if (!range) return [];
  const [from, to, step] = range;
  // 256 CPU units accept 512, 1024 and 2048 only.
  if (cpu === 256) return [512, 1024, 2048];
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
}

/**
 * Ports ECS keeps for itself on container instances (SSH, the Docker daemon, the ECS agent): a target on one of
 * them never passes the load balancer's health check.
 */
export const RESERVED_CONTAINER_PORTS = [22, 2375, 2376, 51678, 51679, 51680] as const;

/** AWS managed rule groups a web ACL may use (bot control is its own option). */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesAdminProtectionRuleSet",
  "AWSManagedRulesLinuxRuleSet",
  "AWSManagedRulesUnixRuleSet",
  "AWSManagedRulesPHPRuleSet",
  "AWSManagedRulesWordPressRuleSet",
  "AWSManagedRulesWindowsRuleSet",
] as const;

/** CodeDeploy's predefined traffic-shifting configurations for ECS. */
export const ECS_TRAFFIC_SHIFTS = [
  "CodeDeployDefault.ECSAllAtOnce",
  "CodeDeployDefault.ECSCanary10Percent5Minutes",
  "CodeDeployDefault.ECSCanary10Percent15Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
] as const;

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: (i) => `${JSON.stringify(i.input)} is not an environment variable name (letters, digits, _)`,
});

// Secrets Manager (optionally with :json-key:version-stage:version-id) or SSM Parameter Store ARNs.
const SECRETS_MANAGER_ARN =
  /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}(:[^:]*:[^:]*:[^:]*)?$/;
const SSM_PARAMETER_ARN = /^arn:aws(-cn|-us-gov)?:ssm:[a-z0-9-]+:\d{12}:parameter\/[\w/.-]+$/;

const SecretArn = z
  .string()
  .refine((s) => SECRETS_MANAGER_ARN.test(s) || SSM_PARAMETER_ARN.test(s), {
    error: (i) =>
      `${JSON.stringify(i.input)} is not a full Secrets Manager secret ARN (…:secret:<name>-<6 chars>[:json-key::]) or SSM parameter ARN`,
  })
  .describe("ARN of a Secrets Manager secret (optionally :json-key::) or an SSM parameter");

/**
 * An image reference as Docker parses it: [registry[:port]/]path[:tag][@digest]. Lower-case path components,
 * a tag of at most 128 word characters, a sha256 digest.
 */
export const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const IMAGE_TAG = /^[\w][\w.-]{0,127}$/;

const Image = z
  .strictObject({
    repository: z
      .string()
      .optional()
      .describe("A registry declared in shared.yaml `registries` (its name); give `tag` with it"),
    tag: z
      .string()
      .regex(IMAGE_TAG, { error: (i) => `${JSON.stringify(i.input)} is not an image tag` })
      .optional()
      .describe("Image tag in that repository (the pipeline replaces it on each release)"),
    image: z
      .string()
      .optional()
      .describe(
        "A full public image reference instead, e.g. public.ecr.aws/nginx/nginx:stable for a first deploy",
      ),
  })
  .superRefine((v, ctx) => {
    if (v.repository !== undefined && v.image !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["image"],
        message: "give either repository + tag or image, not both",
      });
    else if (v.repository === undefined && v.image === undefined)
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "give repository (a registry from shared.yaml) with tag, or image (a full image reference)",
      });
    else if (v.repository !== undefined && v.tag === undefined)
      ctx.addIssue({ code: "custom", path: ["tag"], message: `repository "${v.repository}" needs a tag` });
    else if (v.image !== undefined && v.tag !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["tag"],
        message: "tag goes with repository; put it inside image instead",
      });
    else if (v.image !== undefined && !IMAGE_REFERENCE.test(v.image))
      ctx.addIssue({
        code: "custom",
        path: ["image"],
        message: `${JSON.stringify(v.image)} is not a valid image reference such as public.ecr.aws/nginx/nginx:stable`,
      });
  })
  .describe("The container image: a shared registry plus tag, or a full image reference");

const Architecture = z
  .enum(["x86_64", "arm64"])
  .default("x86_64")
  .describe("CPU architecture of the image and of the capacity (arm64 = Graviton)");

const FargateCapacity = z
  .strictObject({
    type: z.literal("fargate").describe("Serverless capacity: AWS runs the tasks"),
    spotPercent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(0)
      .describe("Share of tasks beyond the base on Fargate Spot (cheaper, may be interrupted); 0 = none"),
    onDemandBase: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(0)
      .describe("Tasks always placed on regular Fargate before the Spot share applies"),
    architecture: Architecture,
  })
  .describe("Fargate capacity");

const Ec2Capacity = z
  .strictObject({
    type: z.literal("ec2").describe("Your own container instances in an Auto Scaling group"),
    instanceType: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
        error: (i) => `${JSON.stringify(i.input)} is not an EC2 instance type`,
      })
      .default("t3.small")
      .describe(
        "Instance type of the container instances; a Graviton type (t4g, m7g…) needs architecture arm64",
      ),
    minInstances: z.number().int().min(0).max(1000).default(1).describe("Fewest instances in the group"),
    maxInstances: z.number().int().min(1).max(1000).default(4).describe("Most instances in the group"),
    volumeSizeGiB: z
      .number()
      .int()
      .min(30)
      .max(16384)
      .default(30)
      .describe("Encrypted root volume size (GiB)"),
    targetCapacityPercent: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(100)
      .describe("Managed scaling target: how full the instances are kept (100 = no spare instance)"),
    architecture: Architecture,
  })
  .superRefine((c, ctx) => {
    addOrderIssue(ctx, c, "minInstances", "maxInstances");
    // Graviton families carry a `g` after the generation digit: t4g, m7g, c6gn, r8g.
    const graviton = /^[a-z]+\d+g[a-z]*\./.test(c.instanceType);
    if (graviton !== (c.architecture === "arm64"))
      ctx.addIssue({
        code: "custom",
        path: ["instanceType"],
        message: `${c.instanceType} is ${graviton ? "arm64 (Graviton)" : "x86_64"} but architecture is ${c.architecture}`,
      });
  })
  .describe("EC2 capacity");

const HealthCheck = z
  .strictObject({
    path: z
      .string()
      .regex(/^\/[\w\-./~%?=&]*$/, {
        error: (i) => `${JSON.stringify(i.input)} is not a URL path starting with /`,
      })
      .default("/")
      .describe("Path the load balancer requests on each task"),
    matcher: z
      .string()
      .regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, {
        error: "is not an HTTP code list such as 200 or 200-399",
      })
      .default("200-399")
      .describe("HTTP codes that count as healthy"),
    intervalSeconds: z.number().int().min(5).max(300).default(15).describe("Seconds between checks"),
    timeoutSeconds: z.number().int().min(2).max(120).default(5).describe("Seconds before a check fails"),
    healthyThreshold: z
      .number()
      .int()
      .min(2)
      .max(10)
      .default(2)
      .describe("Passing checks before a task is healthy"),
    unhealthyThreshold: z
      .number()
      .int()
      .min(2)
      .max(10)
      .default(3)
      .describe("Failing checks before a task is unhealthy"),
    gracePeriodSeconds: z
      .number()
      .int()
      .min(0)
      .max(2147483647)
      .default(60)
      .describe("Seconds ECS ignores failing load-balancer checks of a new task while it starts"),
  })
  .superRefine((h, ctx) => {
    if (h.timeoutSeconds >= h.intervalSeconds)
      ctx.addIssue({
        code: "custom",
        path: ["timeoutSeconds"],
        message: `timeoutSeconds (${h.timeoutSeconds}) must be below intervalSeconds (${h.intervalSeconds})`,
      });
  })
  .describe("The load balancer's health check of the tasks");

const ContainerHealthCheck = z
  .strictObject({
    command: z
      .array(z.string())
      .min(2)
      .describe('Command in ECS form, e.g. ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]'),
    intervalSeconds: z.number().int().min(5).max(300).default(30).describe("Seconds between checks"),
    timeoutSeconds: z.number().int().min(2).max(60).default(5).describe("Seconds before a check fails"),
    retries: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe("Failures before the container is unhealthy"),
    startPeriodSeconds: z
      .number()
      .int()
      .min(0)
      .max(300)
      .default(60)
      .describe("Seconds failures are ignored after start"),
  })
  .describe("Docker health check inside the container; omit when the image has no tool to probe itself");

const Container = z
  .strictObject({
    image: Image,
    port: z.number().int().min(1).max(65535).default(8080).describe("Port the container listens on (HTTP)"),
    environment: z
      .record(EnvName, z.string())
      .default({})
      .describe("Plain environment variables; never put secrets here"),
    secrets: z
      .record(EnvName, SecretArn)
      .default({})
      .describe("Variables injected from Secrets Manager or SSM by ARN; the value never enters Terraform"),
    user: z
      .string()
      .regex(/^[\w.-]+(:[\w.-]+)?$/, { error: (i) => `${JSON.stringify(i.input)} is not user[:group]` })
      .optional()
      .describe(
        'Run as this user[:group], e.g. "1000:1000" for a non-root process; omit for the image\'s own',
      ),
    readOnlyRootFilesystem: z
      .boolean()
      .default(true)
      .describe("Mount the root filesystem read-only; writablePaths stay writable"),
    writablePaths: z
      .array(z.string().regex(/^\/[\w./-]*$/, { error: "is not an absolute path" }))
      .default(["/tmp"])
      .describe("Paths given an empty task-scoped volume, writable even with a read-only root filesystem"),
    healthCheck: ContainerHealthCheck.optional(),
    injectDataStores: z
      .boolean()
      .default(true)
      .describe(
        "Give the container <STORE>_HOST/_PORT/_DATABASE variables, _USERNAME/_PASSWORD secrets (databases) or the IAM _USERNAME (caches), and TABLE_<NAME> per table",
      ),
  })
  .superRefine((c, ctx) => {
    if ((RESERVED_CONTAINER_PORTS as readonly number[]).includes(c.port))
      ctx.addIssue({
        code: "custom",
        path: ["port"],
        message: `${c.port} is reserved by ECS (${RESERVED_CONTAINER_PORTS.join(", ")}); the load balancer cannot reach a task there`,
      });
    // A non-root process cannot bind below 1024 (no CAP_NET_BIND_SERVICE): the target would never be healthy.
    const uid = c.user?.split(":")[0];
    if (uid !== undefined && uid !== "0" && uid !== "root" && c.port < 1024)
      ctx.addIssue({
        code: "custom",
        path: ["port"],
        message: `user "${c.user}" cannot bind privileged port ${c.port}; use a port ≥ 1024 such as 8080`,
      });
    for (const k of Object.keys(c.secrets))
      if (k in c.environment)
        ctx.addIssue({
          code: "custom",
          path: ["secrets", k],
          message: `"${k}" is also set under environment; a variable comes from one place`,
        });
  })
  .describe("The application container");

/** A blue/green test listener cannot share a port with the production listeners (80, and 443 with a domain). */
function addTestPortIssue(b: { testListenerPort: number }, ctx: z.RefinementCtx): void {
  if (b.testListenerPort === 80 || b.testListenerPort === 443)
    ctx.addIssue({
      code: "custom",
      path: ["testListenerPort"],
      message: `${b.testListenerPort} is a production listener port; choose another, e.g. 8443`,
    });
}

const Rolling = z
  .strictObject({
    type: z.literal("rolling").describe("ECS rolling update"),
    circuitBreaker: z
      .boolean()
      .default(true)
      .describe("Stop a failing deployment and roll back to the last one that reached steady state"),
    minimumHealthyPercent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(100)
      .describe("Tasks kept running during a deploy"),
    maximumPercent: z.number().int().min(100).max(200).default(200).describe("Tasks allowed during a deploy"),
  })
  .describe("Rolling deployments by ECS");

const BlueGreen = z
  .strictObject({
    type: z.literal("codeDeploy").describe("Blue/green by CodeDeploy: two target groups and a test listener"),
    trafficShift: z
      .enum(ECS_TRAFFIC_SHIFTS)
      .default("CodeDeployDefault.ECSAllAtOnce")
      .describe("How CodeDeploy moves production traffic to the new tasks"),
    terminationWaitMinutes: z
      .number()
      .int()
      .min(0)
      .max(2880)
      .default(5)
      .describe("Minutes the old tasks stay up after the switch, for a fast rollback"),
    testListenerPort: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(8443)
      .describe("Load balancer port of the test listener that reaches the new tasks before the switch"),
    testTrafficCidrs: z
      .array(z.string().regex(/^[0-9a-f.:]+\/\d{1,3}$/, { error: "is not a CIDR" }))
      .default([])
      .describe("Sources admitted on the test listener (CI runners, office); none by default"),
  })
  .superRefine(addTestPortIssue)
  .describe("Blue/green deployments by CodeDeploy");

const BakeMinutes = (fallback: number, what: string) =>
  z.number().int().min(0).max(MAX_BAKE_MINUTES).default(fallback).describe(what);

// ECS takes percentages in steps of 0.1 (3.0 to 100.0 for linear, 0.1 to 100.0 for canary).
const TenthPercent = (min: number, fallback: number, what: string) =>
  z
    .number()
    .min(min)
    .max(100)
    .refine((p) => Math.abs(p * 10 - Math.round(p * 10)) < 1e-9, {
      error: (i) => `${String(i.input)} is not a multiple of 0.1`,
    })
    .default(fallback)
    .describe(what);

const LambdaArn = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov)?:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]{1,128})?$/, {
    error: (i) => `${JSON.stringify(i.input)} is not a Lambda function ARN`,
  });

const Hooks = z
  .strictObject(
    Object.fromEntries(
      ECS_LIFECYCLE_STAGES.map((stage) => [
        stage,
        LambdaArn.optional().describe(
          `Lambda function ECS invokes at ${stage}; it answers SUCCEEDED, FAILED or IN_PROGRESS`,
        ),
      ]),
    ) as Record<(typeof ECS_LIFECYCLE_STAGES)[number], z.ZodOptional<typeof LambdaArn>>,
  )
  .describe("Lifecycle hooks: a Lambda function ARN per deployment stage; FAILED rolls the deployment back");

const Shift = z
  .discriminatedUnion("type", [
    z
      .strictObject({ type: z.literal("allAtOnce").describe("Move all production traffic at once") })
      .describe("All production traffic moves to the new tasks in one step (strategy BLUE_GREEN)"),
    z
      .strictObject({
        type: z.literal("linear").describe("Move production traffic in equal steps"),
        stepPercent: TenthPercent(
          3,
          10,
          "Share of production traffic moved per step (3 to 100, in steps of 0.1)",
        ),
        stepBakeTimeMinutes: BakeMinutes(6, "Minutes between two steps (0 to 1440)"),
      })
      .describe("Production traffic moves in equal steps (strategy LINEAR)"),
    z
      .strictObject({
        type: z.literal("canary").describe("Move a small share first, then the rest"),
        percent: TenthPercent(
          0.1,
          5,
          "Share of production traffic the canary gets (0.1 to 100, in steps of 0.1)",
        ),
        bakeTimeMinutes: BakeMinutes(
          10,
          "Minutes the canary runs before the rest of the traffic moves (0 to 1440)",
        ),
      })
      .describe("A share of production traffic moves first, the rest after a wait (strategy CANARY)"),
  ])
  .prefault({ type: "allAtOnce" })
  .describe("How production traffic moves to the new tasks: allAtOnce (default), linear or canary");

const NativeBlueGreen = z
  .strictObject({
    type: z
      .literal("nativeBlueGreen")
      .describe("Blue/green by ECS itself: two target groups, listener rules ECS moves, no CodeDeploy"),
    bakeTimeMinutes: BakeMinutes(
      15,
      "Minutes the old tasks keep running after production traffic has moved, for an instant rollback (0 to 1440)",
    ),
    testListenerPort: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .describe(
        "Load balancer port of the test listener that reaches the new tasks before production does, e.g. 8443",
      ),
    testCidrs: z
      .array(z.string().regex(/^[0-9a-f.:]+\/\d{1,3}$/, { error: "is not a CIDR" }))
      .default([])
      .describe("Sources admitted on the test listener besides the VPC (CI runners, office, NAT addresses)"),
    hooks: Hooks.default({}),
    shift: Shift,
  })
  .superRefine(addTestPortIssue)
  .describe("Blue/green deployments by ECS (recommended)");

const Schedule = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,40}$/, {
        error: (i) => `${JSON.stringify(i.input)} is not a short lower-case name`,
      })
      .describe("Name of the window, e.g. business-hours"),
    schedule: ScheduleExpression(["cron", "at", "rate"]).describe(
      "When the window starts: cron(0 8 ? * MON-FRI *) (six fields, ? in day-of-month or day-of-week), at(2026-06-01T08:00:00) or rate(1 day)",
    ),
    timezone: z.string().min(1).default("UTC").describe("IANA time zone of the schedule, e.g. Europe/Paris"),
    minTasks: z.number().int().min(0).max(5000).describe("Fewest tasks from then on"),
    maxTasks: z.number().int().min(1).max(5000).describe("Most tasks from then on"),
  })
  .superRefine((s, ctx) => addOrderIssue(ctx, s, "minTasks", "maxTasks"))
  .describe("A scheduled change of the task range (business hours, a known peak)");

const Scaling = z
  .strictObject({
    minTasks: z.number().int().min(1).max(5000).default(2).describe("Fewest running tasks"),
    maxTasks: z.number().int().min(1).max(5000).default(6).describe("Most running tasks"),
    desiredTasks: z
      .number()
      .int()
      .min(1)
      .max(5000)
      .optional()
      .describe("Tasks at creation; autoscaling owns the number afterwards. Defaults to minTasks"),
    cpuTargetPercent: z
      .number()
      .int()
      .min(10)
      .max(90)
      .default(60)
      .describe("Average service CPU that target tracking keeps"),
    requestsPerTarget: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(600)
      .describe("ALB requests per task per minute that target tracking keeps (600 = 10 requests/s)"),
    scaleOutCooldownSeconds: z.number().int().min(0).max(3600).default(60).describe("Wait after a scale-out"),
    scaleInCooldownSeconds: z.number().int().min(0).max(3600).default(300).describe("Wait after a scale-in"),
    schedules: z.array(Schedule).default([]).describe("Scheduled windows that change minTasks/maxTasks"),
  })
  .superRefine((s, ctx) => {
    addOrderIssue(ctx, s, "minTasks", "maxTasks");
    if (s.desiredTasks !== undefined && (s.desiredTasks < s.minTasks || s.desiredTasks > s.maxTasks))
      ctx.addIssue({
        code: "custom",
        path: ["desiredTasks"],
        message: `desiredTasks (${s.desiredTasks}) must lie between minTasks (${s.minTasks}) and maxTasks (${s.maxTasks})`,
      });
    addRepeatNameIssues(ctx, s.schedules, "schedules", "used");
  })
  .describe("Task autoscaling");

const Alarms = z
  .strictObject({
    cpuPercent: AlarmPercent("Alarm when service CPU stays above this"),
    memoryPercent: AlarmPercent("Alarm when service memory stays above this"),
    http5xxCount: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe("Alarm when 5xx responses (from the load balancer or the tasks) per period exceed this"),
    unhealthyHosts: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("Alarm when more tasks than this are unhealthy in the target group"),
    p95ResponseSeconds: z
      .number()
      .positive()
      .default(1.5)
      .describe("Alarm when the 95th percentile target response time exceeds this many seconds"),
    periodSeconds: z
      .union([z.literal(60), z.literal(300)])
      .default(60)
      .describe("Seconds per datapoint (60 or 300)"),
    evaluationPeriods: z.number().int().min(1).max(60).default(5).describe("Datapoints looked at"),
    datapointsToAlarm: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(3)
      .describe("Breaching datapoints that fire the alarm"),
  })
  .superRefine((a, ctx) => addOrderIssue(ctx, a, "datapointsToAlarm", "evaluationPeriods"))
  .describe("Alarm thresholds; alarms go to the shared alerts topic");

const Domain = z
  .strictObject({
    name: DomainName.describe(
      "Name of the application, inside shared.yaml's dns.zoneName (e.g. dev.shop.example.com)",
    ),
    aliases: z
      .array(DomainName)
      .default([])
      .describe("More names on the same certificate and load balancer (e.g. www.shop.example.com)"),
  })
  .describe(
    "The application's DNS name: an ACM certificate, HTTPS, and a Route 53 alias to the load balancer",
  );

const LoadBalancer = z
  .strictObject({
    deletionProtection: z.boolean().default(true).describe("Refuse deleting the load balancer"),
    idleTimeoutSeconds: z.number().int().min(1).max(4000).default(60).describe("Idle connection timeout"),
    ingress: z
      .enum(["internet", "cloudfront"])
      .default("internet")
      .describe(
        "Who may connect on 80/443: the whole internet, or only CloudFront (its managed prefix list) when a CDN is in front",
      ),
    sslPolicy: z
      .enum([
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
      ])
      .default("ELBSecurityPolicy-TLS13-1-2-2021-06")
      .describe("TLS policy of the HTTPS listener (TLS 1.3, and TLS 1.2 unless -1-3-)"),
    accessLogDays: z.number().int().min(1).max(3650).default(90).describe("Days access logs are kept"),
  })
  .describe("The application load balancer");

const ManagedRuleGroup = z
  .strictObject({
    name: z.enum(MANAGED_RULE_GROUPS).describe("An AWS managed rule group"),
    count: z.boolean().default(false).describe("Only count matches (to tune the group) instead of blocking"),
  })
  .describe("A managed rule group in the web ACL");

export const DEFAULT_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
] as const;

const Waf = z
  .strictObject({
    ruleGroups: z
      .array(ManagedRuleGroup)
      .min(1)
      .default(DEFAULT_RULE_GROUPS.map((name) => ({ name, count: false })))
      .describe(
        "Managed rule groups in priority order; the default covers the OWASP basics, log4j, SQLi, bad IPs, VPNs",
      ),
    botControl: z
      .strictObject({
        enabled: z.boolean().default(false).describe("Add the Bot Control group (billed per request)"),
        inspectionLevel: z.enum(["COMMON", "TARGETED"]).default("COMMON").describe("COMMON or TARGETED bots"),
        count: z.boolean().default(false).describe("Only count bot matches"),
      })
      .prefault({})
      .describe("AWS Bot Control"),
    rateLimit: z
      .strictObject({
        limit: z
          .number()
          .int()
          .min(10)
          .max(2_000_000_000)
          .default(1000)
          .describe("Requests per client IP per window"),
        windowSeconds: z
          .union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)])
          .default(300)
          .describe("Evaluation window (60, 120, 300 or 600 seconds)"),
        count: z.boolean().default(false).describe("Only count clients over the limit"),
      })
      .prefault({})
      .describe("Rate-based rule per client IP"),
    captchaPaths: z
      .array(z.string().regex(/^\/[\w\-./~%]*$/, { error: "is not a URL path starting with /" }))
      .default([])
      .describe("Path prefixes that require a CAPTCHA (e.g. /signup against automated sign-ups)"),
    captchaImmunitySeconds: z
      .number()
      .int()
      .min(60)
      .max(259200)
      .default(300)
      .describe("Seconds a solved CAPTCHA stays valid"),
    logRetentionDays: LogRetentionDays(30, "Days WAF logs are kept"),
  })
  .superRefine((w, ctx) => addRepeatNameIssues(ctx, w.ruleGroups, "ruleGroups", "listed"))
  .describe("The web application firewall in front of the load balancer");

export const ServiceSection = z
  .strictObject({
    capacity: z
      .discriminatedUnion("type", [FargateCapacity, Ec2Capacity])
      .prefault({ type: "fargate" })
      .describe("Where tasks run: fargate (default) or ec2"),
    cpu: z.number().int().min(128).default(256).describe("Task CPU units (1024 = 1 vCPU)"),
    memory: z.number().int().min(128).default(512).describe("Task memory in MiB"),
    container: Container,
    healthCheck: HealthCheck.prefault({}),
    logging: z
      .strictObject({ retentionDays: LogRetentionDays(7, "Days container logs are kept") })
      .prefault({})
      .describe("Container logs in CloudWatch (KMS-encrypted)"),
    deployment: z
      .discriminatedUnion("type", [Rolling, BlueGreen, NativeBlueGreen])
      .prefault({ type: "rolling" })
      .describe(
        "How new versions roll out: rolling (default), nativeBlueGreen (recommended) or codeDeploy blue/green",
      ),
    scaling: Scaling.prefault({}),
    alarms: Alarms.prefault({}),
    domain: Domain.optional().describe("Omit for a bare sandbox: HTTP only on the load balancer's own name"),
    loadBalancer: LoadBalancer.prefault({}),
    waf: Waf.prefault({}),
    execCommand: z
      .boolean()
      .default(false)
      .describe(
        "Allow `aws ecs execute-command` into running tasks (sessions are logged, KMS-encrypted; the injected agent gets writable volumes under a read-only root)",
      ),
  })
  .superRefine((s, ctx) => {
    if (s.capacity.type === "fargate") {
      const options = fargateMemoryOptions(s.cpu);
      if (options.length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["cpu"],
          message: `Fargate does not accept cpu ${s.cpu}; use one of ${Object.keys(FARGATE_SIZES).join(", ")}`,
        });
      else if (!options.includes(s.memory)) {
        const [from, to, step] = FARGATE_SIZES[s.cpu]!;
        ctx.addIssue({
          code: "custom",
          path: ["memory"],
          message:
            s.cpu === 256
              ? `Fargate with cpu 256 accepts memory 512, 1024 or 2048, not ${s.memory}`
              : `Fargate with cpu ${s.cpu} accepts memory ${from} to ${to} in steps of ${step}, not ${s.memory}`,
        });
      }
    }
  })
  .describe("The application: load balancer, firewall, ECS cluster, task, service, scaling and alarms");

export type ServiceConfig = z.output<typeof ServiceSection>;
