// The `frontend:` section: defaults, and one positioned line for every class of bad input.
import { expectTypeOf } from "vitest";
import { loadConfig } from "../environments/load.ts";
import type { FrontendConfig } from "../environments/sections/frontend.ts";
import { configProblems, DEV_YAML, envDir, SHARED_WITH_ZONE_YAML, SHARED_YAML } from "./helpers.ts";

const SHARED = SHARED_WITH_ZONE_YAML;
/** A service section: dev.yaml lines 5-12, with its domain name on line 12. */
const SERVICE = `service:
  container:
    image:
      repository: web
      tag: v1
    port: 8080
  domain:
    name: origin.shop.example.com
`;

/** The lines of the ConfigError for a dev.yaml made of DEV_YAML then `sections`. */
const problems = (sections: string, shared = SHARED): string[] =>
  configProblems({ "shared.yaml": shared, "dev.yaml": DEV_YAML + sections });
const load = (sections: string) =>
  loadConfig(envDir({ "shared.yaml": SHARED, "dev.yaml": DEV_YAML + sections }));

describe("a valid frontend section", () => {
  it("gets the defaults: all edges, CSP of the site itself, 2-year HSTS without preload, WAF per protection", () => {
    const f = load("frontend: {}\n").environments[0]!.frontend!;
    expect(f.priceClass).toBe("PriceClass_All");
    expect(f.contentSecurityPolicy).toMatch(/^default-src 'self'/);
    expect(f.hsts).toEqual({ maxAgeSeconds: 63_072_000, includeSubdomains: true, preload: false });
    expect(f.waf.enabled).toBeUndefined();
    expect(f.waf.ruleGroups).toContain("AWSManagedRulesKnownBadInputsRuleSet");
    expect(f.logging.retentionDays).toBe(365);
    expect(f.api).toBeUndefined();
  });

  it("routes /api/* through a VPC origin by default once api is given", () => {
    const f = load(`${SERVICE}frontend:\n  api: {}\n`).environments[0]!.frontend!;
    expect(f.api).toEqual({ pathPatterns: ["/api/*"], originMode: "vpcOrigin" });
  });

  it("types the origin mode as a closed set", () => {
    expectTypeOf<NonNullable<FrontendConfig["api"]>["originMode"]>().toEqualTypeOf<
      "vpcOrigin" | "publicAlb"
    >();
  });
});

describe("bad frontend input", () => {
  it("rejects aliases without a domain name", () => {
    expect(problems("frontend:\n  domain:\n    aliases: [www.shop.example.com]\n")).toEqual([
      "dev.yaml:7:5 frontend.domain.name: is required",
    ]);
  });

  it("rejects a domain outside the shared zone, and any domain without one", () => {
    expect(problems("frontend:\n  domain:\n    name: shop.example.org\n")).toEqual([
      'dev.yaml:7:11 frontend.domain.name: "shop.example.org" is not inside the hosted zone shop.example.com (shared.yaml dns.zoneName)',
    ]);
    expect(
      problems(
        "frontend:\n  domain:\n    name: app.shop.example.com\n    aliases: [www.example.net]\n",
        SHARED_YAML,
      ),
    ).toEqual([
      'dev.yaml:7:11 frontend.domain.name: "app.shop.example.com" needs a hosted zone, but shared.yaml has no dns section',
      'dev.yaml:8:15 frontend.domain.aliases.0: "www.example.net" needs a hosted zone, but shared.yaml has no dns section',
    ]);
  });

  it("rejects a path pattern CloudFront does not accept, a catch-all pattern and a repeated one", () => {
    expect(
      problems(`${SERVICE}frontend:\n  api:\n    pathPatterns: ["/api/{id}", "/*", /auth/*, /auth/*]\n`),
    ).toEqual([
      'dev.yaml:15:20 frontend.api.pathPatterns.0: "/api/{id}" is not a CloudFront path pattern (up to 255 of A-Z a-z 0-9 _ - . * $ / ~ " \' @ : + & ?, e.g. /api/*)',
      'dev.yaml:15:33 frontend.api.pathPatterns.1: "/*" matches every request and would hide the static site; name the API\'s paths, e.g. /api/*',
      'dev.yaml:15:48 frontend.api.pathPatterns.3: "/auth/*" is listed twice',
    ]);
  });

  it("rejects an unknown price class", () => {
    expect(problems("frontend:\n  priceClass: PriceClass_300\n")).toEqual([
      'dev.yaml:6:15 frontend.priceClass: "PriceClass_300" is not a price class; use one of PriceClass_100, PriceClass_200, PriceClass_All',
    ]);
  });

  it("rejects API routing in an environment without a service", () => {
    expect(problems("frontend:\n  api: {}\n")).toEqual([
      "dev.yaml:6:8 frontend.api: routes to the service's load balancer, but this environment has no service: section",
    ]);
  });

  it("rejects vpcOrigin with a load balancer that must stay public for CloudFront's prefix list or test traffic", () => {
    const ingress = SERVICE.replace("  domain:", "  loadBalancer:\n    ingress: cloudfront\n  domain:");
    expect(problems(`${ingress}frontend:\n  api: {}\n`)).toEqual([
      "dev.yaml:12:14 service.loadBalancer.ingress: cloudfront keeps the load balancer internet-facing for CloudFront's public prefix list, but frontend.api.originMode vpcOrigin makes it internal; remove ingress or use originMode publicAlb",
    ]);
    const testTraffic = SERVICE.replace(
      "  domain:",
      "  deployment:\n    type: codeDeploy\n    testTrafficCidrs: [203.0.113.0/24]\n  domain:",
    );
    expect(problems(`${testTraffic}frontend:\n  api: {}\n`)).toEqual([
      "dev.yaml:13:23 service.deployment.testTrafficCidrs: admits test traffic from outside the VPC, but frontend.api.originMode vpcOrigin makes the load balancer internal; remove the CIDRs or use originMode publicAlb",
    ]);
  });

  it("rejects publicAlb without a load balancer domain, which would send the secret header in clear text", () => {
    const noDomain = SERVICE.replace("  domain:\n    name: origin.shop.example.com\n", "");
    expect(problems(`${noDomain}frontend:\n  api:\n    originMode: publicAlb\n`)).toEqual([
      "dev.yaml:13:17 frontend.api.originMode: publicAlb sends the secret origin header over the internet, which needs HTTPS: give the load balancer a name with service.domain (e.g. origin.<domain>), or use vpcOrigin",
    ]);
  });

  it("rejects publicAlb with blue/green releases, which would bypass the header rule's target group", () => {
    const blueGreen = SERVICE.replace("  domain:", "  deployment:\n    type: codeDeploy\n  domain:");
    expect(problems(`${blueGreen}frontend:\n  api:\n    originMode: publicAlb\n`)).toEqual([
      "dev.yaml:17:17 frontend.api.originMode: publicAlb forwards requests with the origin header to one target group, which a codeDeploy blue/green release would bypass; use vpcOrigin, or rolling deployments",
    ]);
  });

  it("rejects a frontend name the service's load balancer also uses", () => {
    const service = SERVICE.replace("origin.shop.example.com", "shop.example.com");
    expect(problems(`${service}frontend:\n  domain:\n    name: shop.example.com\n`)).toEqual([
      'dev.yaml:15:11 frontend.domain.name: "shop.example.com" is already service.domain.name: both would write the same DNS record and certificate name; use another name',
    ]);
  });
});
