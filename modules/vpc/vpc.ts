// A VPC with public, private and isolated subnet tiers over several AZs, an internet gateway and NAT by mode.
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { NetworkAcl } from "@cdktf/provider-aws/lib/network-acl";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";
import { layoutSubnets, parseCidr, type SubnetTier, type TierPrefixes } from "../../lib/subnet-layout.ts";

/** How private subnets reach the internet. */
export type NatMode = "perAz" | "single" | "none";

const ANYWHERE = "0.0.0.0/0";

export interface VpcProps {
  /** Prefix of every Name tag, e.g. `shop-prod-network`. */
  readonly name: string;
  /** IPv4 CIDR of the VPC, in network form. */
  readonly cidr: string;
  /** Number of availability zones the tiers span. */
  readonly azCount: number;
  /**
   * Zone names, one per AZ. @default - the region's first `azCount` zones in state `available` (no opt-in Local
   * Zones), read at plan time; the plan fails when the region has fewer.
   */
  readonly availabilityZones?: readonly string[];
  /** Prefix length of the subnets of each tier. */
  readonly subnetPrefixes: TierPrefixes;
  /** `perAz`: one NAT per AZ; `single`: one NAT for all; `none`: private subnets have no default route. */
  readonly natMode: NatMode;
  /** Instances launched in public subnets get a public IP. */
  readonly mapPublicIpOnLaunch: boolean;
}

/**
 * The VPC and its routing. Public subnets share one route table to the internet gateway; each private and each
 * isolated subnet has its own table, so under `perAz` every private table routes to its own AZ's NAT gateway.
 * Isolated subnets have no route out of the VPC and a network ACL that admits only the VPC's own range.
 */
export class Vpc extends Construct {
  public readonly resource: VpcResource;
  public readonly vpcId: string;
  public readonly cidr: string;
  /** Zone names in AZ order (tokens when looked up at plan time). */
  public readonly availabilityZones: readonly string[];
  /** The public subnets, in AZ order (for exceptions and associations that need the resource). */
  public readonly publicSubnets: readonly Subnet[];
  public readonly publicSubnetIds: readonly string[];
  public readonly privateSubnetIds: readonly string[];
  public readonly isolatedSubnetIds: readonly string[];
  /** Subnet CIDRs per tier, in AZ order, as computed at synth time. */
  public readonly subnetCidrs: Readonly<Record<SubnetTier, readonly string[]>>;
  public readonly publicRouteTableId: string;
  public readonly privateRouteTableIds: readonly string[];
  public readonly isolatedRouteTableIds: readonly string[];
  /** One per AZ under `perAz`, one under `single`, none under `none`. */
  public readonly natGatewayIds: readonly string[];
  public readonly defaultSecurityGroup: DefaultSecurityGroup;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const { azCount, natMode, name } = props;
    const vpcCidr = parseCidr(props.cidr);
    if (typeof vpcCidr === "string") throw new ModuleError(this, vpcCidr);
    if (props.availabilityZones && props.availabilityZones.length !== azCount)
      throw new ModuleError(
        this,
        `availabilityZones lists ${props.availabilityZones.length} zones but azCount is ${azCount}`,
      );
    const layout = layoutSubnets(vpcCidr, props.subnetPrefixes, azCount);
    if (typeof layout === "string") throw new ModuleError(this, layout);
    this.subnetCidrs = layout;

