// The `service:` section: every class of bad input gets one positioned line naming the file and key path.
import { expectTypeOf } from "vitest";
import { loadConfig } from "../environments/load.ts";
import type { ServiceConfig } from "../environments/sections/service.ts";
import { configProblems, DEV_YAML, envDir, SHARED_WITH_ZONE_YAML } from "./helpers.ts";

const SHARED = SHARED_WITH_ZONE_YAML;
const SERVICE = `service:
  cpu: 256
  memory: 512
  container:
    image:
      repository: web
      tag: v1
    port: 8080
  domain:
    name: dev.shop.example.com
`;

/** The lines of the ConfigError for a dev.yaml whose service section is `service` (and shared.yaml `shared`). */
function problems(service: string, shared = SHARED): string[] {
  return configProblems({ "shared.yaml": shared, "dev.yaml": DEV_YAML + service });
}
const load = (service: string) =>
  loadConfig(envDir({ "shared.yaml": SHARED, "dev.yaml": DEV_YAML + service }));

describe("a valid service section", () => {
  it("gets production-grade defaults: rolling with rollback, 7-day logs, deletion protection, WAF groups", () => {
    const s = load(SERVICE).environments[0]!.service!;
    expect(s.capacity).toEqual({ type: "fargate", spotPercent: 0, onDemandBase: 0, architecture: "x86_64" });
    expect(s.deployment).toMatchObject({ type: "rolling", circuitBreaker: true });
    expect(s.logging.retentionDays).toBe(7);
    expect(s.loadBalancer).toMatchObject({ deletionProtection: true, ingress: "internet" });
    expect(s.scaling).toMatchObject({ minTasks: 2, requestsPerTarget: 600 });
    expect(s.waf.ruleGroups.map((g) => g.name)).toContain("AWSManagedRulesKnownBadInputsRuleSet");
    expect(s.container.readOnlyRootFilesystem).toBe(true);
  });

  it("accepts a public image reference instead of a repository", () => {
    const s = load(
      SERVICE.replace(
        "      repository: web\n      tag: v1\n",
        "      image: public.ecr.aws/nginx/nginx:stable\n",
      ),
    );
    expect(s.environments[0]!.service!.container.image.image).toBe("public.ecr.aws/nginx/nginx:stable");
  });

  it("types capacity and deployment as discriminated unions", () => {
    expectTypeOf<ServiceConfig["capacity"]["type"]>().toEqualTypeOf<"fargate" | "ec2">();
    expectTypeOf<ServiceConfig["deployment"]["type"]>().toEqualTypeOf<
      "rolling" | "codeDeploy" | "nativeBlueGreen"
    >();
  });
});

