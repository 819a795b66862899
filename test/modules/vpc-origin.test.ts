// modules/vpc-origin: a CloudFront VPC origin, replaced new-before-old whenever its settings change.
import { VpcOrigin, type VpcOriginProps } from "../../modules/vpc-origin/vpc-origin.ts";
import { type BuiltModule, itRefuses, moduleBuilder } from "../helpers.ts";

const MINIMAL: VpcOriginProps = {
  namePrefix: "shop-prod-api",
  loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:333333333333:loadbalancer/app/a/1",
  protocol: "https",
};

const vpcOrigin = moduleBuilder((s, p) => new VpcOrigin(s, "VpcOrigin", p), MINIMAL);
const nameOf = (built: BuiltModule<VpcOrigin>) =>
  (built.one("aws_cloudfront_vpc_origin").vpc_origin_endpoint_config as { name: string }[])[0]!.name;

it("points at the load balancer over TLS 1.2 with HTTPS only", () => {
  expect(vpcOrigin().one("aws_cloudfront_vpc_origin").vpc_origin_endpoint_config).toEqual([
    {
      name: nameOf(vpcOrigin()),
      arn: MINIMAL.loadBalancerArn,
      http_port: 80,
      https_port: 443,
      origin_protocol_policy: "https-only",
      origin_ssl_protocols: [{ items: ["TLSv1.2"], quantity: 1 }],
    },
  ]);
});

it("is replaced new-before-old through a record of its name, which hashes its settings", () => {
  const built = vpcOrigin();
  const trigger = Object.keys(built.json.resource!.terraform_data!)[0]!;
  expect(built.one("aws_cloudfront_vpc_origin").lifecycle).toEqual({
    create_before_destroy: true,
    replace_triggered_by: [`terraform_data.${trigger}`],
  });
  expect(built.one("terraform_data").triggers_replace).toEqual({ name: nameOf(built) });
  expect(nameOf(built)).not.toBe(nameOf(vpcOrigin({ protocol: "http" })));
  expect(nameOf(built)).not.toBe(nameOf(vpcOrigin({ loadBalancerArn: `${MINIMAL.loadBalancerArn}2` })));
});

itRefuses(vpcOrigin, "test/VpcOrigin", [
  [
    "a prefix that leaves no room for the hash in 64 characters",
    { namePrefix: "p".repeat(56) },
    /namePrefix "p{56}" is longer than 55/,
  ],
]);
