// The `frontend:` section of an environment: a single-page app on S3 behind CloudFront, optionally with the
// service's API on the same domain; or the service's server-rendered pages with only their static files on S3.
import { z } from "zod";
import { addRepeatIssues, DomainName, LogRetentionDays } from "./common.ts";
import { MANAGED_RULE_GROUPS } from "./service.ts";

/** CloudFront's price classes: which edge locations serve the site. */
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

/** Referrer-Policy values CloudFront's response headers policy accepts. */
export const REFERRER_POLICIES = [
  "no-referrer",
  "no-referrer-when-downgrade",
  "origin",
  "origin-when-cross-origin",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
  "unsafe-url",
] as const;

/**
 * A cache-behaviour path pattern as CloudFront accepts it: at most 255 characters of letters, digits and
 * `_-.*$/~"'@:+&?`, where `*` and `?` are wildcards (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern).
 */
export const PATH_PATTERN = /^[A-Za-z0-9_\-.*$/~"'@:+&?]{1,255}$/;

/** Patterns that match every request: a behaviour with one would hide the default origin entirely. */
const CATCH_ALL = new Set(["*", "/*", "/"]);

/** CloudFront allows 75 cache behaviours per distribution by default; one more is the default behaviour. */
const MAX_PATTERNS = 74;

/** What the default behaviour serves: the bucket's single-page app, or the service's server-rendered pages. */
export const DEFAULT_ORIGINS = ["site", "app"] as const;

/** The largest Content-Security-Policy a response headers policy takes. */
const MAX_CSP_LENGTH = 1783;

const DEFAULT_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

/** A path pattern whose behaviour would hide `hidden` if it matched every request. */
const PathPattern = (hidden: string, whose: string, example: string) =>
  z
    .string()
    .regex(PATH_PATTERN, {
      error: (i) =>
        `${JSON.stringify(i.input)} is not a CloudFront path pattern (up to 255 of A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + & ?, e.g. ${example})`,
    })
    .refine((p) => !CATCH_ALL.has(p), {
      error: (i) =>
        `${JSON.stringify(i.input)} matches every request and would hide ${hidden}; name the ${whose} paths, e.g. ${example}`,
    })
    .describe(`A CloudFront path pattern, e.g. ${example}`);

/** Ordered path patterns of one origin: CloudFront's limit, each listed once. */
const PathPatterns = (hidden: string, whose: string, example: string) =>
  z
    .array(PathPattern(hidden, whose, example))
    .max(MAX_PATTERNS)
    .superRefine((ps, ctx) => addRepeatIssues(ctx, ps, (i) => [i], "listed"));

const Domain = z
  .strictObject({
    name: DomainName.describe(
      "The site's name, inside shared.yaml's dns.zoneName (e.g. shop.example.com); aliases need it",
    ),
    aliases: z
      .array(DomainName)
      .default([])
      .describe("More names on the same certificate and distribution (e.g. www.shop.example.com)"),
  })
  .superRefine((d, ctx) =>
    addRepeatIssues(ctx, [d.name, ...d.aliases], (i) => (i === 0 ? ["name"] : ["aliases", i - 1]), "listed"),
  )
  .describe("The site's DNS names: a us-east-1 ACM certificate and Route 53 A/AAAA aliases to CloudFront");

const Api = z
  .strictObject({
    pathPatterns: PathPatterns("the static site", "API's", "/api/*")
      .min(1)
      .default(["/api/*"])
      .describe(
        "Paths CloudFront sends to the service's load balancer (not cached, all methods); with defaultOrigin app every path but staticPathPatterns goes there already",
      ),
    originMode: z
      .enum(["vpcOrigin", "publicAlb"])
      .default("vpcOrigin")
      .describe(
        "vpcOrigin: CloudFront reaches an internal load balancer through a VPC origin (recommended). publicAlb: the load balancer stays internet-facing, admits only CloudFront's prefix list and requires a secret header",
      ),
  })
  .describe(
    "Route the service's API, or with defaultOrigin app its pages, through the same distribution and domain; needs a service: section",
  );

const Hsts = z
  .strictObject({
    maxAgeSeconds: z
      .number()
      .int()
      .min(0)
      .max(63_072_000)
      .default(63_072_000)
      .describe("Strict-Transport-Security max-age (two years by default)"),
    includeSubdomains: z.boolean().default(true).describe("Apply HSTS to every subdomain too"),
    preload: z
      .boolean()
      .default(false)
      .describe(
        "Ask browsers to preload HSTS (hard to undo: submit the domain to hstspreload.org only then)",
      ),
  })
  .describe("HTTP Strict Transport Security");

const Waf = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe(
        "A CLOUDFRONT-scope web ACL in front of the distribution; defaults to the environment's protected",
      ),
    ruleGroups: z
      .array(z.enum(MANAGED_RULE_GROUPS))
      .min(1)
      .default([
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesAnonymousIpList",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
      ])
      .superRefine((gs, ctx) => addRepeatIssues(ctx, gs, (i) => [i], "listed"))
      .describe(
        "AWS managed rule groups in priority order; the default covers bad IPs, VPNs and hosting ranges, the OWASP basics and log4j",
      ),
    rateLimit: z
      .number()
      .int()
      .min(10)
      .max(2_000_000_000)
      .default(2000)
      .describe("Requests per client IP per 5 minutes before it is blocked"),
    logRetentionDays: LogRetentionDays(30, "Days WAF logs are kept"),
  })
  .describe("Web application firewall: managed rule groups and a per-IP rate limit");

