// The role RDS enhanced monitoring assumes to publish OS metrics to CloudWatch Logs.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { assumeRolePolicy, dnsSuffixOf, partitionOf } from "../core/aws.ts";

export interface RdsMonitoringRoleProps {
  readonly roleName: string;
  readonly region: string;
  readonly accountId: string;
}

/** Enhanced-monitoring role for RDS, Aurora and DocumentDB instances of one stack. */
export class RdsMonitoringRole extends Construct {
  public readonly resource: IamRole;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: RdsMonitoringRoleProps) {
    super(scope, id);
    this.resource = new IamRole(this, "Resource", {
      name: props.roleName,
      description: "RDS enhanced monitoring publishes OS metrics with this role",
      // Only RDS of this account may assume it (confused-deputy guard).
      assumeRolePolicy: assumeRolePolicy(`monitoring.rds.${dnsSuffixOf(props.region)}`, {
        StringEquals: { "aws:SourceAccount": props.accountId },
      }),
    });
    new IamRolePolicyAttachment(this, "Policy", {
      role: this.resource.name,
      policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
    this.arn = this.resource.arn;
  }
}
