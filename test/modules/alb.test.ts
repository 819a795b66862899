// modules/alb: an internet-facing ALB with its security group, access logs, target group(s) and listeners.
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { Alb, type AlbProps } from "../../modules/alb/alb.ts";
import { FAKE_NETWORK, itRefuses, moduleBuilder, statementsOf, TEST_TARGET } from "../helpers.ts";

const CERTIFICATE = "arn:aws:acm:eu-west-1:111111111111:certificate/c";
const MINIMAL: AlbProps = {
  name: "shop-test",
  targetGroupPrefix: "shop-test-app",
  vpcId: FAKE_NETWORK.vpcId,
  subnetIds: FAKE_NETWORK.publicSubnetIds,
  ...TEST_TARGET,
  logBucketName: "shop-test-alb-logs",
  accessLogDays: 90,
  protect: true,
  deletionProtection: true,
  ingress: "internet",
  certificateArn: CERTIFICATE,
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  idleTimeoutSeconds: 60,
  targetPort: 8080,
  healthCheck: {
    path: "/health",
    matcher: "200",
    intervalSeconds: 15,
    timeoutSeconds: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
  },
};

const alb = moduleBuilder((s, p) => new Alb(s, "Alb", p), MINIMAL);
type BuiltAlb = ReturnType<typeof alb>;
const listeners = (built: BuiltAlb) => built.all(LbListener).sort((a, b) => Number(a.port) - Number(b.port));
const ingressOf = (built: BuiltAlb) =>
  built
    .all(VpcSecurityGroupIngressRule)
    .map((r) => `${String(r.from_port)} ${String(r.cidr_ipv4 ?? r.cidr_ipv6 ?? r.prefix_list_id)}`)
    .sort();

it("drops invalid headers, logs access, keeps deletion protection and idles as long as it is told", () => {
  // GIVEN / WHEN an HTTPS load balancer with minimal props
  const lb = alb({ idleTimeoutSeconds: 120 }).one(Lb);
  // THEN
  expect(lb).toMatchObject({
    name: "shop-test",
    internal: false,
    load_balancer_type: "application",
    drop_invalid_header_fields: true,
    desync_mitigation_mode: "defensive",
    enable_deletion_protection: true,
    idle_timeout: 120,
    access_logs: { prefix: "alb", enabled: true },
  });
});

it("keeps access logs in an SSE-S3 bucket that only ELB delivers into, for accessLogDays", () => {
  // GIVEN / WHEN the minimal load balancer (90 days of access logs)
  const built = alb();
  // THEN ELB can only write with SSE-S3 (it cannot use a KMS key), under the alb/ prefix of this account
  expect(built.one(S3BucketServerSideEncryptionConfigurationA).rule).toEqual([
    expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }),
  ]);
  expect(statementsOf(built.one(S3BucketPolicy))).toContainEqual(
    expect.objectContaining({
      Sid: "ElbLogDelivery",
      Action: "s3:PutObject",
      Resource: expect.stringMatching(new RegExp(`/alb/AWSLogs/${TEST_TARGET.accountId}/\\*$`)),
    }),
  );
  expect(
    (built.one(S3BucketLifecycleConfiguration).rule as Record<string, unknown>[])[0]!.expiration,
  ).toEqual([{ days: 90 }]);
});

it("serves HTTPS with its TLS policy and redirects HTTP to it", () => {
  const [http, https] = listeners(alb({ sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }));
  expect(http).toMatchObject({
    port: 80,
    protocol: "HTTP",
    default_action: [
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
    ],
  });
  expect(https).toMatchObject({
    port: 443,
    protocol: "HTTPS",
    certificate_arn: CERTIFICATE,
    ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
  });
});

it("serves HTTP only, and admits only port 80, without a certificate", () => {
  const built = alb({ certificateArn: undefined });
  expect(listeners(built).map((l) => [l.port, l.protocol])).toEqual([[80, "HTTP"]]);
  expect(ingressOf(built)).toEqual(["80 0.0.0.0/0", "80 ::/0"]);
});

it("admits 80 and 443 from any address, or only 443 from CloudFront's prefix list", () => {
  expect(ingressOf(alb())).toEqual(["443 0.0.0.0/0", "443 ::/0", "80 0.0.0.0/0", "80 ::/0"]);
  expect(ingressOf(alb({ ingress: "cloudfront" }))).toEqual([
    expect.stringMatching(/^443 \$\{data\.aws_ec2_managed_prefix_list\./),
  ]);
});

it("forwards to one IP target group that drains for 30 s and checks health on the traffic port", () => {
  expect(alb().one(LbTargetGroup)).toMatchObject({
    name: "shop-test-app",
    target_type: "ip",
    port: 8080,
    deregistration_delay: "30",
    health_check: { path: "/health", matcher: "200", port: "traffic-port" },
  });
});

it("adds a green target group and a test listener admitting only the listed sources for blue/green", () => {
  const built = alb({
    blueGreen: { controller: "codeDeploy", testListenerPort: 8443, testTrafficCidrs: ["203.0.113.0/24"] },
  });
  expect(built.all(LbTargetGroup).map((t) => t.name)).toEqual(
    expect.arrayContaining(["shop-test-app-blue", "shop-test-app-green"]),
  );
  const test = listeners(built).find((l) => l.port === 8443)!;
  expect(test).toMatchObject({ protocol: "HTTPS", lifecycle: { ignore_changes: ["default_action"] } });
  expect(ingressOf(built)).toContain("8443 203.0.113.0/24");
});

itRefuses(alb, "test/Alb", [
  [
    "a name longer than 32 characters",
    { name: "a".repeat(33) },
    `name "${"a".repeat(33)}" is 33 characters; ALB names are ≤ 32`,
  ],
  [
    "a target group prefix with no room for -green",
    { targetGroupPrefix: "p".repeat(27) },
    `targetGroupPrefix "${"p".repeat(27)}" leaves no room for "-green" in 32`,
  ],
  [
    "fewer than two subnets",
    { subnetIds: ["subnet-pub-a"] },
    "an ALB needs subnets in at least two AZs, got 1",
  ],
  [
    "a test listener on a production port",
    { blueGreen: { controller: "codeDeploy", testListenerPort: 443, testTrafficCidrs: [] } },
    "testListenerPort 443 collides with a production listener",
  ],
]);
