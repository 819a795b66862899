// modules/vpc-endpoints: gateway endpoints on the route tables, interface endpoints behind an HTTPS-from-VPC group.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcEndpoints, type VpcEndpointsProps } from "../../modules/vpc-endpoints/vpc-endpoints.ts";
import { FAKE_NETWORK, itRefuses, moduleBuilder, TEST_REGION } from "../helpers.ts";

const MINIMAL: VpcEndpointsProps = {
  name: "shop-test",
  vpcId: FAKE_NETWORK.vpcId,
  vpcCidr: FAKE_NETWORK.vpcCidr,
  region: TEST_REGION,
  gatewayServices: ["s3"],
  routeTableIds: ["rtb-a", "rtb-b"],
  interfaceServices: ["ecr.api"],
  subnetIds: FAKE_NETWORK.privateSubnetIds,
};

const endpoints = moduleBuilder((s, p) => new VpcEndpoints(s, "Endpoints", p), MINIMAL);

it("adds gateway endpoints to the route tables and interface endpoints with private DNS in the subnets", () => {
  // GIVEN / WHEN one gateway and one interface service
  const out = endpoints().text;
  // THEN
  expect(out).toHaveResourceWithProperties(VpcEndpoint, {
    service_name: "com.amazonaws.eu-west-1.s3",
    vpc_endpoint_type: "Gateway",
    route_table_ids: ["rtb-a", "rtb-b"],
  });
  expect(out).toHaveResourceWithProperties(VpcEndpoint, {
    service_name: "com.amazonaws.eu-west-1.ecr.api",
    vpc_endpoint_type: "Interface",
    subnet_ids: [...FAKE_NETWORK.privateSubnetIds],
    private_dns_enabled: true,
  });
});

it("admits only HTTPS from the VPC's own range to the interface endpoints", () => {
  expect(endpoints().all(VpcSecurityGroupIngressRule)).toEqual([
    expect.objectContaining({
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: FAKE_NETWORK.vpcCidr,
    }),
  ]);
});

it("creates no security group when there is no interface endpoint", () => {
  const built = endpoints({ interfaceServices: [], subnetIds: [] });
  expect(built.all(SecurityGroup)).toEqual([]);
  expect(built.construct.securityGroup).toBeUndefined();
  expect(Object.keys(built.construct.endpointIds)).toEqual(["s3"]);
});

itRefuses(endpoints, "test/Endpoints", [
  [
    "a service requested twice, even across the two kinds",
    { interfaceServices: ["s3"] },
    'service "s3" is requested twice',
  ],
  ["interface endpoints without a subnet", { subnetIds: [] }, "interface endpoints need at least one subnet"],
]);
