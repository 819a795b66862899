// `<env>-frontend`: origin access control, TLS, headers, SPA routing on the S3 behaviour only, the API behaviours
// in both origin modes, the us-east-1 certificate and web ACL, alias records, and no secret in the output.
// Each stack is built directly from fake upstream outputs, so no other stack is needed.
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { CloudfrontFunction } from "@cdktf/provider-aws/lib/cloudfront-function";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import type { z } from "zod";
import { FrontendSection } from "../environments/sections/frontend.ts";
import { ServiceSection } from "../environments/sections/service.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exceptionsOf } from "../guardrails/exceptions.ts";
import { findSecrets, scanSecrets } from "../guardrails/secrets.ts";
import { SecureBucket } from "../modules/secure-bucket/secure-bucket.ts";
import {
  cacheHeadersCode,
  MANAGED_POLICY,
  routingCode,
} from "../modules/spa-distribution/spa-distribution.ts";
import { frameFor } from "../stacks/app.ts";
import type { EcsOutputs, SharedOutputs } from "../stacks/contracts.ts";
import { EcsStack } from "../stacks/ecs.ts";
import { FrontendStack } from "../stacks/frontend.ts";
import {
  build,
  FAKE_NETWORK,
  onlyResource,
  resourcesOf,
  sampleApp,
  sampleConfig,
  sampleStack,
  synth,
  synthJson,
  testApp,
  type StackJson,
  withEnvironment,
  idOf,
  ref,
  values,
} from "./helpers.ts";

const SHARED: SharedOutputs = {
  repositoryUrls: {},
  repositoryArns: {},
  zone: { id: "Z0HOSTEDZONE", name: "shop.example.com" },
  alertsTopicArn: "arn:aws:sns:eu-west-1:111111111111:shop-alerts",
};
const ALB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:333333333333:loadbalancer/app/shop-prod-app/abc";
const LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:333333333333:listener/app/shop-prod-app/abc/def";
const TARGET_GROUP = "arn:aws:elasticloadbalancing:eu-west-1:333333333333:targetgroup/shop-prod-app/123";
const ECS: EcsOutputs = {
  loadBalancer: {
    arn: ALB_ARN,
    arnSuffix: "app/shop-prod-app/abc",
    dnsName: "internal-shop-prod-app-1.eu-west-1.elb.amazonaws.com",
    zoneId: "Z32O12XQLNTSW2",
    securityGroupId: "sg-alb",
    productionListenerArn: LISTENER,
    domainName: "origin.shop.example.com",
    originTargetGroupArn: TARGET_GROUP,
  },
  url: "https://origin.shop.example.com",
  clusterName: "shop-prod-ecs",
  clusterArn: "arn:cluster",
  serviceName: "shop-prod-app",
  taskFamily: "shop-prod-app",
  containerName: "app",
  containerPort: 8080,
  taskRoleArn: "arn:task",
  executionRoleArn: "arn:exec",
  taskSecurityGroupIds: ["sg-tasks"],
  taskSubnetIds: ["subnet-a"],
  taskDefinitionTemplate: "{}",
  targetGroupNames: ["shop-prod-app"],
  deployment: { type: "rolling" },
  webAclArn: "arn:waf",
};

type FrontendInput = z.input<typeof FrontendSection>;
const BASE: FrontendInput = { domain: { name: "shop.example.com", aliases: ["www.shop.example.com"] } };
const API: FrontendInput = { ...BASE, api: {} };

interface Options {
  /** Environment of the frame: prod is protected, dev is not. @default "prod" */
  readonly env?: "prod" | "dev";
  readonly ecs?: EcsOutputs;
  /** Account of the hosted zone. @default the shared account, unlike prod's */
  readonly dnsAccountId?: string;
}

function frontendStack(input: FrontendInput = BASE, options: Options = {}): FrontendStack {
  const config = sampleConfig();
  const env = config.environments.find((e) => e.name === (options.env ?? "prod"))!;
  const parsed = FrontendSection.parse(input);
  return new FrontendStack(testApp(), `${env.name}-frontend`, {
    frame: frameFor(config, env),
    config: parsed,
    shared: SHARED,
    dnsAccount: { id: options.dnsAccountId ?? "111111111111", region: "eu-west-1" },
    ...(parsed.api ? { origin: { ecs: options.ecs ?? ECS, network: FAKE_NETWORK } } : {}),
  });
}
let defaultText: string | undefined;
/** The synthesized stack for this input; a fresh parse of the default one (BASE, prod), synthesized once, without
 * arguments. */
