// `<env>-frontend`: a single-page app in a private S3 bucket behind CloudFront, with its certificate, DNS names,
// web ACL and access logs, and optionally the service's API on the same domain; or the service's pages on that
// domain with only their static files from the bucket (`defaultOrigin: app`).
import { DataAwsSecurityGroup } from "@cdktf/provider-aws/lib/data-aws-security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Annotations, Lazy, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { FrontendConfig } from "../environments/sections/frontend.ts";
import { allowCheck } from "../guardrails/exceptions.ts";
import type { Certificate } from "../modules/certificate/certificate.ts";
import { CloudFrontLogs } from "../modules/cloudfront-logs/cloudfront-logs.ts";
import { dnsSuffixOf } from "../modules/core/aws.ts";
import { resourceName } from "../modules/core/naming.ts";
import { cloudWatchLogsGrant, KmsKey } from "../modules/kms-key/kms-key.ts";
import { OriginHeader } from "../modules/origin-header/origin-header.ts";
import { SecureBucket } from "../modules/secure-bucket/secure-bucket.ts";
import { SpaDistribution, type SpaApiOrigin } from "../modules/spa-distribution/spa-distribution.ts";
import { VpcOrigin } from "../modules/vpc-origin/vpc-origin.ts";
import { Waf } from "../modules/waf/waf.ts";
import { BaseStack, type DnsAccount, type StackFrameProps } from "./base-stack.ts";
import type { EcsOutputs, FrontendOutputs, NetworkOutputs, SharedOutputs } from "./contracts.ts";

export interface FrontendStackProps {
  readonly frame: StackFrameProps;
  /** The environment's `frontend:` section. */
  readonly config: FrontendConfig;
  readonly shared: SharedOutputs;
  /** Where the hosted zone lives, when `config.domain` is set. @default - the environment's own account */
  readonly dnsAccount?: DnsAccount;
  /** The service's load balancer and VPC, when `config.api` routes to it. @default - static site only */
  readonly origin?: { readonly ecs: EcsOutputs; readonly network: NetworkOutputs };
}

/** CloudFront takes certificates, web ACLs and log deliveries from this region only. */
const CLOUDFRONT_REGION = "us-east-1";
/** The group AWS creates in a VPC for its first CloudFront VPC origin; VPC-origin traffic comes from it. */
const VPC_ORIGIN_SERVICE_GROUP = "CloudFront-VPCOrigins-Service-SG";
/** Previous builds stay restorable this long after the pipeline overwrites them. */
const NONCURRENT_BUILD_DAYS = 30;
/** Checkov's CKV_AWS_259 wants a year of HSTS. */
const ONE_YEAR_SECONDS = 31_536_000;

