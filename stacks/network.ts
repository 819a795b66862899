// `<env>-network`: the environment's VPC, subnet tiers, NAT, endpoints, flow logs and optional bastion.
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { NetworkConfig } from "../environments/sections/network.ts";
import { allowCheck, allowShortRetention } from "../guardrails/exceptions.ts";
import { Bastion } from "../modules/bastion/bastion.ts";
import { resourceName } from "../modules/core/naming.ts";
import { FlowLogs } from "../modules/flow-logs/flow-logs.ts";
import { VpcEndpoints } from "../modules/vpc-endpoints/vpc-endpoints.ts";
import { Vpc } from "../modules/vpc/vpc.ts";
import type { NetworkOutputs } from "./contracts.ts";
import { BaseStack, type StackFrameProps } from "./base-stack.ts";

export interface NetworkStackProps {
  readonly frame: StackFrameProps;
  /** The environment's `network:` section. */
  readonly config: NetworkConfig;
}

/** The network every other stack of the environment stands in. */
export class NetworkStack extends BaseStack {
  public readonly vpc: Vpc;
  public readonly endpoints: VpcEndpoints;
  public readonly flowLogs: FlowLogs;
  public readonly bastion?: Bastion;
  public readonly outputs: NetworkOutputs;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props.frame);
    const { config, frame } = props;
    const { protect } = this;
    const name = resourceName(this.names, "network");

    this.vpc = new Vpc(this, "Vpc", {
      name,
      cidr: config.cidr,
      azCount: config.azCount,
      ...(config.availabilityZones ? { availabilityZones: config.availabilityZones } : {}),
      subnetPrefixes: {
        public: config.subnets.publicPrefix,
        private: config.subnets.privatePrefix,
        isolated: config.subnets.isolatedPrefix,
      },
      natMode: config.nat.mode,
      mapPublicIpOnLaunch: config.subnets.mapPublicIpOnLaunch,
    });
    const vpc = this.vpc;

    this.endpoints = new VpcEndpoints(this, "Endpoints", {
      name,
      vpcId: vpc.vpcId,
      vpcCidr: config.cidr,
      region: frame.region,
      gatewayServices: config.endpoints.gateway,
      // Isolated subnets stay VPC-only: their network ACL would drop the endpoint's public S3/DynamoDB ranges.
      routeTableIds: vpc.privateRouteTableIds,
      interfaceServices: config.endpoints.interface,
      subnetIds: vpc.privateSubnetIds,
    });

    const flow = config.flowLogs;
    const flowName = resourceName(this.names, ["network", "flow-logs"]);
    this.flowLogs = new FlowLogs(this, "FlowLogs", {
      vpcId: vpc.vpcId,
      destination:
        flow.destination === "cloudWatchLogs"
          ? { kind: "cloudWatchLogs", logGroupName: flowName, retentionDays: flow.retentionDays }
          : {
              kind: "s3",
              // Bucket names are global: the account and region keep this one unique.
              bucketName: resourceName(this.names, ["flow-logs", frame.account.id, frame.region]),
              retentionDays: flow.retentionDays,
            },
      trafficType: flow.trafficType,
      keyAlias: flowName,
      accountId: frame.account.id,
      region: frame.region,
      protect,
    });
    if (this.flowLogs.logGroup)
      allowShortRetention(
        this.flowLogs.logGroup,
        flow.retentionDays,
        `flow-log retention is set to ${flow.retentionDays} days by network.flowLogs.retentionDays in this environment's file; the schema default is a year`,
      );

    if (config.subnets.mapPublicIpOnLaunch)
      vpc.publicSubnets.forEach((s) =>
        allowCheck(
          s,
          "CKV_AWS_130",
          "public IPs on launch are asked for by network.subnets.mapPublicIpOnLaunch",
        ),
      );

    if (config.bastion) {
      const b = config.bastion;
      this.bastion = new Bastion(this, "Bastion", {
        name: resourceName(this.names, "bastion"),
        vpcId: vpc.vpcId,
        vpcCidr: config.cidr,
        subnetId: b.mode === "ssh" ? vpc.publicSubnetIds[0]! : vpc.privateSubnetIds[0]!,
        instanceType: b.instanceType,
        access:
          b.mode === "ssh"
            ? { mode: "ssh", allowedCidrs: b.allowedCidrs, ...(b.keyName ? { keyName: b.keyName } : {}) }
            : { mode: "ssm" },
        region: frame.region,
      });
      if (b.mode === "ssh")
        allowCheck(
          this.bastion.resource,
          "CKV_AWS_88",
          "an ssh-mode bastion is reached from the listed source CIDRs over the internet, so it needs a public IP",
        );
      new TerraformOutput(this, "bastion_instance_id", {
        value: this.bastion.resource.id,
        description:
          b.mode === "ssm"
            ? "aws ssm start-session --target <this id>"
            : "SSH to the bastion's public IP with your key",
      });
    }

    new TerraformOutput(this, "vpc_id", { value: vpc.vpcId });
    this.outputs = {
      vpcId: vpc.vpcId,
      vpcCidr: vpc.cidr,
      availabilityZones: vpc.availabilityZones,
      publicSubnetIds: vpc.publicSubnetIds,
      privateSubnetIds: vpc.privateSubnetIds,
      isolatedSubnetIds: vpc.isolatedSubnetIds,
      privateRouteTableIds: vpc.privateRouteTableIds,
      isolatedRouteTableIds: vpc.isolatedRouteTableIds,
      ...(this.endpoints.securityGroup ? { endpointSecurityGroupId: this.endpoints.securityGroup.id } : {}),
      ...(this.bastion ? { bastionSecurityGroupId: this.bastion.securityGroup.id } : {}),
    };
  }
}
