// modules/vpc-origin: a CloudFront VPC origin, replaced new-before-old whenever its settings change.
import { TerraformStack, Testing } from "cdktf";
import { VpcOrigin, type VpcOriginProps } from "../../modules/vpc-origin/vpc-origin.ts";
import { onlyResource, synthJson, type StackJson } from "../helpers.ts";

const MINIMAL: VpcOriginProps = {
  namePrefix: "shop-prod-api",
  loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:333333333333:loadbalancer/app/a/1",
  protocol: "https",
};

function vpcOrigin(props: Partial<VpcOriginProps> = {}): StackJson {
  const stack = new TerraformStack(Testing.app(), "test");
  new VpcOrigin(stack, "VpcOrigin", { ...MINIMAL, ...props });
  return synthJson(stack);
}
const nameOf = (json: StackJson) =>
  (onlyResource(json, "aws_cloudfront_vpc_origin").vpc_origin_endpoint_config as { name: string }[])[0]!.name;

describe("VpcOrigin", () => {
  it("points at the load balancer over TLS 1.2 with HTTPS only", () => {
    expect(onlyResource(vpcOrigin(), "aws_cloudfront_vpc_origin").vpc_origin_endpoint_config).toEqual([
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
    const json = vpcOrigin();
    const trigger = Object.keys(json.resource!.terraform_data!)[0]!;
    expect(onlyResource(json, "aws_cloudfront_vpc_origin").lifecycle).toEqual({
      create_before_destroy: true,
      replace_triggered_by: [`terraform_data.${trigger}`],
    });
    expect(onlyResource(json, "terraform_data").triggers_replace).toEqual({ name: nameOf(json) });
    expect(nameOf(json)).not.toBe(nameOf(vpcOrigin({ protocol: "http" })));
    expect(nameOf(json)).not.toBe(nameOf(vpcOrigin({ loadBalancerArn: `${MINIMAL.loadBalancerArn}2` })));
  });

  it("refuses a prefix that leaves no room for the hash in 64 characters", () => {
    expect(() => vpcOrigin({ namePrefix: "p".repeat(56) })).toThrow(
      /VpcOrigin: namePrefix "p{56}" is longer than 55/,
    );
  });
});
