// modules/vpc: three subnet tiers over the AZs, an internet gateway, NAT by mode and locked-down defaults.
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { NetworkAcl } from "@cdktf/provider-aws/lib/network-acl";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { Vpc, type VpcProps } from "../../modules/vpc/vpc.ts";
import { resourcesOf, synth, synthJson, testStack } from "../helpers.ts";

const MINIMAL: VpcProps = {
  name: "shop-test-network",
  cidr: "10.0.0.0/16",
  azCount: 2,
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  subnetPrefixes: { public: 24, private: 20, isolated: 24 },
  natMode: "perAz",
  mapPublicIpOnLaunch: false,
};

function vpc(props: Partial<VpcProps> = {}) {
  const stack = testStack();
  const built = new Vpc(stack, "Vpc", { ...MINIMAL, ...props });
  return { stack, vpc: built };
}

const count = (json: ReturnType<typeof synthJson>, type: string) =>
  Object.keys(resourcesOf(json, type)).length;

describe("Vpc", () => {
  it("turns on DNS, adopts the default security group without rules and lays out three tiers per AZ", () => {
    // GIVEN / WHEN a two-AZ VPC with minimal props
    const { stack, vpc: built } = vpc();
    const out = synth(stack);
    // THEN
    expect(out).toHaveResourceWithProperties(VpcResource, {
      cidr_block: "10.0.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
    expect(out).toHaveResourceWithProperties(DefaultSecurityGroup, {
      tags: { Name: "shop-test-network-default-unused" },
    });
    expect(built.subnetCidrs.public).toHaveLength(2);
    expect(count(synthJson(stack), Subnet.tfResourceType)).toBe(6);
    expect(out).toHaveResourceWithProperties(Subnet, {
      availability_zone: "eu-west-1a",
      map_public_ip_on_launch: false,
      tags: { Name: "shop-test-network-public-eu-west-1a" },
    });
  });

  it("routes each private table to its own AZ's NAT under perAz, to one NAT under single, nowhere under none", () => {
    const natRoutes = (props: Partial<VpcProps>) => {
      const json = synthJson(vpc(props).stack);
      return {
        nats: count(json, NatGateway.tfResourceType),
        targets: new Set(
          Object.values(resourcesOf(json, Route.tfResourceType))
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
    expect(synth(vpc().stack)).toHaveResourceWithProperties(NetworkAcl, {
      ingress: [expect.objectContaining({ action: "allow", cidr_block: "10.0.0.0/16" })],
      egress: [expect.objectContaining({ action: "allow", cidr_block: "10.0.0.0/16" })],
    });
  });

  it("looks the zones up at plan time when none are named, failing the plan when the region has too few", () => {
    const { stack, vpc: built } = vpc({ availabilityZones: undefined });
    expect(synth(stack)).toHaveDataSourceWithProperties(DataAwsAvailabilityZones, {
      state: "available",
      lifecycle: {
        postcondition: [expect.objectContaining({ condition: "${length(self.names) >= 2}" })],
      },
    });
    expect(built.availabilityZones).toHaveLength(2);
  });

  it("refuses a CIDR that is not one, or has host bits set", () => {
    expect(() => vpc({ cidr: "10.0.0.0/33" })).toThrow(
      /^test\/Vpc: .*10\.0\.0\.0\/33.* is not a valid IPv4 CIDR/,
    );
    expect(() => vpc({ cidr: "10.0.0.1/16" })).toThrow(
      /^test\/Vpc: .*has host bits set; the network address of that block is 10\.0\.0\.0\/16/,
    );
  });

  it("refuses a zone list whose length is not azCount", () => {
    expect(() => vpc({ azCount: 3 })).toThrow("test/Vpc: availabilityZones lists 2 zones but azCount is 3");
  });

  it("refuses tiers that do not fit the block", () => {
    // GIVEN a /24 VPC and /20 private subnets THEN
    expect(() => vpc({ cidr: "10.0.0.0/24" })).toThrow(
      /^test\/Vpc: private subnets of \/20 cannot be carved from a \/24 VPC/,
    );
    // GIVEN subnets that fit one by one but not six AZ slots of all three tiers THEN
    expect(() =>
      vpc({ cidr: "10.0.0.0/20", subnetPrefixes: { public: 24, private: 22, isolated: 24 } }),
    ).toThrow(/^test\/Vpc: 10\.0\.0\.0\/20 has 4096 addresses but the subnet tiers need/);
    // GIVEN more AZs than the layout reserves THEN
    expect(() => vpc({ azCount: 7, availabilityZones: undefined })).toThrow(
      /^test\/Vpc: azCount must be 1 to 6, got 7/,
    );
  });
});
