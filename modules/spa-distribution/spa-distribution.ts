// A CloudFront distribution for a single-page app in a private S3 bucket (origin access control), with security
// headers, client-side routing on the S3 behaviour only, and optional API behaviours to a load balancer origin; or
// for a server-rendered app behind the load balancer, with only its static paths served from the bucket.
import {
  CloudfrontDistribution,
  type CloudfrontDistributionOrderedCacheBehavior,
  type CloudfrontDistributionOrigin,
} from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontFunction } from "@cdktf/provider-aws/lib/cloudfront-function";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";

/** AWS managed policies (ids are fixed by AWS: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html). */
export const MANAGED_POLICY = {
  /** Managed-CachingOptimized: long edge TTLs, gzip and brotli keys, no cookies or query strings. */
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  /** Managed-CachingDisabled: every request goes to the origin. */
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /** Managed-AllViewerExceptHostHeader: every viewer header, cookie and query string except Host. */
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
} as const;

/** Security headers of every response. */
export interface SpaHeaders {
  readonly contentSecurityPolicy: string;
  readonly referrerPolicy: string;
  readonly hsts: {
    readonly maxAgeSeconds: number;
    readonly includeSubdomains: boolean;
    readonly preload: boolean;
  };
}

/** The load balancer the API paths (or, with `defaultOrigin: "api"`, every other path) go to. */
export interface SpaApiOrigin {
  /** Paths sent to the load balancer, in priority order; unused when it is the default origin. */
  readonly pathPatterns: readonly string[];
  /**
   * Origin domain name: the load balancer's own name when it has a certificate (HTTPS), else its AWS DNS name
   * (HTTP, which only a VPC origin may use: the traffic then never leaves the VPC).
   */
  readonly domainName: string;
  readonly protocol: "https" | "http";
  /** A CloudFront VPC origin (internal load balancer). @default - a public custom origin */
  readonly vpcOriginId?: string;
  /** A header CloudFront adds to every origin request, which the load balancer requires. @default - none */
  readonly secretHeader?: { readonly name: string; readonly value: string };
}

export interface SpaDistributionProps {
  /** Prefix of the names of the origin access control, functions and headers policy (≤ 40 characters). */
  readonly name: string;
  /** The site bucket's regional domain name (never the global one: it breaks OAC signing outside us-east-1). */
  readonly bucketRegionalDomainName: string;
  /** Names the distribution answers to; needs `certificateArn`. */
  readonly aliases: readonly string[];
  /** A us-east-1 ACM certificate for `aliases`. @default - the *.cloudfront.net certificate */
  readonly certificateArn?: string;
  readonly priceClass: string;
  /** ARN of a CLOUDFRONT-scope WAFv2 web ACL. @default - none */
  readonly webAclArn?: string;
  readonly headers: SpaHeaders;
  /** Path prefixes of content-hashed files that browsers may cache for a year. */
  readonly immutablePrefixes: readonly string[];
  /** API behaviours. @default - static site only */
  readonly api?: SpaApiOrigin;
  /**
   * What the default behaviour serves. `site`: the bucket's single-page app, with `api.pathPatterns` to the load
   * balancer. `api`: the load balancer's server-rendered pages (uncached, no index document, no routing rewrite,
   * the app's own 404s), with only `staticPathPatterns` from the bucket.
   */
  readonly defaultOrigin: "site" | "api";
  /** Paths served from the bucket and cached, in priority order; only with `defaultOrigin: "api"`. */
  readonly staticPathPatterns: readonly string[];
  /** @default "index.html" */
  readonly indexDocument?: string;
}

const SITE_ORIGIN = "site";
const API_ORIGIN = "api";
const MAX_NAME = 40;
const DEFAULT_INDEX = "index.html";
const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const ONE_YEAR_SECONDS = 31_536_000;

