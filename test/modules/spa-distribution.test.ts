// modules/spa-distribution: a CloudFront distribution for a single-page app, with its functions and headers policy.
import {
  MANAGED_POLICY,
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
  defaultOrigin: "site",
  staticPathPatterns: [],
};

const distribution = moduleBuilder((s, p) => new SpaDistribution(s, "Distribution", p), MINIMAL);
const API = { pathPatterns: ["/api/*"], domainName: "lb.example.com", protocol: "http" as const };
/** A server-rendered app behind the load balancer, its static files from the bucket. */
const APP: Partial<SpaDistributionProps> = {
  api: { ...API, protocol: "https" },
  defaultOrigin: "api",
  staticPathPatterns: ["/static/*", "/media/*"],
};

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

it("sends the default behaviour to the app uncached with all methods, and only the static paths to the bucket", () => {
  // GIVEN the load balancer as the default origin WHEN synthesized
  const d = distribution(APP).one("aws_cloudfront_distribution");
  // THEN the static paths come first, cached, from the bucket, with the browser lifetimes but no route rewrite
  const behaviours = d.ordered_cache_behavior as Record<string, unknown>[];
  expect(behaviours.map((b) => [b.path_pattern, b.target_origin_id])).toEqual([
    ["/static/*", "site"],
    ["/media/*", "site"],
  ]);
  for (const b of behaviours) {
    expect(b).toMatchObject({
      cache_policy_id: MANAGED_POLICY.cachingOptimized,
      allowed_methods: ["GET", "HEAD", "OPTIONS"],
    });
    expect(b.function_association).toEqual([
      { event_type: "viewer-response", function_arn: expect.stringContaining("CacheHeadersFunction") },
    ]);
  }
  // AND the app answers everything else itself: no cache, every method, no function
  expect(d.default_cache_behavior).toMatchObject({
    target_origin_id: "api",
    viewer_protocol_policy: "redirect-to-https",
    cache_policy_id: MANAGED_POLICY.cachingDisabled,
    origin_request_policy_id: MANAGED_POLICY.allViewerExceptHostHeader,
    allowed_methods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
  });
  expect((d.default_cache_behavior as Record<string, unknown>).function_association).toBeUndefined();
});

it("keeps the app's own 404s and its / when the app is the default: no error rewrite, root object or routing function", () => {
  const built = distribution(APP);
  const d = built.one("aws_cloudfront_distribution");
  expect(d.custom_error_response).toBeUndefined();
  expect(d.default_root_object).toBeUndefined();
  expect(Object.keys(built.json.resource!.aws_cloudfront_function!)).toEqual([
    expect.stringMatching(/^Distribution_CacheHeadersFunction/),
  ]);
});

itRefuses(distribution, "test/Distribution", [
  [
    "the app as the default origin without a load balancer origin",
    { defaultOrigin: "api", staticPathPatterns: ["/static/*"] },
    /defaultOrigin "api" needs an api origin/,
  ],
  [
    "the app as the default origin without static paths",
    { ...APP, staticPathPatterns: [] },
    /defaultOrigin "api" needs staticPathPatterns for the bucket/,
  ],
  [
    "static paths for a single-page app",
    { staticPathPatterns: ["/static/*"] },
    /staticPathPatterns \/static\/\* need defaultOrigin "api"/,
  ],
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