describe("bad service input", () => {
  it("rejects a CPU/memory pair Fargate does not accept, at the memory key", () => {
    expect(problems(SERVICE.replace("memory: 512", "memory: 4096"))).toEqual([
      "dev.yaml:7:11 service.memory: Fargate with cpu 256 accepts memory 512, 1024 or 2048, not 4096",
    ]);
  });

  it("rejects a CPU value Fargate does not offer", () => {
    expect(problems(SERVICE.replace("cpu: 256", "cpu: 300"))).toEqual([
      expect.stringMatching(
        /^dev\.yaml:6:8 service\.cpu: Fargate does not accept cpu 300; use one of 256, 512/,
      ),
    ]);
  });

  it("rejects minTasks above maxTasks", () => {
    expect(problems(`${SERVICE}  scaling:\n    minTasks: 5\n    maxTasks: 2\n`)).toEqual([
      expect.stringMatching(
        /^dev\.yaml:\d+:\d+ service\.scaling\.minTasks: minTasks \(5\) must be ≤ maxTasks \(2\)$/,
      ),
    ]);
  });

  it("rejects a scheduled window whose minimum exceeds its maximum", () => {
    const schedules = `  scaling:\n    schedules:\n      - name: peak\n        schedule: cron(0 8 * * ? *)\n        minTasks: 9\n        maxTasks: 3\n`;
    expect(problems(SERVICE + schedules)).toEqual([
      expect.stringMatching(
        /service\.scaling\.schedules\.0\.minTasks: minTasks \(9\) must be ≤ maxTasks \(3\)/,
      ),
    ]);
  });

  it.each([
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
  ])("rejects a scheduled window with %s", (_, schedule, message) => {
    const schedules = `  scaling:\n    schedules:\n      - name: peak\n        schedule: ${schedule}\n        minTasks: 2\n        maxTasks: 4\n`;
    expect(problems(SERVICE + schedules)).toEqual([
      `dev.yaml:18:19 service.scaling.schedules.0.schedule: ${message}`,
    ]);
  });

  it("accepts a scheduled window at a date, at a rate, or on an AWS cron", () => {
    for (const schedule of [
      "at(2026-06-01T08:00:00)",
      "rate(1 day)",
      "cron(0 8 ? * MON-FRI *)",
      "cron(0 9 L * ? *)",
    ]) {
      const schedules = `  scaling:\n    schedules:\n      - name: peak\n        schedule: ${schedule}\n        minTasks: 2\n        maxTasks: 4\n`;
      expect(load(SERVICE + schedules).environments[0]!.service!.scaling.schedules[0]!.schedule).toBe(
        schedule,
      );
    }
  });

  it("rejects a container port outside 1-65535", () => {
    expect(problems(SERVICE.replace("port: 8080", "port: 70000"))).toEqual([
      expect.stringMatching(
        /^dev\.yaml:\d+:\d+ service\.container\.port: 70000 is out of range: must be at most 65535$/,
      ),
    ]);
  });

  it("rejects a container port ECS reserves, which the load balancer cannot reach", () => {
    expect(problems(SERVICE.replace("port: 8080", "port: 51678"))).toEqual([
      expect.stringMatching(
        /service\.container\.port: 51678 is reserved by ECS .* the load balancer cannot reach/,
      ),
    ]);
  });

  it("rejects a privileged port for a non-root user, who cannot bind it", () => {
    expect(problems(SERVICE.replace("port: 8080", 'port: 80\n    user: "1000"'))).toEqual([
      expect.stringMatching(/service\.container\.port: user "1000" cannot bind privileged port 80/),
    ]);
  });

  it("rejects an image that is not a valid reference", () => {
    expect(
      problems(
        SERVICE.replace("      repository: web\n      tag: v1\n", "      image: Not//A Valid:image\n"),
      ),
    ).toEqual([
      expect.stringMatching(
        /^dev\.yaml:\d+:\d+ service\.container\.image\.image: "Not\/\/A Valid:image" is not a valid image reference/,
      ),
    ]);
  });

  it("rejects a repository that shared.yaml does not declare", () => {
    expect(problems(SERVICE.replace("repository: web", "repository: api"))).toEqual([
      'dev.yaml:10:19 service.container.image.repository: "api" is not a registry in shared.yaml (web); or give a full image reference as image',
    ]);
  });

  it("rejects an image with neither a repository nor a reference", () => {
    expect(problems(SERVICE.replace("      repository: web\n      tag: v1\n", "      tag: v1\n"))).toEqual([
      expect.stringMatching(/service\.container\.image: give repository .* or image/),
    ]);
  });

  it("rejects a domain outside the shared hosted zone", () => {
    expect(problems(SERVICE.replace("dev.shop.example.com", "dev.other.example.org"))).toEqual([
      'dev.yaml:14:11 service.domain.name: "dev.other.example.org" is not inside the hosted zone shop.example.com (shared.yaml dns.zoneName)',
    ]);
  });

  it("rejects a domain alias outside the zone at its list position", () => {
    expect(
      problems(
        SERVICE.replace(
          "    name: dev.shop.example.com\n",
          "    name: dev.shop.example.com\n    aliases: [shop.example.net]\n",
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^dev\.yaml:15:\d+ service\.domain\.aliases\.0: "shop\.example\.net" is not inside the hosted zone/,
      ),
    ]);
  });

  it("rejects a domain when shared.yaml has no hosted zone", () => {
    expect(problems(SERVICE, SHARED.replace("dns:\n  zoneName: shop.example.com\n", ""))).toEqual([
      expect.stringMatching(
        /service\.domain\.name: "dev\.shop\.example\.com" needs a hosted zone, but shared\.yaml has no dns section/,
      ),
    ]);
  });

  it("rejects an EC2 instance type whose architecture differs from the one configured", () => {
    expect(
      problems(
        SERVICE.replace("  cpu: 256", "  capacity:\n    type: ec2\n    instanceType: m7g.large\n  cpu: 256"),
      ),
    ).toEqual([
      expect.stringMatching(
        /service\.capacity\.instanceType: m7g\.large is arm64 \(Graviton\) but architecture is x86_64/,
      ),
    ]);
  });

  it("rejects a secret that is not a Secrets Manager or SSM ARN", () => {
    expect(
      problems(
        SERVICE.replace("    port: 8080\n", "    port: 8080\n    secrets:\n      DB_PASSWORD: hunter2\n"),
      ),
    ).toEqual([
      expect.stringMatching(
        /service\.container\.secrets\.DB_PASSWORD: "hunter2" is not a full Secrets Manager secret ARN/,
      ),
    ]);
  });
});