const json = (input?: FrontendInput, options?: Options): StackJson =>
  input || options
    ? synthJson(frontendStack(input, options))
    : (JSON.parse((defaultText ??= synth(frontendStack()))) as StackJson);

type Res = Record<string, unknown>;
const distributionOf = (j: StackJson) => onlyResource(j, "aws_cloudfront_distribution");
const distributionArn = (j: StackJson) =>
  ref("aws_cloudfront_distribution", idOf(j, "aws_cloudfront_distribution", "Distribution"), "arn");
interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
const statements = (policyJson: unknown): Statement[] =>
  (JSON.parse(policyJson as string) as { Statement: Statement[] }).Statement;
const originsOf = (j: StackJson) => distributionOf(j).origin as Res[];
const behavioursOf = (j: StackJson) => (distributionOf(j).ordered_cache_behavior ?? []) as Res[];
const defaultBehaviourOf = (j: StackJson) => distributionOf(j).default_cache_behavior as Res;

/** Runs a CloudFront Function's code on one event, as the cloudfront-js-2.0 runtime would. */
function runFunction(code: string, event: object): Res {
  // oxlint-disable-next-line typescript/no-implied-eval -- the code under test is our own generated function
  const handler = new Function(`${code}; return handler;`)() as (e: object) => Res;
  return handler(event);
}

describe("the site bucket and origin access control", () => {
  const j = json();

  it("reads the bucket through origin access control, never a legacy origin access identity", () => {
    expect(synth(frontendStack())).toHaveResourceWithProperties(CloudfrontOriginAccessControl, {
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    });
    const site = originsOf(j).find((o) => o.origin_id === "site")!;
    expect(site.origin_access_control_id).toBe(
      ref(
        "aws_cloudfront_origin_access_control",
        idOf(j, "aws_cloudfront_origin_access_control", "Distribution"),
      ),
    );
    expect(site.s3_origin_config).toBeUndefined();
    expect(resourcesOf(j, "aws_cloudfront_origin_access_identity")).toEqual({});
  });

  it("admits only this distribution in the bucket policy, by AWS:SourceArn", () => {
    const policy = statements(onlyResource(j, "aws_s3_bucket_policy").policy);
    const reads = policy.filter((s) => s.Effect === "Allow");
    expect(reads).toEqual([
      expect.objectContaining({
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Condition: { StringEquals: { "AWS:SourceArn": distributionArn(j) } },
      }),
    ]);
    expect(policy.find((s) => s.Sid === "DenyInsecureTransport")?.Effect).toBe("Deny");
  });

  it("encrypts with a key that lets CloudFront decrypt for this distribution only", () => {
    const keyId = idOf(j, "aws_kms_key", "SiteKey");
    const grant = statements(resourcesOf(j, "aws_kms_key")[keyId]!.policy).find(
      (s) => (s.Principal as Res | undefined)?.Service === "cloudfront.amazonaws.com",
    );
    expect(grant).toMatchObject({
      Action: "kms:Decrypt",
      Condition: { StringEquals: { "AWS:SourceArn": distributionArn(j) } },
    });
    const sse = onlyResource(j, "aws_s3_bucket_server_side_encryption_configuration").rule as Res[];
    expect(sse[0]).toMatchObject({
      apply_server_side_encryption_by_default: {
        sse_algorithm: "aws:kms",
        kms_master_key_id: ref("aws_kms_key", keyId, "arn"),
      },
    });
  });

  it("keeps the site in a versioned SecureBucket (public access and ownership: test/modules/secure-bucket)", () => {
    expect(frontendStack().bucket).toBeInstanceOf(SecureBucket);
    expect(onlyResource(j, "aws_s3_bucket_versioning").versioning_configuration).toEqual({
      status: "Enabled",
    });
  });
});