    this.resource = new VpcResource(this, "Resource", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name },
    });
    this.vpcId = this.resource.id;
    this.cidr = this.resource.cidrBlock;
    this.availabilityZones = props.availabilityZones ?? this.lookUpZones(azCount);
    const azs = this.availabilityZones;

    // Adopting the default group removes its rules: nothing may use it by accident (CKV2_AWS_12).
    this.defaultSecurityGroup = new DefaultSecurityGroup(this, "DefaultSecurityGroup", {
      vpcId: this.vpcId,
      tags: { Name: `${name}-default-unused` },
    });

    const subnets = (tier: SubnetTier, isPublic: boolean): Subnet[] => {
      const group = new Construct(this, capitalize(tier));
      return azs.map(
        (az, i) =>
          new Subnet(group, `Az${i + 1}`, {
            vpcId: this.vpcId,
            availabilityZone: az,
            cidrBlock: layout[tier][i]!,
            mapPublicIpOnLaunch: isPublic && props.mapPublicIpOnLaunch,
            tags: { Name: `${name}-${tier}-${az}` },
          }),
      );
    };
    const publicSubnets = subnets("public", true);
    const privateSubnets = subnets("private", false);
    const isolatedSubnets = subnets("isolated", false);
    this.publicSubnets = publicSubnets;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.isolatedSubnetIds = isolatedSubnets.map((s) => s.id);

    const igw = new InternetGateway(this, "InternetGateway", { vpcId: this.vpcId, tags: { Name: name } });
    const publicTable = new RouteTable(this, "PublicRouteTable", {
      vpcId: this.vpcId,
      tags: { Name: `${name}-public` },
    });
    new Route(publicTable, "DefaultRoute", {
      routeTableId: publicTable.id,
      destinationCidrBlock: ANYWHERE,
      gatewayId: igw.id,
    });
    publicSubnets.forEach(
      (s, i) =>
        new RouteTableAssociation(publicTable, `Az${i + 1}`, {
          subnetId: s.id,
          routeTableId: publicTable.id,
        }),
    );
    this.publicRouteTableId = publicTable.id;

    const natCount = natMode === "perAz" ? azCount : natMode === "single" ? 1 : 0;
    const natGroup = new Construct(this, "Nat");
    const nats = publicSubnets.slice(0, natCount).map((subnet, i) => {
      const az = new Construct(natGroup, `Az${i + 1}`);
      const eip = new Eip(az, "Eip", { domain: "vpc", tags: { Name: `${name}-nat-${azs[i]}` } });
      return new NatGateway(az, "Resource", {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        tags: { Name: `${name}-nat-${azs[i]}` },
        dependsOn: [igw],
      });
    });
    this.natGatewayIds = nats.map((n) => n.id);

    const perAzTables = (
      tier: SubnetTier,
      tierSubnets: Subnet[],
      natFor?: (i: number) => NatGateway,
    ): RouteTable[] => {
      const group = new Construct(this, `${capitalize(tier)}RouteTables`);
      return tierSubnets.map((s, i) => {
        const table = new RouteTable(group, `Az${i + 1}`, {
          vpcId: this.vpcId,
          tags: { Name: `${name}-${tier}-${azs[i]}` },
        });
        new RouteTableAssociation(table, "Association", { subnetId: s.id, routeTableId: table.id });
        const nat = natFor?.(i);
        if (nat)
          new Route(table, "DefaultRoute", {
            routeTableId: table.id,
            destinationCidrBlock: ANYWHERE,
            natGatewayId: nat.id,
          });
        return table;
      });
    };
    const privateTables = perAzTables(
      "private",
      privateSubnets,
      nats.length > 0 ? (i) => nats[natMode === "perAz" ? i : 0]! : undefined,
    );
    const isolatedTables = perAzTables("isolated", isolatedSubnets);
    this.privateRouteTableIds = privateTables.map((t) => t.id);
    this.isolatedRouteTableIds = isolatedTables.map((t) => t.id);

    // Public and private subnets keep the AWS default (allow all, security groups do the filtering), but under
    // Terraform's management so a hand-made rule shows up as drift.
    const allowAll = (cidrBlock: string) => [
      { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock },
    ];
    new DefaultNetworkAcl(this, "DefaultNetworkAcl", {
      defaultNetworkAclId: this.resource.defaultNetworkAclId,
      subnetIds: [...this.publicSubnetIds, ...this.privateSubnetIds],
      ingress: allowAll(ANYWHERE),
      egress: allowAll(ANYWHERE),
      tags: { Name: `${name}-public-private` },
    });
    // Isolated subnets talk to the VPC only, even if someone adds a route out by hand.
    new NetworkAcl(this, "IsolatedNetworkAcl", {
      vpcId: this.vpcId,
      subnetIds: [...this.isolatedSubnetIds],
      ingress: allowAll(props.cidr),
      egress: allowAll(props.cidr),
      tags: { Name: `${name}-isolated` },
    });
  }

  /** The region's first `count` available zones; the plan stops with a clear message when it has fewer. */
  private lookUpZones(count: number): string[] {
    const zones = new DataAwsAvailabilityZones(this, "Zones", {
      state: "available",
      // Local Zones and Wavelength Zones are opt-in and lack most services.
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
      lifecycle: {
        postcondition: [
          {
            condition: `\${length(self.names) >= ${count}}`,
            errorMessage: `network.azCount is ${count} but the region has fewer available availability zones`,
          },
        ],
      },
    });
    return Array.from({ length: count }, (_, i) => Fn.element(zones.names, i));
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
