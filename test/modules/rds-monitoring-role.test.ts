// modules/rds-monitoring-role: the role RDS enhanced monitoring assumes, for this account only.
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { RdsMonitoringRole } from "../../modules/rds-monitoring-role/rds-monitoring-role.ts";
import { onlyResource, synth, synthJson, TEST_ACCOUNT, TEST_REGION, testStack } from "../helpers.ts";

describe("RdsMonitoringRole", () => {
  it("is assumable only by RDS monitoring of this account, with the AWS managed policy", () => {
    // GIVEN a stack WHEN the role is added
    const stack = testStack();
    new RdsMonitoringRole(stack, "Monitoring", {
      roleName: "shop-test-rds-monitoring",
      region: TEST_REGION,
      accountId: TEST_ACCOUNT,
    });
    // THEN
    const role = onlyResource(synthJson(stack), IamRole.tfResourceType);
    expect(role.name).toBe("shop-test-rds-monitoring");
    expect(JSON.parse(role.assume_role_policy as string)).toMatchObject({
      Statement: [
        {
          Principal: { Service: "monitoring.rds.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": TEST_ACCOUNT } },
        },
      ],
    });
    expect(synth(stack)).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    });
  });

  it("uses the GovCloud partition in a GovCloud region", () => {
    const stack = testStack();
    new RdsMonitoringRole(stack, "Monitoring", {
      roleName: "r",
      region: "us-gov-west-1",
      accountId: TEST_ACCOUNT,
    });
    expect(synth(stack)).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: "arn:aws-us-gov:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    });
  });
});
