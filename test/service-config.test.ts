// The `service:` section: every class of bad input gets one positioned line naming the file and key path.
import { expectTypeOf } from "vitest";
import type { ServiceConfig } from "../environments/sections/service.ts";
import { devFiles, lines, SERVICE_YAML, SHARED_WITH_ZONE_YAML } from "./helpers.ts";

const SHARED = SHARED_WITH_ZONE_YAML;
/** Lines 5-14 of dev.yaml: SERVICE_YAML with cpu and memory first and a domain last. */
const SERVICE = `${SERVICE_YAML.replace("service:\n", "service:\n  cpu: 256\n  memory: 512\n")}  domain:
    name: dev.shop.example.com
`;

const { env, problems } = devFiles("", SHARED);
/** A service section with one scheduled window on `schedule`, its minimum and maximum tasks `min` and `max`. */
const withWindow = (schedule: string, min = 2, max = 4) =>
  `${SERVICE}  scaling:\n    schedules:\n      - name: peak\n        schedule: ${schedule}\n        minTasks: ${min}\n        maxTasks: ${max}\n`;
const REPOSITORY_AND_TAG = "      repository: web\n      tag: v1\n";

describe("a valid service section", () => {
  it("gets production-grade defaults: rolling with rollback, 7-day logs, deletion protection, WAF groups", () => {
    const s = env(SERVICE).service!;
    expect(s.capacity).toEqual({ type: "fargate", spotPercent: 0, onDemandBase: 0, architecture: "x86_64" });
    expect(s.deployment).toMatchObject({ type: "rolling", circuitBreaker: true });
    expect(s.logging.retentionDays).toBe(7);
    expect(s.loadBalancer).toMatchObject({ deletionProtection: true, ingress: "internet" });
    expect(s.scaling).toMatchObject({ minTasks: 2, requestsPerTarget: 600 });
    expect(s.waf.ruleGroups.map((g) => g.name)).toContain("AWSManagedRulesKnownBadInputsRuleSet");
    expect(s.container.readOnlyRootFilesystem).toBe(true);
  });

  it("accepts a public image reference instead of a repository", () => {
    const s = env(SERVICE.replace(REPOSITORY_AND_TAG, "      image: public.ecr.aws/nginx/nginx:stable\n"));
    expect(s.service!.container.image.image).toBe("public.ecr.aws/nginx/nginx:stable");
  });

  it("types capacity and deployment as discriminated unions", () => {
    expectTypeOf<ServiceConfig["capacity"]["type"]>().toEqualTypeOf<"fargate" | "ec2">();
    expectTypeOf<ServiceConfig["deployment"]["type"]>().toEqualTypeOf<
      "rolling" | "codeDeploy" | "nativeBlueGreen"
    >();
  });
});

