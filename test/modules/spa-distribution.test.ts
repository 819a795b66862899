// modules/spa-distribution: a CloudFront distribution for a single-page app, with its functions and headers policy.
import { TerraformStack, Testing } from "cdktf";
import {
  SpaDistribution,
  type SpaDistributionProps,
} from "../../modules/spa-distribution/spa-distribution.ts";
import { onlyResource, synthJson, type StackJson } from "../helpers.ts";

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

function distribution(props: Partial<SpaDistributionProps> = {}): StackJson {
  const stack = new TerraformStack(Testing.app(), "test");
  new SpaDistribution(stack, "Distribution", { ...MINIMAL, ...props });
  return synthJson(stack);
}
const build = (props: Partial<SpaDistributionProps>) => () => distribution(props);

describe("SpaDistribution", () => {
  it("serves the bucket alone by default, on the cloudfront.net certificate, without a web ACL", () => {
    // GIVEN / WHEN minimal props
    const d = onlyResource(distribution(), "aws_cloudfront_distribution");
    // THEN
    expect((d.origin as { origin_id: string }[]).map((o) => o.origin_id)).toEqual(["site"]);
    expect(d.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(d.web_acl_id).toBeUndefined();
    expect(d.ordered_cache_behavior).toEqual([]);
    expect(d.default_root_object).toBe("index.html");
  });

  it("serves another index document when told, in the root object and the routing function", () => {
    const json = distribution({ indexDocument: "app.html" });
    expect(onlyResource(json, "aws_cloudfront_distribution").default_root_object).toBe("app.html");
    const routing = Object.entries(json.resource!.aws_cloudfront_function!).find(([id]) =>
      id.startsWith("Distribution_RoutingFunction"),
    )![1];
    expect(routing.code).toContain('request.uri = "/app.html"');
  });

  it("refuses a name that leaves no room for the suffixes of its policy and function names", () => {
    expect(build({ name: "x".repeat(41) })).toThrow(
      /Distribution: name "x{41}" is 41 characters; at most 40/,
    );
  });

  it("refuses aliases without a certificate", () => {
    expect(build({ aliases: ["shop.example.com"] })).toThrow(
      /aliases shop\.example\.com need a certificateArn/,
    );
  });

  it("refuses an HTTP API origin that is not a VPC origin, and an API without paths", () => {
    const api = { pathPatterns: ["/api/*"], domainName: "lb.example.com", protocol: "http" as const };
    expect(build({ api })).toThrow(/an API origin over HTTP must be a VPC origin/);
    expect(build({ api: { ...api, protocol: "https", pathPatterns: [] } })).toThrow(
      /api\.pathPatterns is empty/,
    );
  });
});
