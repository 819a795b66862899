// A hardened bastion host: Session Manager only (no inbound port), or SSH from listed CIDRs.
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { assumeRolePolicy, dnsSuffixOf, partitionOf } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";

/** How people reach the bastion. */
export type BastionAccess =
  | { readonly mode: "ssm" }
  | { readonly mode: "ssh"; readonly allowedCidrs: readonly string[]; readonly keyName?: string };

export interface BastionProps {
  /** Name of the instance, role and security group, e.g. `shop-prod-bastion`. */
  readonly name: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Private subnet for `ssm`, public subnet for `ssh`. */
  readonly subnetId: string;
  readonly instanceType: string;
  readonly access: BastionAccess;
  readonly region: string;
  /** Root volume size in GiB. @default - the AMI's own (8 GiB for Amazon Linux 2023) */
  readonly rootVolumeGiB?: number;
}

/** Public SSM parameters with the latest Amazon Linux 2023 AMI, by CPU architecture. */
const AMI_PARAMETER = {
  x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
  arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
} as const;

/** Graviton families carry a `g` after the generation digit: t4g, m7g, c7gn, r8g… */
const GRAVITON = /^[a-z]+\d+g[a-z]*\./;

/**
 * An Amazon Linux 2023 instance with IMDSv2 required, an encrypted root volume and only the SSM managed-instance
 * policy. In `ssm` mode it has no inbound rule at all; in `ssh` mode it admits port 22 from the listed CIDRs.
 * It is replaced when a newer AMI is published: it holds no state, and a fresh instance is a patched one.
 */
export class Bastion extends Construct {
  public readonly resource: Instance;
  public readonly securityGroup: SecurityGroup;
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    const { access, name } = props;
    if (access.mode === "ssh") {
      if (access.allowedCidrs.length === 0)
        throw new ModuleError(this, "ssh mode needs at least one allowed CIDR");
      const open = access.allowedCidrs.find((c) => c.endsWith("/0"));
      if (open)
        throw new ModuleError(this, `ssh mode refuses ${open}: it opens port 22 to the whole internet`);
    }
    const arch = GRAVITON.test(props.instanceType) ? "arm64" : "x86_64";

    const ami = new DataAwsSsmParameter(this, "Ami", { name: AMI_PARAMETER[arch] });

    this.role = new IamRole(this, "Role", {
      name,
      description: "Bastion: Session Manager only",
      assumeRolePolicy: assumeRolePolicy(`ec2.${dnsSuffixOf(props.region)}`),
    });
    new IamRolePolicyAttachment(this, "SsmCore", {
      role: this.role.name,
      policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    const profile = new IamInstanceProfile(this, "Profile", { name, role: this.role.name });

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name,
      description:
        access.mode === "ssm"
          ? "Bastion: no inbound, Session Manager only"
          : "Bastion: SSH from listed CIDRs",
      vpcId: props.vpcId,
      tags: { Name: name },
    });
    new VpcSecurityGroupEgressRule(this.securityGroup, "HttpsOut", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS to Session Manager, package repositories and AWS APIs",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupEgressRule(this.securityGroup, "TcpToVpc", {
      securityGroupId: this.securityGroup.id,
      description: "TCP to hosts in the VPC (port forwarding to databases)",
      ipProtocol: "tcp",
      fromPort: 0,
      toPort: 65535,
      cidrIpv4: props.vpcCidr,
    });
    if (access.mode === "ssh")
      access.allowedCidrs.forEach(
        (cidr, i) =>
          new VpcSecurityGroupIngressRule(this.securityGroup, `Ssh${i + 1}`, {
            securityGroupId: this.securityGroup.id,
            description: `SSH from ${cidr}`,
            ipProtocol: "tcp",
            fromPort: 22,
            toPort: 22,
            cidrIpv4: cidr,
          }),
      );

    this.resource = new Instance(this, "Resource", {
      // The AMI id is public; insecure_value keeps the plan readable (value is marked sensitive).
      ami: ami.insecureValue,
      instanceType: props.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [this.securityGroup.id],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: access.mode === "ssh",
      ...(access.mode === "ssh" && access.keyName ? { keyName: access.keyName } : {}),
      monitoring: true,
      ebsOptimized: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      rootBlockDevice: {
        encrypted: true,
        volumeType: "gp3",
        deleteOnTermination: true,
        ...(props.rootVolumeGiB ? { volumeSize: props.rootVolumeGiB } : {}),
      },
      tags: { Name: name },
    });
  }
}