describe("bad service input", () => {
  it.each<[string, string, string | RegExp]>([
    [
      "a CPU/memory pair Fargate does not accept, at the memory key",
      SERVICE.replace("memory: 512", "memory: 4096"),
      "dev.yaml:7:11 service.memory: Fargate with cpu 256 accepts memory 512, 1024 or 2048, not 4096",
    ],
    [
      "a CPU value Fargate does not offer",
      SERVICE.replace("cpu: 256", "cpu: 300"),
      /^dev\.yaml:6:8 service\.cpu: Fargate does not accept cpu 300; use one of 256, 512/,
    ],
    [
      "minTasks above maxTasks",
      `${SERVICE}  scaling:\n    minTasks: 5\n    maxTasks: 2\n`,
      /^dev\.yaml:\d+:\d+ service\.scaling\.minTasks: minTasks \(5\) must be ≤ maxTasks \(2\)$/,
    ],
    [
      "a scheduled window whose minimum exceeds its maximum",
      withWindow("cron(0 8 * * ? *)", 9, 3),
      /service\.scaling\.schedules\.0\.minTasks: minTasks \(9\) must be ≤ maxTasks \(3\)/,
    ],
    ...(
      [
        [
          "a Unix cron, with its AWS form",
          "cron(0 7 * * MON-FRI)",
          '"cron(0 7 * * MON-FRI)" is a Unix cron (five fields); AWS cron has six, with ? in day-of-month or day-of-week: cron(0 7 ? * MON-FRI *)',
        ],
        [
          "a Unix cron whose weekdays are numbers, named so their meaning cannot shift",
          "cron(30 6 * * 1-5)",
          '"cron(30 6 * * 1-5)" is a Unix cron (five fields); AWS cron has six, with ? in day-of-month or day-of-week: cron(30 6 ? * MON-FRI *)',
        ],
        [
          "a cron giving both day-of-month and day-of-week",
          "cron(0 8 * * MON *)",
          '"cron(0 8 * * MON *)" is not an AWS cron: day-of-month and day-of-week cannot both be given: one of them must be ?; write cron(0 8 ? * MON *)',
        ],
        [
          "an hour out of range",
          "cron(0 24 ? * MON *)",
          '"cron(0 24 ? * MON *)" is not an AWS cron: hours 24 is outside 0-23',
        ],
        [
          "a rate with the wrong number of its unit",
          "rate(1 hours)",
          '"rate(1 hours)" must be written rate(1 hour)',
        ],
        [
          "a date that does not exist",
          "at(2026-02-30T08:00:00)",
          '"at(2026-02-30T08:00:00)": 2026-02-30T08:00:00 is not a real date and time',
        ],
      ] as const
    ).map(([what, schedule, message]): [string, string, string] => [
      `a scheduled window with ${what}`,
      withWindow(schedule),
      `dev.yaml:18:19 service.scaling.schedules.0.schedule: ${message}`,
    ]),
    [
      "a container port outside 1-65535",
      SERVICE.replace("port: 8080", "port: 70000"),
      /^dev\.yaml:\d+:\d+ service\.container\.port: 70000 is out of range: must be at most 65535$/,
    ],
    [
      "a container port ECS reserves, which the load balancer cannot reach",
      SERVICE.replace("port: 8080", "port: 51678"),
      /service\.container\.port: 51678 is reserved by ECS .* the load balancer cannot reach/,
    ],
    [
      "a privileged port for a non-root user, who cannot bind it",
      SERVICE.replace("port: 8080", 'port: 80\n    user: "1000"'),
      /service\.container\.port: user "1000" cannot bind privileged port 80/,
    ],
    [
      "an image that is not a valid reference",
      SERVICE.replace(REPOSITORY_AND_TAG, "      image: Not//A Valid:image\n"),
      /^dev\.yaml:\d+:\d+ service\.container\.image\.image: "Not\/\/A Valid:image" is not a valid image reference/,
    ],
    [
      "a repository that shared.yaml does not declare",
      SERVICE.replace("repository: web", "repository: api"),
      'dev.yaml:10:19 service.container.image.repository: "api" is not a registry in shared.yaml (web); or give a full image reference as image',
    ],
    [
      "an image with neither a repository nor a reference",
      SERVICE.replace(REPOSITORY_AND_TAG, "      tag: v1\n"),
      /service\.container\.image: give repository .* or image/,
    ],
    [
      "a domain outside the shared hosted zone",
      SERVICE.replace("dev.shop.example.com", "dev.other.example.org"),
      'dev.yaml:14:11 service.domain.name: "dev.other.example.org" is not inside the hosted zone shop.example.com (shared.yaml dns.zoneName)',
    ],
    [
      "a domain alias outside the zone at its list position",
      SERVICE.replace(
        "    name: dev.shop.example.com\n",
        "    name: dev.shop.example.com\n    aliases: [shop.example.net]\n",
      ),
      /^dev\.yaml:15:\d+ service\.domain\.aliases\.0: "shop\.example\.net" is not inside the hosted zone/,
    ],
    [
      "an EC2 instance type whose architecture differs from the one configured",
      SERVICE.replace("  cpu: 256", "  capacity:\n    type: ec2\n    instanceType: m7g.large\n  cpu: 256"),
      /service\.capacity\.instanceType: m7g\.large is arm64 \(Graviton\) but architecture is x86_64/,
    ],
    [
      "a secret that is not a Secrets Manager or SSM ARN",
      SERVICE.replace("    port: 8080\n", "    port: 8080\n    secrets:\n      DB_PASSWORD: hunter2\n"),
      /service\.container\.secrets\.DB_PASSWORD: "hunter2" is not a full Secrets Manager secret ARN/,
    ],
  ])("rejects %s", (_, service, line) => {
    expect(problems(service)).toEqual(lines(line));
  });

  it("rejects a domain when shared.yaml has no hosted zone", () => {
    expect(problems(SERVICE, SHARED.replace("dns:\n  zoneName: shop.example.com\n", ""))).toEqual(
      lines(
        /service\.domain\.name: "dev\.shop\.example\.com" needs a hosted zone, but shared\.yaml has no dns section/,
      ),
    );
  });

  it("accepts a scheduled window at a date, at a rate, or on an AWS cron", () => {
    for (const schedule of [
      "at(2026-06-01T08:00:00)",
      "rate(1 day)",
      "cron(0 8 ? * MON-FRI *)",
      "cron(0 9 L * ? *)",
    ])
      expect(env(withWindow(schedule)).service!.scaling.schedules[0]!.schedule).toBe(schedule);
  });
});
