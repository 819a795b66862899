// modules/spa-distribution: a CloudFront distribution for a single-page app, with its functions and headers policy.
import {
  SpaDistribution,
  type SpaDistributionProps,
} from "../../modules/spa-distribution/spa-distribution.ts";
import { itRefuses, moduleBuilder } from "../helpers.ts";

const MINIMAL: SpaDistributionProps = {
  name: "shop-prod-frontend",
  bucketRegionalDomainName: "site.s3.eu-west-1.amazonaws.com",
  aliases: [],
  priceClass: "PriceClass_100",
  headers: {
    contentSecurityPolicy: "default-src 'self'",
    referrerPolicy: "no-referrer",
    hsts: { maxAgeSeconds: 31_536_000, includeSubdomains: true, preload: false },
  },
  immutablePrefixes: ["/assets/"],
};

const distribution = moduleBuilder((s, p) => new SpaDistribution(s, "Distribution", p), MINIMAL);
const API = { pathPatterns: ["/api/*"], domainName: "lb.example.com", protocol: "http" as const };

it("serves the bucket alone by default, on the cloudfront.net certificate, without a web ACL", () => {
  // GIVEN / WHEN minimal props
  const d = distribution().one("aws_cloudfront_distribution");
  // THEN
  expect((d.origin as { origin_id: string }[]).map((o) => o.origin_id)).toEqual(["site"]);
  expect(d.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
  expect(d.web_acl_id).toBeUndefined();
  expect(d.ordered_cache_behavior).toEqual([]);
  expect(d.default_root_object).toBe("index.html");
});

it("serves another index document when told, in the root object and the routing function", () => {
  const built = distribution({ indexDocument: "app.html" });
  expect(built.one("aws_cloudfront_distribution").default_root_object).toBe("app.html");
  const routing = Object.entries(built.json.resource!.aws_cloudfront_function!).find(([id]) =>
    id.startsWith("Distribution_RoutingFunction"),
  )![1];
  expect(routing.code).toContain('request.uri = "/app.html"');
});

itRefuses(distribution, "test/Distribution", [
  [
    "a name that leaves no room for the suffixes of its policy and function names",
    { name: "x".repeat(41) },
    /name "x{41}" is 41 characters; at most 40/,
  ],
  [
    "aliases without a certificate",
    { aliases: ["shop.example.com"] },
    /aliases shop\.example\.com need a certificateArn/,
  ],
  [
    "an HTTP API origin that is not a VPC origin",
    { api: API },
    /an API origin over HTTP must be a VPC origin/,
  ],
  [
    "an API without paths",
    { api: { ...API, protocol: "https", pathPatterns: [] } },
    /api\.pathPatterns is empty/,
  ],
]);
