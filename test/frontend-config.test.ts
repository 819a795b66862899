// The `frontend:` section: defaults, and one positioned line for every class of bad input.
import { expectTypeOf } from "vitest";
import type { FrontendConfig } from "../environments/sections/frontend.ts";
import { devFiles, lines, SERVICE_YAML, SHARED_WITH_ZONE_YAML, SHARED_YAML } from "./helpers.ts";

const SHARED = SHARED_WITH_ZONE_YAML;
/**
 * A service section: dev.yaml lines 5-15, its domain name on line 12, and the load balancer's rate limit counting
 * only (lines 13-15), as a CloudFront origin needs.
 */
const SERVICE = `${SERVICE_YAML}  domain:\n    name: origin.shop.example.com\n  waf:\n    rateLimit:\n      count: true\n`;

const { env, problems } = devFiles("", SHARED);
/** SERVICE with `replacement` in place of its domain section's first line. */
const serviceWith = (replacement: string) => SERVICE.replace("  domain:", replacement);

describe("a valid frontend section", () => {
  it("gets the defaults: all edges, CSP of the site itself, 2-year HSTS without preload, WAF per protection", () => {
    const f = env("frontend: {}\n").frontend!;
    expect(f.priceClass).toBe("PriceClass_All");
    expect(f.contentSecurityPolicy).toMatch(/^default-src 'self'/);
    expect(f.hsts).toEqual({ maxAgeSeconds: 63_072_000, includeSubdomains: true, preload: false });
    expect(f.waf.enabled).toBeUndefined();
    expect(f.waf.ruleGroups).toContain("AWSManagedRulesKnownBadInputsRuleSet");
    expect(f.logging.retentionDays).toBe(365);
    expect(f.api).toBeUndefined();
    expect(f.defaultOrigin).toBe("site");
    expect(f.staticPathPatterns).toEqual([]);
  });

  it("lets the app be the default origin with its static paths from the bucket", () => {
    const f = env(
      `${SERVICE}frontend:\n  defaultOrigin: app\n  staticPathPatterns: [/static/*]\n  api: {}\n`,
    ).frontend!;
    expect(f).toMatchObject({ defaultOrigin: "app", staticPathPatterns: ["/static/*"] });
  });

  it("routes /api/* through a VPC origin by default once api is given", () => {
    const f = env(`${SERVICE}frontend:\n  api: {}\n`).frontend!;
    expect(f.api).toEqual({ pathPatterns: ["/api/*"], originMode: "vpcOrigin" });
  });

  it("types the origin mode as a closed set", () => {
    expectTypeOf<NonNullable<FrontendConfig["api"]>["originMode"]>().toEqualTypeOf<
      "vpcOrigin" | "publicAlb"
    >();
  });
});

