// An application load balancer (internet-facing, or internal behind a CloudFront VPC origin) for one service: security
// group, access-log bucket, target groups (one, or a blue/green pair), and HTTPS + redirect listeners (or HTTP only
// without a certificate); for ECS-native blue/green, the production and test listener rules ECS moves between the pair.
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, type LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { allowCheck } from "../../guardrails/exceptions.ts";
import { partitionOf, type PolicyStatement } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";
import { SecureBucket } from "../secure-bucket/secure-bucket.ts";

/** Who may open connections to the listeners. */
export type AlbIngress =
  /** Any IPv4 or IPv6 address. */
  | "internet"
  /** Only CloudFront's origin-facing servers (the AWS managed prefix list), when a CDN sits in front. */
  | "cloudfront"
  /**
   * Nothing from outside the VPC: the load balancer is internal (give it private subnets) and a CloudFront VPC
   * origin reaches it; the frontend stack admits CloudFront's VPC-origin group, which exists only after it.
   */
  | "vpcOrigin";

/** The load balancer's health check of its targets. */
export interface AlbHealthCheck {
  readonly path: string;
  readonly matcher: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/** Who moves traffic between the two target groups of a blue/green pair. */
export type BlueGreenController =
  /** CodeDeploy rewrites the listeners' default action. */
  | "codeDeploy"
  /**
   * ECS rewrites the weights of one production and one test listener rule; the listeners' default action is a
   * fixed 404, so no request reaches a target group except through a rule ECS manages.
   */
  | "ecs";

/** A blue/green pair: a second target group and a test listener in front of the new tasks. */
export interface AlbBlueGreen {
  readonly controller: BlueGreenController;
  /** Port of the test listener. */
  readonly testListenerPort: number;
  /** CIDRs admitted on the test listener; may be empty (then only a rule added later can reach it). */
  readonly testTrafficCidrs: readonly string[];
  /** The VPC's range, admitted on the test listener too. @default - not admitted */
  readonly vpcCidr?: string;
}

export interface AlbProps {
  /** Physical name of the load balancer (≤ 32 characters). */
  readonly name: string;
  /** Prefix of the target group names (≤ 26 characters, so "-blue"/"-green" still fit in 32). */
  readonly targetGroupPrefix: string;
  readonly vpcId: string;
  /** Public subnets, at least two in different AZs. */
  readonly subnetIds: readonly string[];
  readonly region: string;
  readonly accountId: string;
  /** Name of the access-log bucket (globally unique). */
  readonly logBucketName: string;
  /** Days access logs are kept. */
  readonly accessLogDays: number;
  /** Keep the log bucket on destroy. */
  readonly protect: boolean;
  readonly deletionProtection: boolean;
  readonly ingress: AlbIngress;
  /** ACM certificate for HTTPS; without one the load balancer serves HTTP only. */
  readonly certificateArn?: string;
  /** TLS policy of the HTTPS listener. */
  readonly sslPolicy: string;
  /** Port the targets listen on. */
  readonly targetPort: number;
  readonly healthCheck: AlbHealthCheck;
  /** A second target group and a test listener for CodeDeploy. @default - one target group, no test listener */
  readonly blueGreen?: AlbBlueGreen;
  /** Seconds an idle connection stays open. */
  readonly idleTimeoutSeconds: number;
  /**
   * The production listener answers 403 unless a listener rule forwards the request: the frontend stack adds the
   * one that requires CloudFront's secret origin header. @default false - it forwards every request
   */
  readonly forwardOnlyByRule?: boolean;
  /** Seconds a draining target keeps its connections. @default 30 */
  readonly deregistrationDelaySeconds?: number;
}

const DEFAULT_DEREGISTRATION_DELAY = 30;
const MAX_LB_NAME = 32;
const LOG_PREFIX = "alb";

/**
 * Regions opened before August 2022 deliver ALB access logs from a regional ELB account; newer regions use the
 * log-delivery service principal (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
 */
const LEGACY_ELB_ACCOUNT_REGIONS = new Set([
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ca-central-1",
  "eu-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-north-1",
  "me-south-1",
  "sa-east-1",
  "us-gov-west-1",
  "us-gov-east-1",
  "cn-north-1",
  "cn-northwest-1",
]);

/**
 * The warning for a load balancer without a certificate. The reasons of this module's Checkov exceptions name the
 * `service:` keys of the environment file, since those are what a reader changes to lift them.
 */
export const NO_DOMAIN_WARNING =
  "service.domain is not set: the load balancer serves plain HTTP on its AWS name (no certificate, no redirect); set a domain for anything but a sandbox";
const NO_TLS_POLICY = "without service.domain there is no certificate, so no TLS policy applies";

/** CloudFront's origin-facing servers, as an AWS managed prefix list. */
const CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/** An internet-facing ALB with its security group, access logs, target group(s) and listeners. */
export class Alb extends Construct {
  public readonly resource: Lb;
  public readonly arn: string;
  /** The `app/<name>/<id>` part of the ARN, the `LoadBalancer` dimension of CloudWatch metrics. */
  public readonly arnSuffix: string;
  public readonly dnsName: string;
  public readonly zoneId: string;
  public readonly securityGroupId: string;
  /** The production target group (blue, in blue/green mode). */
  public readonly targetGroup: LbTargetGroup;
  /** The second target group of a blue/green pair. */
  public readonly greenTargetGroup?: LbTargetGroup;
  /** The listener users reach: HTTPS with a certificate, else HTTP. */
  public readonly productionListener: LbListener;
  /** The HTTP listener that redirects to HTTPS (only with a certificate). */
  public readonly redirectListener?: LbListener;
  /** The blue/green test listener. */
  public readonly testListener?: LbListener;
  /** ECS-native blue/green: the rule on the production listener whose forward weights ECS moves. */
  public readonly productionRule?: LbListenerRule;
  /** ECS-native blue/green: the rule on the test listener ECS points at the new tasks during a deployment. */
  public readonly testRule?: LbListenerRule;
  public readonly https: boolean;
  public readonly logBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AlbProps) {
    super(scope, id);
    const { sslPolicy, idleTimeoutSeconds: idleTimeout } = props;
    const deregistrationDelay = props.deregistrationDelaySeconds ?? DEFAULT_DEREGISTRATION_DELAY;
    this.https = props.certificateArn !== undefined;
    if (props.name.length > MAX_LB_NAME)
      throw new ModuleError(
        this,
        `name "${props.name}" is ${props.name.length} characters; ALB names are ≤ 32`,
      );
    if (props.targetGroupPrefix.length > MAX_LB_NAME - "-green".length)
      throw new ModuleError(
        this,
        `targetGroupPrefix "${props.targetGroupPrefix}" leaves no room for "-green" in 32`,
      );
    if (props.subnetIds.length < 2)
      throw new ModuleError(this, `an ALB needs subnets in at least two AZs, got ${props.subnetIds.length}`);
    const productionPort = this.https ? 443 : 80;
    if (props.blueGreen && [80, 443].includes(props.blueGreen.testListenerPort))
      throw new ModuleError(
        this,
        `testListenerPort ${props.blueGreen.testListenerPort} collides with a production listener`,
      );

    const sg = new SecurityGroup(this, "SecurityGroup", {
      // A prefix, not a name: a changed description replaces the group, and create_before_destroy needs the new
      // group to exist beside the old one, which a fixed name forbids.
      namePrefix: `${props.name}-alb-`,
      description: `Load balancer ${props.name}: HTTP(S) in, the service's port out`,
      vpcId: props.vpcId,
      // Rules are separate resources so other modules (the service) can add theirs without a conflict.
      revokeRulesOnDelete: true,
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = sg.id;
    const publicPorts = this.https ? [80, 443] : [80];
    const ingress = new Construct(this, "Ingress");
    // Checkov flags 0.0.0.0/0 and a prefix list on port 80, not ::/0.
    const allowPort80 = (rule: VpcSecurityGroupIngressRule) =>
      allowCheck(
        rule,
        "CKV_AWS_260",
        props.ingress === "internet"
          ? "an internet-facing load balancer must accept HTTP on 80 to redirect browsers to HTTPS (or, without a domain, to serve at all)"
          : "the source is CloudFront's managed prefix list, not 0.0.0.0/0 (Checkov reads a rule without a CIDR as open); HTTP because there is no domain",
      );
    if (props.ingress === "internet") {
      for (const port of publicPorts) {
        const ipv4 = new VpcSecurityGroupIngressRule(ingress, `Ipv4Port${port}`, {
          securityGroupId: sg.id,
          description: `HTTP${port === 443 ? "S" : ""} from the internet (IPv4)`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: "0.0.0.0/0",
        });
        if (port === 80) allowPort80(ipv4);
        new VpcSecurityGroupIngressRule(ingress, `Ipv6Port${port}`, {
          securityGroupId: sg.id,
          description: `HTTP${port === 443 ? "S" : ""} from the internet (IPv6)`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv6: "::/0",
        });
      }
    } else if (props.ingress === "cloudfront") {
      const cloudfront = new DataAwsEc2ManagedPrefixList(this, "CloudFrontPrefixList", {
        name: CLOUDFRONT_PREFIX_LIST,
      });
      // CloudFront reaches an HTTPS origin on 443 only; port 80 is opened to it only when there is no HTTPS.
      for (const port of this.https ? [443] : [80]) {
        const rule = new VpcSecurityGroupIngressRule(ingress, `CloudFrontPort${port}`, {
          securityGroupId: sg.id,
          description: `HTTP${port === 443 ? "S" : ""} from CloudFront origin-facing servers only`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          prefixListId: cloudfront.id,
        });
        if (port === 80) allowPort80(rule);
      }
    }
    props.blueGreen?.testTrafficCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(ingress, `TestListener${i}`, {
        securityGroupId: sg.id,
        description: "Blue/green test listener from an allowed source",
        ipProtocol: "tcp",
        fromPort: props.blueGreen!.testListenerPort,
        toPort: props.blueGreen!.testListenerPort,
        ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
      });
    });
    if (props.blueGreen?.vpcCidr)
      new VpcSecurityGroupIngressRule(ingress, "TestListenerFromVpc", {
        securityGroupId: sg.id,
        description: "Blue/green test listener from inside the VPC",
        ipProtocol: "tcp",
        fromPort: props.blueGreen.testListenerPort,
        toPort: props.blueGreen.testListenerPort,
        cidrIpv4: props.blueGreen.vpcCidr,
      });

    const partition = partitionOf(props.region);
    const logObjects = `arn:${partition}:s3:::${props.logBucketName}/${LOG_PREFIX}/AWSLogs/${props.accountId}/*`;
    const deliveryPrincipal: PolicyStatement["Principal"] = LEGACY_ELB_ACCOUNT_REGIONS.has(props.region)
      ? { AWS: new DataAwsElbServiceAccount(this, "ElbAccount", {}).arn }
      : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
    // ALB access logs support SSE-S3 only: the bucket gets no KMS key.
    this.logBucket = new SecureBucket(this, "AccessLogs", {
      bucketName: props.logBucketName,
      protect: props.protect,
      noncurrentVersionDays: 1,
      expirationDays: props.accessLogDays,
      policyStatements: [
        {
          Sid: "ElbLogDelivery",
          Effect: "Allow",
          Principal: deliveryPrincipal,
          Action: "s3:PutObject",
          Resource: logObjects,
        },
      ],
    });
    allowCheck(
      this.logBucket.resource,
      "CKV_AWS_145",
      "ALB access-log delivery supports only SSE-S3 (AES256), not SSE-KMS",
    );
    allowCheck(
      this.logBucket.resource,
      "CKV_AWS_18",
      "this bucket is itself a log destination; access-logging it would only produce logs about logs",
    );
    // ELB checks that it may write to the bucket when access logs are turned on: the policy must exist first.
    const bucketPolicy = this.logBucket.node.findChild("Policy") as S3BucketPolicy;

    this.resource = new Lb(this, "Resource", {
      name: props.name,
      loadBalancerType: "application",
      internal: props.ingress === "vpcOrigin",
      subnets: [...props.subnetIds],
      securityGroups: [sg.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "defensive",
      enableDeletionProtection: props.deletionProtection,
      idleTimeout,
      accessLogs: { bucket: this.logBucket.name, prefix: LOG_PREFIX, enabled: true },
      dependsOn: [bucketPolicy],
    });
    if (!props.deletionProtection)
      allowCheck(
        this.resource,
        "CKV_AWS_150",
        "service.loadBalancer.deletionProtection is false in this environment's file: a disposable environment",
      );
    if (!this.https)
      allowCheck(
        this.resource,
        "CKV2_AWS_20",
        "without service.domain there is no HTTPS listener to redirect to",
      );
    this.arn = this.resource.arn;
    this.arnSuffix = this.resource.arnSuffix;
    this.dnsName = this.resource.dnsName;
    this.zoneId = this.resource.zoneId;

    const targetGroup = (cid: string, name: string) => {
      const tg = new LbTargetGroup(this, cid, {
        name,
        vpcId: props.vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: props.targetPort,
        deregistrationDelay: String(deregistrationDelay),
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: props.healthCheck.path,
          matcher: props.healthCheck.matcher,
          interval: props.healthCheck.intervalSeconds,
          timeout: props.healthCheck.timeoutSeconds,
          healthyThreshold: props.healthCheck.healthyThreshold,
          unhealthyThreshold: props.healthCheck.unhealthyThreshold,
        },
      });
      if (!this.https)
        allowCheck(
          tg,
          "CKV_AWS_378",
          "without service.domain the whole path is HTTP; set a domain to get HTTPS at the load balancer",
        );
      else if (props.forwardOnlyByRule)
        allowCheck(
          tg,
          "CKV_AWS_378",
          "viewers reach this group over HTTPS through the frontend stack's origin-header rule, a listener link Checkov cannot see when it scans this stack alone",
        );
      else if (props.blueGreen?.controller === "ecs")
        allowCheck(
          tg,
          "CKV_AWS_378",
          "reached only through listener rules on the HTTPS production and test listeners (nativeBlueGreen); Checkov's graph follows a listener's default action, not its rules",
        );
      return tg;
    };
    // ECS-native blue/green keeps the first group's name: a rolling service that moves to it keeps its group (a
    // new name replaces a group the listener still forwards to, which ELB refuses to delete).
    this.targetGroup = targetGroup(
      "TargetGroup",
      props.blueGreen?.controller === "codeDeploy"
        ? `${props.targetGroupPrefix}-blue`
        : props.targetGroupPrefix,
    );
    if (props.blueGreen) {
      const green = targetGroup("GreenTargetGroup", `${props.targetGroupPrefix}-green`);
      this.greenTargetGroup = green;
      // ECS and CodeDeploy send new tasks to whichever group is idle: a looser check on one of them would let a
      // release pass there that fails in the other. Compared on the synthesized JSON, so an override counts too.
      this.node.addValidation({
        validate: () =>
          healthCheckOf(this.targetGroup) === healthCheckOf(green)
            ? []
            : ["the blue and green target groups must have identical health checks"],
      });
    }

    const native = props.blueGreen?.controller === "ecs";
    // Both would put a priority-1 rule on the production listener, and the header rule forwards to one group only,
    // which a release leaves idle: the header must become a condition of the rule ECS moves first.
    if (native && props.forwardOnlyByRule)
      throw new ModuleError(
        this,
        "nativeBlueGreen behind a CloudFront public-ALB origin (secret header rule) is not supported yet",
      );
    // CodeDeploy rewrites the listeners' forward action on every release; Terraform must not put it back.
    const ignoreForward =
      props.blueGreen && !native ? { lifecycle: { ignoreChanges: ["default_action"] } } : {};
    const tls = this.https ? { certificateArn: props.certificateArn, sslPolicy } : {};
    const defaultAction: LbListenerDefaultAction[] = native
      ? [NOT_FOUND]
      : [{ type: "forward", targetGroupArn: this.targetGroup.arn }];
    this.productionListener = new LbListener(this, this.https ? "HttpsListener" : "HttpListener", {
      loadBalancerArn: this.arn,
      port: productionPort,
      protocol: this.https ? "HTTPS" : "HTTP",
      ...tls,
      defaultAction: props.forwardOnlyByRule
        ? [
            {
              type: "fixed-response",
              fixedResponse: { contentType: "text/plain", messageBody: "Forbidden", statusCode: "403" },
            },
          ]
        : defaultAction,
      ...ignoreForward,
    });
    if (!this.https) {
      allowCheck(this.productionListener, "CKV_AWS_2", `${NO_DOMAIN_WARNING} (synth warns about it)`);
      allowCheck(this.productionListener, "CKV_AWS_103", NO_TLS_POLICY);
    }
    if (this.https)
      this.redirectListener = new LbListener(this, "HttpRedirectListener", {
        loadBalancerArn: this.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [
          { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ],
      });
    if (props.blueGreen && this.greenTargetGroup)
      this.testListener = new LbListener(this, "TestListener", {
        loadBalancerArn: this.arn,
        port: props.blueGreen.testListenerPort,
        protocol: this.https ? "HTTPS" : "HTTP",
        ...tls,
        defaultAction: native
          ? [NOT_FOUND]
          : [{ type: "forward", targetGroupArn: this.greenTargetGroup.arn }],
        ...ignoreForward,
      });
    if (this.testListener && !this.https) {
      allowCheck(
        this.testListener,
        "CKV_AWS_2",
        "without service.domain the blue/green test listener is HTTP like production",
      );
      allowCheck(this.testListener, "CKV_AWS_103", NO_TLS_POLICY);
    }
    if (native && this.greenTargetGroup && this.testListener) {
      const rule = (cid: string, listener: LbListener) =>
        new LbListenerRule(this, cid, {
          listenerArn: listener.arn,
          priority: 1,
          condition: [{ pathPattern: { values: ["/*"] } }],
          // Both groups in one weighted forward, the shape ECS itself writes; before the first release all of it
          // goes to the blue group, where the service registers its first tasks.
          action: [
            {
              type: "forward",
              forward: {
                targetGroup: [
                  { arn: this.targetGroup.arn, weight: 100 },
                  { arn: this.greenTargetGroup!.arn, weight: 0 },
                ],
              },
            },
          ],
          // ECS moves these weights on every deployment and leaves them on the live group: putting them back would
          // send production to the idle group. Only the action is ECS's; priority and condition stay managed.
          lifecycle: { ignoreChanges: ["action"] },
        });
      this.productionRule = rule("ProductionRule", this.productionListener);
      this.testRule = rule("TestRule", this.testListener);
    }
  }
}

/** The listeners' default action in ECS-native blue/green: only the rules ECS manages forward anything. */
const NOT_FOUND: LbListenerDefaultAction = {
  type: "fixed-response",
  fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" },
};

/** The synthesized `health_check` block of a target group, overrides included, as comparable text. */
function healthCheckOf(tg: LbTargetGroup): string {
  const json = tg.toTerraform() as { resource: Record<string, Record<string, { health_check?: unknown }>> };
  return JSON.stringify(Object.values(json.resource.aws_lb_target_group ?? {})[0]?.health_check);
}
