// modules/rds-monitoring-role: the role RDS enhanced monitoring assumes, for this account only.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { RdsMonitoringRole } from "../../modules/rds-monitoring-role/rds-monitoring-role.ts";
import { moduleBuilder, statementsOf, TEST_ACCOUNT, TEST_TARGET } from "../helpers.ts";

const role = moduleBuilder((s, p) => new RdsMonitoringRole(s, "Monitoring", p), {
  roleName: "shop-test-rds-monitoring",
  ...TEST_TARGET,
});
const policyArn = (partition: string) =>
  `arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`;

it("is assumable only by RDS monitoring of this account, with the AWS managed policy", () => {
  // GIVEN / WHEN the role in a commercial region
  const built = role();
  // THEN
  expect(built.one(IamRole).name).toBe("shop-test-rds-monitoring");
  expect(statementsOf(built.one(IamRole), "assume_role_policy")).toMatchObject([
    {
      Principal: { Service: "monitoring.rds.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": TEST_ACCOUNT } },
    },
  ]);
  expect(built.text).toHaveResourceWithProperties(IamRolePolicyAttachment, {
    policy_arn: policyArn("aws"),
  });
});

it("uses the GovCloud partition in a GovCloud region", () => {
  expect(role({ region: "us-gov-west-1" }).text).toHaveResourceWithProperties(IamRolePolicyAttachment, {
    policy_arn: policyArn("aws-us-gov"),
  });
});
