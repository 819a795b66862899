// Gateway and interface VPC endpoints, with a security group that admits only HTTPS from inside the VPC.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint, type VpcEndpointConfig } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";

export interface VpcEndpointsProps {
  /** Prefix of the Name tags and the security group name. */
  readonly name: string;
  readonly vpcId: string;
  /** The VPC's CIDR: the only source the interface endpoints admit. */
  readonly vpcCidr: string;
  readonly region: string;
  /** Gateway endpoint services, e.g. `s3`, `dynamodb`. */
  readonly gatewayServices: readonly string[];
  /** Route tables the gateway endpoints are added to. */
  readonly routeTableIds: readonly string[];
  /** Interface endpoint services, e.g. `ecr.api`, `logs`. */
  readonly interfaceServices: readonly string[];
  /** One subnet per AZ for the interface endpoints' network interfaces. */
  readonly subnetIds: readonly string[];
}

/** What differs between a gateway endpoint (route tables) and an interface endpoint (subnets, group, DNS). */
type EndpointSpecifics = Pick<
  VpcEndpointConfig,
  "routeTableIds" | "subnetIds" | "securityGroupIds" | "privateDnsEnabled"
>;

/** Endpoints keep AWS API traffic inside the VPC: cheaper than NAT for S3 and ECR, and required without NAT. */
export class VpcEndpoints extends Construct {
  /** Endpoint id by service name. */
  public readonly endpointIds: Readonly<Record<string, string>>;
  /** The interface endpoints' security group, when there is any interface endpoint. */
  public readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const all = [...props.gatewayServices, ...props.interfaceServices];
    const twice = all.find((s, i) => all.indexOf(s) !== i);
    if (twice) throw new ModuleError(this, `service "${twice}" is requested twice`);
    if (props.interfaceServices.length > 0 && props.subnetIds.length === 0)
      throw new ModuleError(this, "interface endpoints need at least one subnet");

    const idOf = (s: string) => s.replace(/(^|[.-])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
    const ids: Record<string, string> = {};
    /** One endpoint of service `s` under `group`, with its type's own settings. */
    const endpoint = (
      group: Construct,
      type: "Gateway" | "Interface",
      s: string,
      config: EndpointSpecifics,
    ) => {
      ids[s] = new VpcEndpoint(group, idOf(s), {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${s}`,
        vpcEndpointType: type,
        ...config,
        tags: { Name: `${props.name}-${s}` },
      }).id;
    };

    const gateways = new Construct(this, "Gateway");
    for (const s of props.gatewayServices)
      endpoint(gateways, "Gateway", s, { routeTableIds: [...props.routeTableIds] });

    if (props.interfaceServices.length > 0) {
      this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
        name: `${props.name}-endpoints`,
        description: "Interface VPC endpoints: HTTPS from inside the VPC only",
        vpcId: props.vpcId,
        tags: { Name: `${props.name}-endpoints` },
      });
      new VpcSecurityGroupIngressRule(this.securityGroup, "HttpsFromVpc", {
        securityGroupId: this.securityGroup.id,
        description: "HTTPS from inside the VPC",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: props.vpcCidr,
      });
      // No egress rule: endpoint interfaces only answer, they never open connections.
      const interfaces = new Construct(this, "Interface");
      for (const s of props.interfaceServices)
        endpoint(interfaces, "Interface", s, {
          subnetIds: [...props.subnetIds],
          securityGroupIds: [this.securityGroup.id],
          privateDnsEnabled: true,
        });
    }
    this.endpointIds = ids;
  }
}