/** The static site of one environment, and its API behaviours. */
export class FrontendStack extends BaseStack {
  public readonly outputs: FrontendOutputs;
  public readonly bucket: SecureBucket;
  public readonly distribution: SpaDistribution;
  public readonly siteKey: KmsKey;
  public readonly logsKey: KmsKey;
  public readonly logs: CloudFrontLogs;
  public readonly certificate?: Certificate;
  public readonly waf?: Waf;
  public readonly vpcOrigin?: VpcOrigin;
  /** The secret header and the listener rule that checks it (publicAlb mode). */
  public readonly originHeader?: OriginHeader;
  /** The load balancer's rule admitting CloudFront's VPC-origin group (vpcOrigin mode). */
  public readonly vpcOriginIngress?: VpcSecurityGroupIngressRule;
  /** How CloudFront reaches the API origin, when there is one. */
  public readonly apiProtocol?: "https" | "http";
  /** `https://<domain>` or `https://<distribution>.cloudfront.net`. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: FrontendStackProps) {
    super(scope, id, props.frame);
    const { config, shared } = props;
    const { region, accountId, partition } = this.where;
    const name = resourceName(this.names, "frontend", { maxLength: 40 });
    const bucketName = resourceName(this.names, ["site", accountId, region], { maxLength: 63 });
    const bucketArn = `arn:${partition}:s3:::${bucketName}`;
    const wafEnabled = config.waf.enabled ?? this.protect;

    this.logsKey = new KmsKey(this, "LogsKey", {
      alias: resourceName(this.names, "frontend-logs", { maxLength: 250 }),
      description: `Encrypts ${name}'s CloudFront access logs and WAF logs in ${CLOUDFRONT_REGION}`,
      accountId,
      region: CLOUDFRONT_REGION,
      resourceRegion: CLOUDFRONT_REGION,
      protect: this.protect,
      services: [cloudWatchLogsGrant(CLOUDFRONT_REGION, accountId)],
    });

    const names = config.domain ? [config.domain.name, ...config.domain.aliases] : [];
    const site = this.domainCertificate(
      "frontend.domain",
      config.domain,
      shared.zone,
      props.dnsAccount,
      CLOUDFRONT_REGION,
    );
    this.certificate = site?.certificate;

    if (wafEnabled) {
      const waf = (this.waf = new Waf(this, "Firewall", {
        name: resourceName(this.names, "frontend", { maxLength: 128 }),
        logGroupName: `aws-waf-logs-${resourceName(this.names, "frontend", { maxLength: 499 })}`,
        logRetentionDays: config.waf.logRetentionDays,
        logKmsKeyArn: this.logsKey.arn,
        managedGroups: config.waf.ruleGroups.map((g) => ({ name: g, count: false })),
        rateLimit: { limit: config.waf.rateLimit, windowSeconds: 300, count: false },
        // No CAPTCHA paths here; the web ACL's captcha_config still needs a value: AWS's default.
        captchaImmunitySeconds: 300,
        scope: "CLOUDFRONT",
        region: CLOUDFRONT_REGION,
      }));
      this.shortRetention(waf.logGroup, config.waf.logRetentionDays, "frontend.waf.logRetentionDays");
    }

    // Only this distribution, signing through its origin access control, may read (AWS:SourceArn). Lazy: the
    // bucket and key are declared before the distribution they name.
    const onlyThisDistribution = {
      StringEquals: { "AWS:SourceArn": Lazy.stringValue({ produce: () => this.distribution.arn }) },
    };
    // SSE-KMS: CloudFront decrypts with a key-policy grant scoped to this distribution, like the bucket policy.
    this.siteKey = new KmsKey(this, "SiteKey", {
      alias: resourceName(this.names, "frontend-site", { maxLength: 250 }),
      description: `Encrypts ${name}'s site bucket; CloudFront decrypts for this distribution only`,
      accountId,
      region,
      protect: this.protect,
      statements: [
        {
          Sid: "CloudFrontDecryptsForThisDistribution",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: onlyThisDistribution,
        },
      ],
    });
    const routed = config.api && props.origin ? this.apiOrigin(config.api, props.origin, name) : undefined;
    this.vpcOrigin = routed?.vpcOrigin;
    this.vpcOriginIngress = routed?.ingress;
    this.originHeader = routed?.header;
    const api = routed?.origin;
    this.apiProtocol = api?.protocol;
    if (config.api && !props.origin)
      Annotations.of(this).addError("frontend.api is set but the environment has no <env>-ecs stack");
    // Without a load balancer origin the app cannot be the default; the schema refuses that file already.
    const appDefault = config.defaultOrigin === "app" && api !== undefined;
    if (config.defaultOrigin === "app" && !api)
      Annotations.of(this).addError(
        "frontend.defaultOrigin is app but there is no load balancer origin (frontend.api)",
      );

    this.distribution = new SpaDistribution(this, "Distribution", {
      name,
      // Known from the name, so the distribution, the bucket's policy and the key's policy form no cycle.
      bucketRegionalDomainName: `${bucketName}.s3.${region}.${dnsSuffixOf(region)}`,
      aliases: this.certificate ? names : [],
      ...(this.certificate ? { certificateArn: this.certificate.arn } : {}),
      priceClass: config.priceClass,
      ...(this.waf ? { webAclArn: this.waf.arn } : {}),
      headers: {
        contentSecurityPolicy: config.contentSecurityPolicy,
        referrerPolicy: config.referrerPolicy,
        hsts: config.hsts,
      },
      immutablePrefixes: config.immutablePrefixes,
      ...(api ? { api } : {}),
      defaultOrigin: appDefault ? "api" : "site",
      staticPathPatterns: appDefault ? config.staticPathPatterns : [],
    });
    const distributionArn = this.distribution.arn;

    this.bucket = new SecureBucket(this, "Site", {
      bucketName,
      kmsKeyArn: this.siteKey.arn,
      protect: this.protect,
      noncurrentVersionDays: NONCURRENT_BUILD_DAYS,
      policyStatements: [
        {
          Sid: "CloudFrontReadsThroughOriginAccessControl",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: "s3:GetObject",
          Resource: `${bucketArn}/*`,
          Condition: onlyThisDistribution,
        },
      ],
    });

    this.logs = new CloudFrontLogs(this, "AccessLogs", {
      name,
      distributionArn,
      retentionDays: config.logging.retentionDays,
      kmsKeyArn: this.logsKey.arn,
    });
    this.shortRetention(this.logs.logGroup, config.logging.retentionDays, "frontend.logging.retentionDays");

    if (site)
      this.aliasRecords(site, ["A", "AAAA"], {
        name: this.distribution.domainName,
        zoneId: this.distribution.hostedZoneId,
        // CloudFront aliases cannot evaluate target health.
        evaluateTargetHealth: false,
      });

    this.exceptions(config, wafEnabled);

    this.url = config.domain ? `https://${config.domain.name}` : `https://${this.distribution.domainName}`;
    this.outputs = {
      bucketName: this.bucket.name,
      bucketArn: this.bucket.arn,
      kmsKeyArn: this.siteKey.arn,
      distributionId: this.distribution.id,
      distributionArn,
      url: this.url,
      content: config.defaultOrigin,
    };
    new TerraformOutput(this, "bucket_name", {
      value: this.bucket.name,
      description: "Where the pipeline uploads the build",
    });
    new TerraformOutput(this, "site_kms_key_arn", {
      value: this.siteKey.arn,
      description: "Key the uploader encrypts with (kms:GenerateDataKey)",
    });
    new TerraformOutput(this, "distribution_id", {
      value: this.distribution.id,
      description: appDefault
        ? "Invalidate the static paths here after each upload"
        : "Invalidate /index.html here after each upload",
    });
    new TerraformOutput(this, "distribution_arn", { value: distributionArn });
    new TerraformOutput(this, "url", { value: this.url, description: "Where the site answers" });
  }

  /** The API origin: a VPC origin to the internal load balancer, or the public one with a secret header. */
  private apiOrigin(
    api: NonNullable<FrontendConfig["api"]>,
    origin: NonNullable<FrontendStackProps["origin"]>,
    name: string,
  ): {
    origin: SpaApiOrigin;
    vpcOrigin?: VpcOrigin;
    ingress?: VpcSecurityGroupIngressRule;
    header?: OriginHeader;
  } {
    const lb = origin.ecs.loadBalancer;
    const protocol = lb.domainName ? "https" : "http";
    const domainName = lb.domainName ?? lb.dnsName;
    if (api.originMode === "publicAlb") {
      if (!lb.originTargetGroupArn) {
        Annotations.of(this).addError(
          "frontend.api.originMode is publicAlb but the ECS stack's listener does not refuse requests without the origin header",
        );
        return { origin: { pathPatterns: api.pathPatterns, domainName, protocol } };
      }
      const header = new OriginHeader(this, "OriginHeader", {
        secretName: resourceName(this.names, "frontend-origin-header", { maxLength: 512 }),
        // Not the site key: its policy names the distribution, which needs this secret first (a cycle).
        kmsKeyArn: new KmsKey(this, "OriginHeaderKey", {
          alias: resourceName(this.names, "frontend-origin-header", { maxLength: 250 }),
          description: `Encrypts the secret origin header ${name}'s CloudFront distribution sends to the load balancer`,
          accountId: this.frame.account.id,
          region: this.frame.region,
          protect: this.protect,
        }).arn,
        listenerArn: lb.productionListenerArn,
        targetGroupArn: lb.originTargetGroupArn,
      });
      return {
        header,
        origin: {
          pathPatterns: api.pathPatterns,
          domainName,
          protocol,
          secretHeader: { name: header.headerName, value: header.value },
        },
      };
    }
    const vpcOrigin = new VpcOrigin(this, "VpcOrigin", {
      namePrefix: resourceName(this.names, "api", { maxLength: 55 }),
      loadBalancerArn: lb.arn,
      protocol,
    });
    // AWS creates this group with the first VPC origin in the VPC, so it can only be found afterwards.
    const serviceGroup = new DataAwsSecurityGroup(this, "VpcOriginServiceGroup", {
      filter: [
        { name: "group-name", values: [VPC_ORIGIN_SERVICE_GROUP] },
        { name: "vpc-id", values: [origin.network.vpcId] },
      ],
      dependsOn: [vpcOrigin.resource],
    });
    const port = protocol === "https" ? 443 : 80;
    const ingress = new VpcSecurityGroupIngressRule(this, "VpcOriginIngress", {
      securityGroupId: lb.securityGroupId,
      description: `${name}: CloudFront VPC origin to the load balancer on ${port}`,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: serviceGroup.id,
    });
    return {
      origin: { pathPatterns: api.pathPatterns, domainName, protocol, vpcOriginId: vpcOrigin.id },
      vpcOrigin,
      ingress,
    };
  }

