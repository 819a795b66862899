// The security group of one data store: it admits the application's client group (and the bastion's, when there is
// one) on the store's port, nothing else.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";

export interface StoreSecurityGroupProps {
  /** Physical name of the group. */
  readonly name: string;
  /** What the store is, for the group and rule descriptions (e.g. "PostgreSQL main"). */
  readonly storeDescription: string;
  readonly vpcId: string;
  /** The group the application attaches. */
  readonly clientSecurityGroupId: string;
  /** The bastion's group, admitted too so operators can port-forward to the store. @default - none */
  readonly bastionSecurityGroupId?: string;
  readonly port: number;
}

/**
 * A store's security group with one ingress rule from the client group, and the matching egress rule on the
 * client group, so the client reaches exactly the stores and ports it was given. No egress from the store.
 */
export class StoreSecurityGroup extends Construct {
  public readonly resource: SecurityGroup;
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: StoreSecurityGroupProps) {
    super(scope, id);
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535)
      throw new ModuleError(this, `port ${props.port} is not a TCP port`);
    // No inline rules: Terraform then removes AWS's default allow-all egress, and the rules below own the group.
    this.resource = new SecurityGroup(this, "Resource", {
      name: props.name,
      description: `${props.storeDescription}: admits the application client group only`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    this.securityGroupId = this.resource.id;
    new VpcSecurityGroupIngressRule(this, "FromClient", {
      securityGroupId: this.resource.id,
      description: `${props.storeDescription} from the application client group`,
      ipProtocol: "tcp",
      fromPort: props.port,
      toPort: props.port,
      referencedSecurityGroupId: props.clientSecurityGroupId,
    });
    if (props.bastionSecurityGroupId)
      new VpcSecurityGroupIngressRule(this, "FromBastion", {
        securityGroupId: this.resource.id,
        description: `${props.storeDescription} from the bastion (port forwarding)`,
        ipProtocol: "tcp",
        fromPort: props.port,
        toPort: props.port,
        referencedSecurityGroupId: props.bastionSecurityGroupId,
      });
    new VpcSecurityGroupEgressRule(this, "ClientToStore", {
      securityGroupId: props.clientSecurityGroupId,
      description: `Application client to ${props.storeDescription}`,
      ipProtocol: "tcp",
      fromPort: props.port,
      toPort: props.port,
      referencedSecurityGroupId: this.resource.id,
    });
  }
}
