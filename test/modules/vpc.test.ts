// modules/vpc: three subnet tiers over the AZs, an internet gateway, NAT by mode and locked-down defaults.
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { NetworkAcl } from "@cdktf/provider-aws/lib/network-acl";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { Vpc, type VpcProps } from "../../modules/vpc/vpc.ts";
import { itRefuses, moduleBuilder } from "../helpers.ts";

const MINIMAL: VpcProps = {
  name: "shop-test-network",
  cidr: "10.0.0.0/16",
  azCount: 2,
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  subnetPrefixes: { public: 24, private: 20, isolated: 24 },
  natMode: "perAz",
  mapPublicIpOnLaunch: false,
};

const vpc = moduleBuilder((s, p) => new Vpc(s, "Vpc", p), MINIMAL);

it("turns on DNS, adopts the default security group without rules and lays out three tiers per AZ", () => {
  // GIVEN / WHEN a two-AZ VPC with minimal props
  const built = vpc();
  const out = built.text;
  // THEN
  expect(out).toHaveResourceWithProperties(VpcResource, {
    cidr_block: "10.0.0.0/16",
    enable_dns_support: true,
    enable_dns_hostnames: true,
  });
  expect(out).toHaveResourceWithProperties(DefaultSecurityGroup, {
    tags: { Name: "shop-test-network-default-unused" },
  });
  expect(built.construct.subnetCidrs.public).toHaveLength(2);
  expect(built.all(Subnet)).toHaveLength(6);
  expect(out).toHaveResourceWithProperties(Subnet, {
    availability_zone: "eu-west-1a",
    map_public_ip_on_launch: false,
    tags: { Name: "shop-test-network-public-eu-west-1a" },
  });
});

it("routes each private table to its own AZ's NAT under perAz, to one NAT under single, nowhere under none", () => {
  const natRoutes = (props: Partial<VpcProps>) => {
    const built = vpc(props);
    return {
      nats: built.all(NatGateway).length,
      targets: new Set(
        built
          .all(Route)
          .map((r) => r.nat_gateway_id)
          .filter(Boolean),
      ).size,
    };
  };
  expect(natRoutes({ natMode: "perAz" })).toEqual({ nats: 2, targets: 2 });
  expect(natRoutes({ natMode: "single" })).toEqual({ nats: 1, targets: 1 });
  expect(natRoutes({ natMode: "none" })).toEqual({ nats: 0, targets: 0 });
});

it("admits only the VPC's own range on the isolated subnets' network ACL", () => {
  expect(vpc().text).toHaveResourceWithProperties(NetworkAcl, {
    ingress: [expect.objectContaining({ action: "allow", cidr_block: "10.0.0.0/16" })],
    egress: [expect.objectContaining({ action: "allow", cidr_block: "10.0.0.0/16" })],
  });
});

it("looks the zones up at plan time when none are named, failing the plan when the region has too few", () => {
  const built = vpc({ availabilityZones: undefined });
  expect(built.text).toHaveDataSourceWithProperties(DataAwsAvailabilityZones, {
    state: "available",
    lifecycle: {
      postcondition: [expect.objectContaining({ condition: "${length(self.names) >= 2}" })],
    },
  });
  expect(built.construct.availabilityZones).toHaveLength(2);
});

itRefuses(vpc, "test/Vpc", [
  ["a CIDR that is not one", { cidr: "10.0.0.0/33" }, /.*10\.0\.0\.0\/33.* is not a valid IPv4 CIDR/],
  [
    "a CIDR with host bits set",
    { cidr: "10.0.0.1/16" },
    /.*has host bits set; the network address of that block is 10\.0\.0\.0\/16/,
  ],
  [
    "a zone list whose length is not azCount",
    { azCount: 3 },
    "availabilityZones lists 2 zones but azCount is 3",
  ],
  [
    "tiers that do not fit the block",
    { cidr: "10.0.0.0/24" },
    /private subnets of \/20 cannot be carved from a \/24 VPC/,
  ],
  [
    "subnets that fit one by one but not six AZ slots of all three tiers",
    { cidr: "10.0.0.0/20", subnetPrefixes: { public: 24, private: 22, isolated: 24 } },
    /10\.0\.0\.0\/20 has 4096 addresses but the subnet tiers need/,
  ],
  [
    "more AZs than the layout reserves",
    { azCount: 7, availabilityZones: undefined },
    /azCount must be 1 to 6, got 7/,
  ],
]);