export const FrontendSection = z
  .strictObject({
    domain: Domain.optional().describe(
      "Omit to serve on the distribution's own *.cloudfront.net name (sandbox only: TLS policy cannot be set)",
    ),
    priceClass: z
      .enum(PRICE_CLASSES, {
        error: (i) =>
          `${JSON.stringify(i.input)} is not a price class; use one of ${PRICE_CLASSES.join(", ")}`,
      })
      .default("PriceClass_All")
      .describe(
        "Edge locations that serve the site: PriceClass_100 (cheapest), PriceClass_200, PriceClass_All",
      ),
    contentSecurityPolicy: z
      .string()
      .min(1)
      .max(MAX_CSP_LENGTH)
      .default(DEFAULT_CSP)
      .describe("Content-Security-Policy header of every response; the default allows only the site itself"),
    referrerPolicy: z
      .enum(REFERRER_POLICIES)
      .default("strict-origin-when-cross-origin")
      .describe("Referrer-Policy header of every response"),
    hsts: Hsts.prefault({}),
    immutablePrefixes: z
      .array(z.string().regex(/^\/[\w\-./~]*\/$/, { error: "is not a path prefix such as /assets/" }))
      .default(["/assets/", "/static/"])
      .describe(
        "Path prefixes of content-hashed build files, cached by browsers for a year; everything else (index.html) is revalidated on each visit",
      ),
    defaultOrigin: z
      .enum(DEFAULT_ORIGINS, {
        error: (i) =>
          `${JSON.stringify(i.input)} is not a default origin; use site (a single-page app) or app (the service's pages)`,
      })
      .default("site")
      .describe(
        "What answers at every path no pattern lists. site: the bucket's single-page app, api.pathPatterns go to the load balancer. app: the service's server-rendered pages (not cached, all methods, its own 404s), staticPathPatterns come from the bucket; needs api",
      ),
    staticPathPatterns: PathPatterns("the app", "static files'", "/static/*")
      .default([])
      .describe(
        "With defaultOrigin app: paths CloudFront serves from the bucket and caches, in priority order (e.g. /static/*); bucket keys mirror the paths (static/css/app.css)",
      ),
    api: Api.optional(),
    waf: Waf.prefault({}),
    logging: z
      .strictObject({ retentionDays: LogRetentionDays(365, "Days CloudFront access logs are kept") })
      .prefault({})
      .describe("CloudFront access logs, delivered to a KMS-encrypted CloudWatch log group in us-east-1"),
  })
  .superRefine((f, ctx) => {
    if (f.defaultOrigin === "app" && !f.api)
      ctx.addIssue({
        code: "custom",
        path: ["defaultOrigin"],
        message:
          "app sends every page to the service's load balancer: add frontend.api (its originMode says how CloudFront reaches it)",
      });
    if (f.defaultOrigin === "app" && f.staticPathPatterns.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["staticPathPatterns"],
        message:
          "defaultOrigin app serves the bucket only at these paths: list at least one, e.g. [/static/*]",
      });
    if (f.defaultOrigin === "site" && f.staticPathPatterns.length > 0)
      ctx.addIssue({
        code: "custom",
        path: ["staticPathPatterns"],
        message:
          "applies only with defaultOrigin app; with site the bucket already serves every path api.pathPatterns leaves",
      });
  })
  .describe(
    "A site on S3 behind CloudFront (<env>-frontend stack): a single-page app, or the service's pages with their static files",
  );

export type FrontendConfig = z.output<typeof FrontendSection>;