/** A distribution serving a private bucket's single-page app, with the API on the same name when given. */
export class SpaDistribution extends Construct {
  public readonly resource: CloudfrontDistribution;
  public readonly id: string;
  public readonly arn: string;
  public readonly domainName: string;
  /** Route 53 zone of every CloudFront distribution, for alias records. */
  public readonly hostedZoneId: string;
  /** The viewer-request function that rewrites client-side routes to the index document; none for an app. */
  public readonly routingFunction?: CloudfrontFunction;
  /** The viewer-response function that sets browser cache lifetimes. */
  public readonly cacheHeadersFunction: CloudfrontFunction;
  public readonly headersPolicy: CloudfrontResponseHeadersPolicy;
  public readonly originAccessControl: CloudfrontOriginAccessControl;

  constructor(scope: Construct, id: string, props: SpaDistributionProps) {
    super(scope, id);
    const index = props.indexDocument ?? DEFAULT_INDEX;
    if (props.name.length > MAX_NAME)
      throw new ModuleError(
        this,
        `name "${props.name}" is ${props.name.length} characters; at most ${MAX_NAME}`,
      );
    if (props.aliases.length > 0 && !props.certificateArn)
      throw new ModuleError(this, `aliases ${props.aliases.join(", ")} need a certificateArn`);
    if (props.api && props.api.protocol === "http" && !props.api.vpcOriginId)
      throw new ModuleError(
        this,
        "an API origin over HTTP must be a VPC origin; a public load balancer needs HTTPS (its own domain)",
      );
    const appDefault = props.defaultOrigin === "api";
    if (props.api?.pathPatterns.length === 0 && !appDefault)
      throw new ModuleError(this, "api.pathPatterns is empty");
    if (appDefault && !props.api) throw new ModuleError(this, 'defaultOrigin "api" needs an api origin');
    if (appDefault && props.staticPathPatterns.length === 0)
      throw new ModuleError(this, 'defaultOrigin "api" needs staticPathPatterns for the bucket');
    if (!appDefault && props.staticPathPatterns.length > 0)
      throw new ModuleError(
        this,
        `staticPathPatterns ${props.staticPathPatterns.join(", ")} need defaultOrigin "api"; the site already serves every path`,
      );

    this.originAccessControl = new CloudfrontOriginAccessControl(this, "OriginAccessControl", {
      name: `${props.name}-site`,
      description: `CloudFront reads ${props.name}'s site bucket with SigV4`,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });

    // Runs before the cache on the S3 behaviour only: API paths never see it, so their 404s stay JSON 404s. An
    // app renders its own routes, and a static path without an extension is a missing file, not a route.
    const routing = appDefault
      ? undefined
      : new CloudfrontFunction(this, "RoutingFunction", {
          name: `${props.name}-spa-routing`,
          runtime: "cloudfront-js-2.0",
          comment: `Serves /${index} for client-side routes (paths without a file extension)`,
          publish: true,
          code: routingCode(index),
        });
    if (routing) this.routingFunction = routing;
    this.cacheHeadersFunction = new CloudfrontFunction(this, "CacheHeadersFunction", {
      name: `${props.name}-cache-headers`,
      runtime: "cloudfront-js-2.0",
      comment: "Hashed build files are cached for a year; everything else is revalidated",
      publish: true,
      code: cacheHeadersCode(props.immutablePrefixes),
    });

    const h = props.headers;
    this.headersPolicy = new CloudfrontResponseHeadersPolicy(this, "HeadersPolicy", {
      name: `${props.name}-security-headers`,
      comment: "HSTS, nosniff, DENY framing, referrer policy and CSP on every response",
      securityHeadersConfig: {
        strictTransportSecurity: {
          accessControlMaxAgeSec: h.hsts.maxAgeSeconds,
          includeSubdomains: h.hsts.includeSubdomains,
          preload: h.hsts.preload,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: h.referrerPolicy, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: h.contentSecurityPolicy, override: true },
      },
    });

    const origins: CloudfrontDistributionOrigin[] = [
      {
        originId: SITE_ORIGIN,
        domainName: props.bucketRegionalDomainName,
        originAccessControlId: this.originAccessControl.id,
      },
    ];
    const behaviours: CloudfrontDistributionOrderedCacheBehavior[] = [];
    const api = props.api;
    // The bucket's behaviour: cached, read-only, browser lifetimes set by the cache-headers function.
    const siteBehaviour = {
      targetOriginId: SITE_ORIGIN,
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD", "OPTIONS"],
      cachedMethods: ["GET", "HEAD"],
      compress: true,
      cachePolicyId: MANAGED_POLICY.cachingOptimized,
      responseHeadersPolicyId: this.headersPolicy.id,
    };
    // The load balancer's behaviour: nothing cached, every method, the viewer's headers, cookies and query strings.
    const apiBehaviour = {
      targetOriginId: API_ORIGIN,
      allowedMethods: ALL_METHODS,
      cachedMethods: ["GET", "HEAD"],
      compress: true,
      cachePolicyId: MANAGED_POLICY.cachingDisabled,
      originRequestPolicyId: MANAGED_POLICY.allViewerExceptHostHeader,
      responseHeadersPolicyId: this.headersPolicy.id,
    };
    const cacheHeaders = { eventType: "viewer-response", functionArn: this.cacheHeadersFunction.arn };
    if (appDefault)
      for (const pathPattern of props.staticPathPatterns)
        behaviours.push({ pathPattern, ...siteBehaviour, functionAssociation: [cacheHeaders] });
    if (api) {
      origins.push({
        originId: API_ORIGIN,
        domainName: api.domainName,
        ...(api.vpcOriginId
          ? { vpcOriginConfig: { vpcOriginId: api.vpcOriginId } }
          : {
              customOriginConfig: {
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: `${api.protocol}-only`,
                originSslProtocols: ["TLSv1.2"],
              },
            }),
        ...(api.secretHeader ? { customHeader: [api.secretHeader] } : {}),
      });
      // As the default origin it already receives every path the static patterns leave.
      if (!appDefault)
        for (const pathPattern of api.pathPatterns)
          // A redirect would turn a POST into a GET; API clients get a refusal instead.
          behaviours.push({ pathPattern, ...apiBehaviour, viewerProtocolPolicy: "https-only" });
    }

    this.resource = new CloudfrontDistribution(this, "Resource", {
      enabled: true,
      comment: appDefault
        ? `${props.name}: app and its static files`
        : `${props.name}: single-page app${api ? " and API" : ""}`,
      aliases: [...props.aliases],
      // A root object would rewrite / to a file the app's load balancer does not serve.
      ...(appDefault ? {} : { defaultRootObject: index }),
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: props.priceClass,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      origin: origins,
      // Browsers follow a redirect to HTTPS for pages; the app sets its own cache lifetimes.
      defaultCacheBehavior: routing
        ? {
            ...siteBehaviour,
            functionAssociation: [{ eventType: "viewer-request", functionArn: routing.arn }, cacheHeaders],
          }
        : { ...apiBehaviour, viewerProtocolPolicy: "redirect-to-https" },
      orderedCacheBehavior: behaviours,
      // No custom_error_response: a distribution-wide 403/404 -> /index.html would turn the API's JSON 404s
      // (or an app's own 404 pages) into HTML 200s. Client-side routes are rewritten by the routing function.
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: props.certificateArn
        ? {
            acmCertificateArn: props.certificateArn,
            sslSupportMethod: "sni-only",
            minimumProtocolVersion: "TLSv1.2_2021",
          }
        : { cloudfrontDefaultCertificate: true },
    });
    this.id = this.resource.id;
    this.arn = this.resource.arn;
    this.domainName = this.resource.domainName;
    this.hostedZoneId = this.resource.hostedZoneId;
  }
}

/** Viewer-request code: a path whose last segment has no extension is a client-side route. */
export function routingCode(index: string): string {
  return `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf("/") + 1);
  if (last.indexOf(".") === -1) request.uri = "/${index}";
  return request;
}
`;
}

/** Viewer-response code: a year for hashed files under `prefixes`, revalidation for everything else. */
export function cacheHeadersCode(prefixes: readonly string[]): string {
  return `var IMMUTABLE = ${JSON.stringify(prefixes)};
function handler(event) {
  var response = event.response;
  if (response.statusCode >= 400) return response;
  var uri = event.request.uri;
  var hashed = IMMUTABLE.some(function (p) { return uri.indexOf(p) === 0; });
  response.headers["cache-control"] = { value: hashed ? "public, max-age=${ONE_YEAR_SECONDS}, immutable" : "no-cache" };
  return response;
}
`;
}