describe("bad frontend input", () => {
  it.each<[string, string, ...(string | RegExp)[]]>([
    [
      "aliases without a domain name",
      "frontend:\n  domain:\n    aliases: [www.shop.example.com]\n",
      "dev.yaml:7:5 frontend.domain.name: is required",
    ],
    [
      "a domain outside the shared zone",
      "frontend:\n  domain:\n    name: shop.example.org\n",
      'dev.yaml:7:11 frontend.domain.name: "shop.example.org" is not inside the hosted zone shop.example.com (shared.yaml dns.zoneName)',
    ],
    [
      "a path pattern CloudFront does not accept, a catch-all pattern and a repeated one",
      `${SERVICE}frontend:\n  api:\n    pathPatterns: ["/api/{id}", "/*", /auth/*, /auth/*]\n`,
      'dev.yaml:18:20 frontend.api.pathPatterns.0: "/api/{id}" is not a CloudFront path pattern (up to 255 of A-Z a-z 0-9 _ - . * $ / ~ " \' @ : + & ?, e.g. /api/*)',
      'dev.yaml:18:33 frontend.api.pathPatterns.1: "/*" matches every request and would hide the static site; name the API\'s paths, e.g. /api/*',
      'dev.yaml:18:48 frontend.api.pathPatterns.3: "/auth/*" is listed twice',
    ],
    [
      "an unknown price class",
      "frontend:\n  priceClass: PriceClass_300\n",
      'dev.yaml:6:15 frontend.priceClass: "PriceClass_300" is not a price class; use one of PriceClass_100, PriceClass_200, PriceClass_All',
    ],
    [
      "API routing in an environment without a service",
      "frontend:\n  api: {}\n",
      "dev.yaml:6:8 frontend.api: routes to the service's load balancer, but this environment has no service: section",
    ],
    [
      "vpcOrigin with a load balancer that must stay public for CloudFront's prefix list",
      `${serviceWith("  loadBalancer:\n    ingress: cloudfront\n  domain:")}frontend:\n  api: {}\n`,
      "dev.yaml:12:14 service.loadBalancer.ingress: cloudfront keeps the load balancer internet-facing for CloudFront's public prefix list, but frontend.api.originMode vpcOrigin makes it internal; remove ingress or use originMode publicAlb",
    ],
    [
      "vpcOrigin with a load balancer that must stay public for test traffic",
      `${serviceWith("  deployment:\n    type: codeDeploy\n    testTrafficCidrs: [203.0.113.0/24]\n  domain:")}frontend:\n  api: {}\n`,
      "dev.yaml:13:23 service.deployment.testTrafficCidrs: admits test traffic from outside the VPC, but frontend.api.originMode vpcOrigin makes the load balancer internal; remove the CIDRs or use originMode publicAlb",
    ],
    [
      "publicAlb without a load balancer domain, which would send the secret header in clear text",
      `${SERVICE.replace("  domain:\n    name: origin.shop.example.com\n", "")}frontend:\n  api:\n    originMode: publicAlb\n`,
      "dev.yaml:16:17 frontend.api.originMode: publicAlb sends the secret origin header over the internet, which needs HTTPS: give the load balancer a name with service.domain (e.g. origin.<domain>), or use vpcOrigin",
    ],
    [
      "publicAlb with blue/green releases, which would bypass the header rule's target group",
      `${serviceWith("  deployment:\n    type: codeDeploy\n  domain:")}frontend:\n  api:\n    originMode: publicAlb\n`,
      "dev.yaml:20:17 frontend.api.originMode: publicAlb forwards requests with the origin header to one target group, which a codeDeploy blue/green release would bypass; use vpcOrigin, or rolling deployments",
    ],
    [
      "a frontend name the service's load balancer also uses",
      `${SERVICE.replace("origin.shop.example.com", "shop.example.com")}frontend:\n  domain:\n    name: shop.example.com\n`,
      'dev.yaml:18:11 frontend.domain.name: "shop.example.com" is already service.domain.name: both would write the same DNS record and certificate name; use another name',
    ],
    [
      "a per-IP limit on a load balancer CloudFront reaches, which would see edge addresses",
      `${SERVICE.replace("      count: true\n", "      limit: 500\n")}frontend:\n  api: {}\n`,
      "dev.yaml:15:7 service.waf.rateLimit: behind CloudFront (frontend.api) the load balancer's web ACL sees CloudFront's addresses, not the viewers', so a per-IP limit would block whole edge locations: set count: true (frontend.waf.rateLimit limits each viewer at the edge)",
    ],
    [
      "a CAPTCHA on a load balancer CloudFront reaches, whose token names the origin's host",
      `${SERVICE}    captchaPaths: [/signup]\nfrontend:\n  api: {}\n`,
      "dev.yaml:16:19 service.waf.captchaPaths: behind CloudFront (frontend.api) a CAPTCHA token is issued for the Host CloudFront sends, not the viewer's domain, so viewers would be challenged on every request: remove captchaPaths",
    ],
    [
      "the app as default origin without api, which says how CloudFront reaches it",
      `${SERVICE}frontend:\n  defaultOrigin: app\n  staticPathPatterns: [/static/*]\n`,
      "dev.yaml:17:18 frontend.defaultOrigin: app sends every page to the service's load balancer: add frontend.api (its originMode says how CloudFront reaches it)",
    ],
    [
      "the app as default origin with an empty list of static paths",
      `${SERVICE}frontend:\n  defaultOrigin: app\n  staticPathPatterns: []\n  api: {}\n`,
      "dev.yaml:18:23 frontend.staticPathPatterns: defaultOrigin app serves the bucket only at these paths: list at least one, e.g. [/static/*]",
    ],
    [
      "the app as default origin with no static paths listed",
      `${SERVICE}frontend:\n  defaultOrigin: app\n  api: {}\n`,
      "dev.yaml:17:3 frontend.staticPathPatterns: defaultOrigin app serves the bucket only at these paths: list at least one, e.g. [/static/*]",
    ],
    [
      "static paths for a single-page app",
      "frontend:\n  staticPathPatterns: [/static/*]\n",
      "dev.yaml:6:23 frontend.staticPathPatterns: applies only with defaultOrigin app; with site the bucket already serves every path api.pathPatterns leaves",
    ],
    [
      "a static path that matches every request",
      `${SERVICE}frontend:\n  defaultOrigin: app\n  staticPathPatterns: [/*]\n  api: {}\n`,
      'dev.yaml:18:24 frontend.staticPathPatterns.0: "/*" matches every request and would hide the app; name the static files\' paths, e.g. /static/*',
    ],
    [
      "an unknown default origin",
      "frontend:\n  defaultOrigin: lb\n",
      'dev.yaml:6:18 frontend.defaultOrigin: "lb" is not a default origin; use site (a single-page app) or app (the service\'s pages)',
    ],
  ])("rejects %s", (_, sections, ...expected) => {
    expect(problems(sections)).toEqual(lines(...expected));
  });

  it("rejects any domain when shared.yaml has no hosted zone", () => {
    const sections = "frontend:\n  domain:\n    name: app.shop.example.com\n    aliases: [www.example.net]\n";
    expect(problems(sections, SHARED_YAML)).toEqual([
      'dev.yaml:7:11 frontend.domain.name: "app.shop.example.com" needs a hosted zone, but shared.yaml has no dns section',
      'dev.yaml:8:15 frontend.domain.aliases.0: "www.example.net" needs a hosted zone, but shared.yaml has no dns section',
    ]);
  });
});