  /** The Checkov exceptions this configuration makes deliberate. */
  private exceptions(config: FrontendConfig, wafEnabled: boolean): void {
    const distribution = this.distribution.resource;
    allowCheck(
      distribution,
      "CKV_AWS_86",
      "access logs go through CloudWatch Logs' v2 log delivery (AccessLogs in this stack), which Checkov does not follow; legacy logging_config needs an ACL-enabled log bucket",
    );
    allowCheck(
      distribution,
      "CKV_AWS_310",
      "one origin per kind: the site bucket has no replica in another region (cross-region replication is not applicable here, CKV_AWS_144) and the API is the environment's own load balancer",
    );
    allowCheck(
      distribution,
      "CKV_AWS_374",
      "the site is public in every country; frontend config has no geographic restriction to apply",
    );
    allowCheck(
      this.bucket.resource,
      "CKV_AWS_18",
      "CloudFront's access logs record every read of the site; only the pipeline writes, and CloudTrail records that",
    );
    if (!wafEnabled) {
      const why = `frontend.waf is off in this environment's file (enabled: false, or an unprotected environment)`;
      allowCheck(distribution, "CKV_AWS_68", why);
      allowCheck(distribution, "CKV2_AWS_47", why);
    } else if (!config.waf.ruleGroups.includes("AWSManagedRulesAnonymousIpList"))
      allowCheck(
        distribution,
        "CKV2_AWS_47",
        "frontend.waf.ruleGroups leaves out AWSManagedRulesAnonymousIpList in this environment's file (VPN and hosting users must reach the site); Checkov wants it beside known bad inputs",
      );
    const hsts = config.hsts;
    if (!hsts.preload || !hsts.includeSubdomains || hsts.maxAgeSeconds < ONE_YEAR_SECONDS)
      allowCheck(
        this.distribution.headersPolicy,
        "CKV_AWS_259",
        "frontend.hsts in this environment's file asks for less than a preloaded, one-year, all-subdomain HSTS (preloading is hard to undo)",
      );
    if (config.defaultOrigin === "app")
      allowCheck(
        distribution,
        "CKV_AWS_305",
        "frontend.defaultOrigin is app: the service renders / itself, and a default root object would rewrite / to a file its load balancer does not serve",
      );
    if (!config.domain) {
      allowCheck(
        distribution,
        "CKV_AWS_174",
        "without frontend.domain the site uses the *.cloudfront.net certificate, whose TLS policy CloudFront does not let us set",
      );
      allowCheck(
        distribution,
        "CKV2_AWS_42",
        "without frontend.domain the site answers on its *.cloudfront.net name, which only CloudFront's own certificate covers",
      );
    }
    if (this.vpcOriginIngress && this.apiProtocol === "http")
      allowCheck(
        this.vpcOriginIngress,
        "CKV_AWS_260",
        "the source is CloudFront's VPC-origin group inside the VPC, not 0.0.0.0/0 (Checkov reads a rule without a CIDR as open); HTTP because service.domain is unset",
      );
  }
}