describe("the distribution's viewer side", () => {
  const d = distributionOf(json({ ...BASE, priceClass: "PriceClass_100" }));

  it("serves HTTPS only with TLSv1.2_2021 on the us-east-1 certificate", () => {
    expect(d.viewer_certificate).toMatchObject({
      ssl_support_method: "sni-only",
      minimum_protocol_version: "TLSv1.2_2021",
    });
    expect(String((d.viewer_certificate as Res).acm_certificate_arn)).toMatch(
      /^\$\{aws_acm_certificate_validation\.Certificate_Validation_\w+\.certificate_arn\}$/,
    );
    expect((d.default_cache_behavior as Res).viewer_protocol_policy).toBe("redirect-to-https");
  });

  it("speaks HTTP/2 and HTTP/3 over IPv4 and IPv6, compresses, and has a default root object and the price class", () => {
    expect(d).toMatchObject({
      http_version: "http2and3",
      is_ipv6_enabled: true,
      default_root_object: "index.html",
      price_class: "PriceClass_100",
      aliases: ["shop.example.com", "www.shop.example.com"],
    });
    expect((d.default_cache_behavior as Res).compress).toBe(true);
    expect((d.default_cache_behavior as Res).cache_policy_id).toBe(MANAGED_POLICY.cachingOptimized);
  });

  it("falls back to the cloudfront.net certificate without a domain, and answers on no alias", () => {
    const bare = distributionOf(json({}));
    expect(bare.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(bare.aliases).toEqual([]);
  });
});

describe("the response headers policy", () => {
  it("sets HSTS, nosniff, DENY framing, the referrer policy and the configured CSP", () => {
    const csp = "default-src 'self'; connect-src 'self' https://api.example.net";
    expect(
      synth(frontendStack({ ...BASE, contentSecurityPolicy: csp, hsts: { preload: true } })),
    ).toHaveResourceWithProperties(CloudfrontResponseHeadersPolicy, {
      security_headers_config: {
        strict_transport_security: {
          access_control_max_age_sec: 63_072_000,
          include_subdomains: true,
          preload: true,
          override: true,
        },
        content_type_options: { override: true },
        frame_options: { frame_option: "DENY", override: true },
        referrer_policy: { referrer_policy: "strict-origin-when-cross-origin", override: true },
        content_security_policy: { content_security_policy: csp, override: true },
      },
    });
  });

  it("does not ask browsers to preload HSTS unless the file says so", () => {
    const policy = onlyResource(json(), "aws_cloudfront_response_headers_policy");
    expect(
      (policy.security_headers_config as { strict_transport_security: Res }).strict_transport_security
        .preload,
    ).toBe(false);
  });

  it("applies to the site and to every API behaviour", () => {
    const j = json(API);
    const policyId = ref(
      "aws_cloudfront_response_headers_policy",
      idOf(j, "aws_cloudfront_response_headers_policy", "Distribution"),
    );
    expect(defaultBehaviourOf(j).response_headers_policy_id).toBe(policyId);
    for (const b of behavioursOf(j)) expect(b.response_headers_policy_id).toBe(policyId);
  });
});

describe("single-page app routing", () => {
  const j = json({ ...API, api: { pathPatterns: ["/api/*", "/auth/*"] } });

  it("runs the routing and cache-header functions on the S3 behaviour only", () => {
    const fn = (prefix: string) =>
      ref("aws_cloudfront_function", idOf(j, "aws_cloudfront_function", prefix), "arn");
    expect(defaultBehaviourOf(j).function_association).toEqual([
      { event_type: "viewer-request", function_arn: fn("Distribution_RoutingFunction") },
      { event_type: "viewer-response", function_arn: fn("Distribution_CacheHeadersFunction") },
    ]);
    expect(behavioursOf(j)).toHaveLength(2);
    for (const b of behavioursOf(j)) expect(b.function_association).toBeUndefined();
    expect(synth(frontendStack(API))).toHaveResourceWithProperties(CloudfrontFunction, {
      runtime: "cloudfront-js-2.0",
      publish: true,
    });
  });

  it("has no distribution-wide error response that would turn the API's 404s into HTML 200s", () => {
    expect(distributionOf(j).custom_error_response).toBeUndefined();
  });

  it("rewrites client-side routes to /index.html and leaves files alone", () => {
    const route = (uri: string) => runFunction(routingCode("index.html"), { request: { uri } }).uri;
    expect(route("/")).toBe("/index.html");
    expect(route("/orders/42")).toBe("/index.html");
    expect(route("/assets/app-3f2a1b.js")).toBe("/assets/app-3f2a1b.js");
    expect(route("/favicon.ico")).toBe("/favicon.ico");
  });

  it("lets browsers cache hashed files for a year and revalidate everything else", () => {
    const cacheControl = (uri: string, statusCode = 200) =>
      (
        runFunction(cacheHeadersCode(["/assets/"]), {
          request: { uri },
          response: { statusCode, headers: {} },
        }).headers as Record<string, { value: string } | undefined>
      )["cache-control"]?.value;
    expect(cacheControl("/assets/app-3f2a1b.js")).toBe("public, max-age=31536000, immutable");
    expect(cacheControl("/index.html")).toBe("no-cache");
    expect(cacheControl("/assets/missing.js", 403)).toBeUndefined();
  });
});

describe("the API behaviours", () => {
  it("send each path pattern, in order, to the load balancer uncached with all methods and viewer headers", () => {
    const j = json({ ...API, api: { pathPatterns: ["/api/*", "/auth/*"] } });
    expect(behavioursOf(j).map((b) => b.path_pattern)).toEqual(["/api/*", "/auth/*"]);
    for (const b of behavioursOf(j))
      expect(b).toMatchObject({
        target_origin_id: "api",
        viewer_protocol_policy: "https-only",
        cache_policy_id: MANAGED_POLICY.cachingDisabled,
        origin_request_policy_id: MANAGED_POLICY.allViewerExceptHostHeader,
        allowed_methods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
      });
  });

  it("default to /api/* and a static-only distribution has none", () => {
    expect(behavioursOf(json(API)).map((b) => b.path_pattern)).toEqual(["/api/*"]);
    expect(behavioursOf(json())).toEqual([]);
    expect(originsOf(json()).map((o) => o.origin_id)).toEqual(["site"]);
  });
});

describe("the vpcOrigin mode", () => {
  const j = json(API);
  const vpcOrigin = () => onlyResource(j, "aws_cloudfront_vpc_origin");

  it("reaches the internal load balancer over HTTPS on its own name through a VPC origin", () => {
    const api = originsOf(j).find((o) => o.origin_id === "api")!;
    expect(api.domain_name).toBe("origin.shop.example.com");
    expect(api.vpc_origin_config).toEqual({
      vpc_origin_id: ref("aws_cloudfront_vpc_origin", idOf(j, "aws_cloudfront_vpc_origin", "VpcOrigin")),
    });
    expect(api.custom_origin_config).toBeUndefined();
    expect(vpcOrigin().vpc_origin_endpoint_config).toEqual([
      expect.objectContaining({ arn: ALB_ARN, origin_protocol_policy: "https-only" }),
    ]);
  });

  it("replaces the VPC origin new-before-old whenever its settings change, under a name that changes with them", () => {
    const v = vpcOrigin();
    expect(v.lifecycle).toEqual({
      create_before_destroy: true,
      replace_triggered_by: [`terraform_data.${idOf(j, "terraform_data", "VpcOrigin_Settings")}`],
    });
    const name = (e: StackJson) =>
      (onlyResource(e, "aws_cloudfront_vpc_origin").vpc_origin_endpoint_config as Res[])[0]!.name as string;
    expect(name(j)).toMatch(/^shop-prod-api-\$\{substr\(sha1\(jsonencode\(/);
    expect(onlyResource(j, "terraform_data").triggers_replace).toEqual({ name: name(j) });
    const otherLb = json(API, { ecs: { ...ECS, loadBalancer: { ...ECS.loadBalancer, arn: `${ALB_ARN}2` } } });
    const http = json(API, { ecs: { ...ECS, loadBalancer: { ...ECS.loadBalancer, domainName: undefined } } });
    expect(new Set([name(j), name(otherLb), name(http)]).size).toBe(3);
  });

  it("admits CloudFront's VPC-origin service group, found after the VPC origin exists, on the load balancer's 443", () => {
    const group = resourcesOf(j, "aws_security_group") as Res;
    expect(group).toEqual({});
    const lookupId = Object.keys(j.data?.aws_security_group ?? {})[0]!;
    const lookup = j.data!.aws_security_group![lookupId]!;
    expect(lookup.filter).toEqual([
      { name: "group-name", values: ["CloudFront-VPCOrigins-Service-SG"] },
      { name: "vpc-id", values: ["vpc-0123"] },
    ]);
    expect(lookup.depends_on).toEqual([
      `aws_cloudfront_vpc_origin.${idOf(j, "aws_cloudfront_vpc_origin", "VpcOrigin")}`,
    ]);
    expect(onlyResource(j, "aws_vpc_security_group_ingress_rule")).toMatchObject({
      security_group_id: "sg-alb",
      referenced_security_group_id: `\${data.aws_security_group.${lookupId}.id}`,
      from_port: 443,
      to_port: 443,
    });
  });

  it("uses HTTP on the load balancer's AWS name when the service has no domain, still inside the VPC", () => {
    const http = json(API, { ecs: { ...ECS, loadBalancer: { ...ECS.loadBalancer, domainName: undefined } } });
    expect(originsOf(http).find((o) => o.origin_id === "api")!.domain_name).toBe(ECS.loadBalancer.dnsName);
    expect(onlyResource(http, "aws_vpc_security_group_ingress_rule").from_port).toBe(80);
  });
});

describe("the publicAlb mode", () => {
  const j = json({ ...API, api: { originMode: "publicAlb" } });

  const versionRef = () =>
    ref(
      "aws_secretsmanager_secret_version",
      idOf(j, "aws_secretsmanager_secret_version", "OriginHeader"),
      "secret_string",
    );

  it("reaches the public load balancer over HTTPS with the secret header", () => {
    const api = originsOf(j).find((o) => o.origin_id === "api")!;
    expect(api.domain_name).toBe("origin.shop.example.com");
    expect(api.custom_origin_config).toMatchObject({
      origin_protocol_policy: "https-only",
      origin_ssl_protocols: ["TLSv1.2"],
    });
    expect(api.custom_header).toEqual([{ name: "X-Origin-Verify", value: versionRef() }]);
    expect(resourcesOf(j, "aws_cloudfront_vpc_origin")).toEqual({});
  });

  it("keeps the header value in a secret under its own KMS key (generated once: test/modules/origin-header)", () => {
    // Its own key: the site key's policy names the distribution, which needs the secret first.
    expect(onlyResource(j, "aws_secretsmanager_secret").kms_key_id).toBe(
      ref("aws_kms_key", idOf(j, "aws_kms_key", "OriginHeaderKey"), "arn"),
    );
  });

  it("forwards to the service only requests that carry the header, on the listener that refuses the rest", () => {
    expect(onlyResource(j, "aws_lb_listener_rule")).toMatchObject({
      listener_arn: LISTENER,
      priority: 1,
      condition: [{ http_header: { http_header_name: "X-Origin-Verify", values: [versionRef()] } }],
      action: [{ type: "forward", target_group_arn: TARGET_GROUP }],
    });
  });

  it("puts no secret in the synthesized JSON: every use of the value is a reference", () => {
    expect(findSecrets(j, "prod-frontend/cdk.tf.json")).toEqual([]);
    const uses = [
      ...originsOf(j)
        .flatMap((o) => (o.custom_header ?? []) as Res[])
        .map((h) => h.value),
      ...(onlyResource(j, "aws_lb_listener_rule").condition as { http_header: { values: string[] } }[])[0]!
        .http_header.values,
    ];
    expect(uses).toEqual([versionRef(), versionRef()]);
  });
});

describe("the secret scan of a publicAlb environment", () => {
  it("passes the written stacks, Checkov metadata on the secret included", () => {
    // GIVEN prod's sample with the API through a public load balancer (rolling: the origin-header rule cannot yet be
    // the production rule nativeBlueGreen moves)
    const config = withEnvironment("prod", (e) => ({
      frontend: { ...e.frontend!, api: { ...e.frontend!.api!, originMode: "publicAlb" } },
      service: {
        ...e.service!,
        deployment: {
          type: "rolling",
          circuitBreaker: true,
          minimumHealthyPercent: 100,
          maximumPercent: 200,
        },
      },
    }));
    // WHEN the whole app is written, as npm run synth writes it (with the `//` metadata Testing.synth omits)
    const built = build(config);
    built.app.synth();
    // THEN
    expect(readFileSync(join(built.app.outdir, "stacks/prod-frontend/cdk.tf.json"), "utf8")).toContain(
      "CKV2_AWS_57",
    );
    expect(scanSecrets(built.app.outdir)).toEqual([]);
  });
});

describe("certificate, DNS and firewall", () => {
  it("requests the certificate in us-east-1 and validates it in the shared zone through the DNS provider", () => {
    const j = json(BASE, { dnsAccountId: "111111111111" });
    expect(synth(frontendStack())).toHaveResourceWithProperties(AcmCertificate, {
      domain_name: "shop.example.com",
      subject_alternative_names: ["www.shop.example.com"],
      region: "us-east-1",
    });
    expect(onlyResource(j, "aws_acm_certificate_validation").region).toBe("us-east-1");
    const validation = Object.values(resourcesOf(j, "aws_route53_record")).find((r) => r.for_each)!;
    expect(validation).toMatchObject({ zone_id: "Z0HOSTEDZONE", provider: "aws.dns" });
  });

  it("writes A and AAAA aliases to the distribution for the name and each alias", () => {
    const j = json();
    const aliases = values(j, "aws_route53_record").filter((r) => r.alias);
    expect(aliases.map((r) => `${r.type as string} ${r.name as string}`).sort()).toEqual([
      "A shop.example.com",
      "A www.shop.example.com",
      "AAAA shop.example.com",
      "AAAA www.shop.example.com",
    ]);
    const d = idOf(j, "aws_cloudfront_distribution", "Distribution");
    for (const r of aliases)
      expect(r).toMatchObject({
        zone_id: "Z0HOSTEDZONE",
        provider: "aws.dns",
        alias: {
          name: ref("aws_cloudfront_distribution", d, "domain_name"),
          zone_id: ref("aws_cloudfront_distribution", d, "hosted_zone_id"),
          evaluate_target_health: false,
        },
      });
  });

  it("puts a CLOUDFRONT web ACL in us-east-1 in front of a protected environment's distribution", () => {
    const j = json();
    expect(synth(frontendStack())).toHaveResourceWithProperties(Wafv2WebAcl, {
      scope: "CLOUDFRONT",
      region: "us-east-1",
    });
    const acl = onlyResource(j, "aws_wafv2_web_acl");
    const rules = (acl.rule as { name: string }[]).map((r) => r.name);
    expect(rules).toEqual(
      expect.arrayContaining([
        "rate-limit-per-ip",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
      ]),
    );
    expect(distributionOf(j).web_acl_id).toBe(
      ref("aws_wafv2_web_acl", idOf(j, "aws_wafv2_web_acl", "Firewall"), "arn"),
    );
    expect(resourcesOf(j, "aws_wafv2_web_acl_association")).toEqual({});
    expect(onlyResource(j, "aws_wafv2_web_acl_logging_configuration").region).toBe("us-east-1");
  });

  it("leaves the web ACL out in an unprotected environment unless the file turns it on", () => {
    expect(resourcesOf(json(BASE, { env: "dev" }), "aws_wafv2_web_acl")).toEqual({});
    expect(distributionOf(json(BASE, { env: "dev" })).web_acl_id).toBeUndefined();
    expect(
      values(json({ ...BASE, waf: { enabled: true } }, { env: "dev" }), "aws_wafv2_web_acl"),
    ).toHaveLength(1);
  });

  it("delivers access logs from us-east-1 to a KMS-encrypted log group kept as configured", () => {
    const j = json({ ...BASE, logging: { retentionDays: 90 } });
    expect(synth(frontendStack())).toHaveResourceWithProperties(CloudwatchLogDeliverySource, {
      log_type: "ACCESS_LOGS",
      resource_arn: distributionArn(j),
      region: "us-east-1",
    });
    const group = resourcesOf(j, "aws_cloudwatch_log_group")[
      idOf(j, "aws_cloudwatch_log_group", "AccessLogs")
    ]!;
    expect(group).toMatchObject({ retention_in_days: 90, region: "us-east-1" });
    expect(group.kms_key_id).toBe(ref("aws_kms_key", idOf(j, "aws_kms_key", "LogsKey"), "arn"));
    expect(resourcesOf(j, "aws_kms_key")[idOf(j, "aws_kms_key", "LogsKey")]!.region).toBe("us-east-1");
  });
});

describe("the app as the default origin", () => {
  const APP: FrontendInput = {
    ...API,
    defaultOrigin: "app",
    staticPathPatterns: ["/static/*", "/media/*"],
    api: { pathPatterns: ["/api/*", "/auth/*"] },
  };
  const j = json(APP);

  it("serves the listed static paths first from the bucket, cached, and sends no API behaviour of its own", () => {
    expect(behavioursOf(j).map((b) => [b.path_pattern, b.target_origin_id])).toEqual([
      ["/static/*", "site"],
      ["/media/*", "site"],
    ]);
    for (const b of behavioursOf(j))
      expect(b).toMatchObject({
        viewer_protocol_policy: "redirect-to-https",
        cache_policy_id: MANAGED_POLICY.cachingOptimized,
        allowed_methods: ["GET", "HEAD", "OPTIONS"],
      });
  });

  it("sends every other path to the load balancer uncached, with all methods and the viewer's headers", () => {
    expect(defaultBehaviourOf(j)).toMatchObject({
      target_origin_id: "api",
      viewer_protocol_policy: "redirect-to-https",
      cache_policy_id: MANAGED_POLICY.cachingDisabled,
      origin_request_policy_id: MANAGED_POLICY.allViewerExceptHostHeader,
      allowed_methods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
      response_headers_policy_id: ref(
        "aws_cloudfront_response_headers_policy",
        idOf(j, "aws_cloudfront_response_headers_policy", "Distribution"),
      ),
    });
    expect(defaultBehaviourOf(j).function_association).toBeUndefined();
  });

  it("leaves the app's 404s and its / alone: no error rewrite, no root object, no routing function", () => {
    expect(distributionOf(j).custom_error_response).toBeUndefined();
    expect(distributionOf(j).default_root_object).toBeUndefined();
    expect(Object.keys(resourcesOf(j, "aws_cloudfront_function"))).toEqual([
      expect.stringMatching(/^Distribution_CacheHeadersFunction/),
    ]);
  });

  it("declares the missing root object to Checkov as deliberate, for the app only", () => {
    const ids = (input: FrontendInput) =>
      exceptionsOf(frontendStack(input).distribution.resource).map((e) => e.id);
    expect(ids(APP)).toContain("CKV_AWS_305");
    expect(ids(API)).not.toContain("CKV_AWS_305");
  });

  it("still guards the load balancer: a VPC origin by default, the secret header with publicAlb", () => {
    const api = originsOf(j).find((o) => o.origin_id === "api")!;
    expect(api.vpc_origin_config).toBeDefined();
    expect(onlyResource(j, "aws_vpc_security_group_ingress_rule").security_group_id).toBe("sg-alb");
    const pub = json({ ...APP, api: { originMode: "publicAlb" } });
    expect(originsOf(pub).find((o) => o.origin_id === "api")!.custom_header).toEqual([
      { name: "X-Origin-Verify", value: expect.stringMatching(/^\$\{aws_secretsmanager_secret_version\./) },
    ]);
    expect(resourcesOf(pub, "aws_lb_listener_rule")).not.toEqual({});
  });

  it("answers on the frontend's names through CloudFront, with the web ACL in front", () => {
    expect(distributionOf(j).aliases).toEqual(["shop.example.com", "www.shop.example.com"]);
    expect(values(j, "aws_route53_record").map((r) => (r as Res).name)).toEqual(
      expect.arrayContaining(["shop.example.com", "www.shop.example.com"]),
    );
    expect(distributionOf(j).web_acl_id).toMatch(/^\$\{aws_wafv2_web_acl\./);
  });
});

describe("outputs and the sample environments", () => {
  it("publishes the bucket, the distribution id and ARN, and the URL for the pipeline", () => {
    const out = json().output as Record<string, { value: unknown }>;
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(["bucket_name", "distribution_id", "distribution_arn", "url"]),
    );
    expect(out.url!.value).toBe("https://shop.example.com");
    const stack = frontendStack();
    expect(stack.outputs).toMatchObject({ url: "https://shop.example.com", bucketName: stack.bucket.name });
    expect(stack.outputs.distributionId).toBe(stack.distribution.id);
  });

  it("gives prod a frontend with API routing and dev a static-only one", () => {
    const built = sampleApp();
    const prod = sampleStack("prod-frontend").json;
    const dev = sampleStack("dev-frontend").json;
    expect(behavioursOf(prod).length).toBeGreaterThan(0);
    expect(values(prod, "aws_cloudfront_vpc_origin")).toHaveLength(1);
    expect(behavioursOf(dev)).toEqual([]);
    expect(built.stacks.map((s) => s.node.id)).not.toContain("test-frontend");
  });
});

describe("the ECS stack's load balancer as a CloudFront origin", () => {
  /** prod's `<env>-ecs` with the service on origin.shop.example.com, as CloudFront reaches it in `mode`. */
  const ecsJson = (mode?: "vpcOrigin" | "publicAlb"): StackJson => {
    const config = sampleConfig();
    const env = config.environments.find((e) => e.name === "prod")!;
    return synthJson(
      new EcsStack(testApp(), "prod-ecs", {
        frame: frameFor(config, env),
        config: ServiceSection.parse({
          container: { image: { image: "public.ecr.aws/nginx/nginx:stable" } },
          domain: { name: "origin.shop.example.com" },
        }),
        shared: SHARED,
        network: FAKE_NETWORK,
        dnsAccount: { id: "111111111111", region: "eu-west-1" },
        ...(mode ? { cloudFrontOrigin: mode } : {}),
      }),
    );
  };
  const ingressOf = (j: StackJson) =>
    values(j, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 80 || r.from_port === 443);
  const listenerOf = (j: StackJson, port: number) =>
    values(j, "aws_lb_listener").find((l) => l.port === port)!;

  it("makes the load balancer internal, in private subnets, with no ingress of its own for vpcOrigin", () => {
    const j = ecsJson("vpcOrigin");
    expect(onlyResource(j, "aws_lb")).toMatchObject({
      internal: true,
      subnets: FAKE_NETWORK.privateSubnetIds,
    });
    expect(ingressOf(j)).toEqual([]);
    expect((listenerOf(j, 443).default_action as Res[])[0]!.type).toBe("forward");
  });

  it("keeps the load balancer public for publicAlb, admitting only CloudFront's prefix list and refusing requests no rule forwards", () => {
    const j = ecsJson("publicAlb");
    expect(onlyResource(j, "aws_lb")).toMatchObject({
      internal: false,
      subnets: FAKE_NETWORK.publicSubnetIds,
    });
    const prefixList = Object.keys(j.data?.aws_ec2_managed_prefix_list ?? {})[0]!;
    expect(j.data!.aws_ec2_managed_prefix_list![prefixList]!.name).toBe(
      "com.amazonaws.global.cloudfront.origin-facing",
    );
    expect(ingressOf(j)).toEqual([
      expect.objectContaining({
        from_port: 443,
        prefix_list_id: `\${data.aws_ec2_managed_prefix_list.${prefixList}.id}`,
      }),
    ]);
    expect(listenerOf(j, 443).default_action).toEqual([
      {
        type: "fixed-response",
        fixed_response: { content_type: "text/plain", message_body: "Forbidden", status_code: "403" },
      },
    ]);
  });

  it("stays internet-facing and forwards everything without a CloudFront origin", () => {
    const j = ecsJson();
    expect(onlyResource(j, "aws_lb").internal).toBe(false);
    expect(ingressOf(j).map((r) => r.cidr_ipv4 ?? r.cidr_ipv6)).toContain("0.0.0.0/0");
    expect((listenerOf(j, 443).default_action as Res[])[0]!.type).toBe("forward");
  });

  it("wires prod's sample: an internal load balancer on its own name, reached by the frontend's VPC origin", () => {
    const ecs = sampleStack("prod-ecs");
    expect(onlyResource(ecs.json, "aws_lb").internal).toBe(true);
    expect((ecs.stack as EcsStack).outputs.loadBalancer.domainName).toBe("origin.shop.example.com");
    expect(onlyResource(sampleStack("dev-ecs").json, "aws_lb").internal).toBe(false);
  });
});
