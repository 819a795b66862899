// modules/store-security-group: a data store's group admits the client group on one port, and nothing else.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import {
  StoreSecurityGroup,
  type StoreSecurityGroupProps,
} from "../../modules/store-security-group/store-security-group.ts";
import { FAKE_NETWORK, moduleStack, onlyResource, synthJson } from "../helpers.ts";

const MINIMAL: StoreSecurityGroupProps = {
  name: "shop-test-db-main",
  storeDescription: "PostgreSQL main",
  vpcId: FAKE_NETWORK.vpcId,
  clientSecurityGroupId: "sg-client",
  port: 5432,
};

const group = (props: Partial<StoreSecurityGroupProps> = {}) =>
  moduleStack((s) => new StoreSecurityGroup(s, "Group", { ...MINIMAL, ...props }));

describe("StoreSecurityGroup", () => {
  it("has no inline rules, so Terraform removes the default egress, and revokes its rules on delete", () => {
    const sg = onlyResource(synthJson(group()), SecurityGroup.tfResourceType);
    expect(sg).toMatchObject({
      name: "shop-test-db-main",
      vpc_id: FAKE_NETWORK.vpcId,
      revoke_rules_on_delete: true,
    });
    expect(sg).not.toHaveProperty("ingress");
    expect(sg).not.toHaveProperty("egress");
  });

  it("admits the client group on the store's port, and lets the client group reach only that port", () => {
    // GIVEN / WHEN a store group on 5432
    const json = synthJson(group());
    // THEN
    expect(onlyResource(json, VpcSecurityGroupIngressRule.tfResourceType)).toMatchObject({
      ip_protocol: "tcp",
      from_port: 5432,
      to_port: 5432,
      referenced_security_group_id: "sg-client",
    });
    expect(onlyResource(json, VpcSecurityGroupEgressRule.tfResourceType)).toMatchObject({
      security_group_id: "sg-client",
      from_port: 5432,
      to_port: 5432,
      referenced_security_group_id: expect.stringMatching(/^\$\{aws_security_group\.Group_[0-9A-F]+\.id\}$/),
    });
  });

  it.each([0, 65536, 5432.5])("refuses port %s", (port) => {
    expect(() => group({ port })).toThrow(`test/Group: port ${port} is not a TCP port`);
  });
});
