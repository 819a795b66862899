// modules/store-security-group: a data store's group admits the client group on one port, and nothing else.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import {
  StoreSecurityGroup,
  type StoreSecurityGroupProps,
} from "../../modules/store-security-group/store-security-group.ts";
import { FAKE_NETWORK, itRefuses, moduleBuilder } from "../helpers.ts";

const MINIMAL: StoreSecurityGroupProps = {
  name: "shop-test-db-main",
  storeDescription: "PostgreSQL main",
  vpcId: FAKE_NETWORK.vpcId,
  clientSecurityGroupId: "sg-client",
  port: 5432,
};

const group = moduleBuilder((s, p) => new StoreSecurityGroup(s, "Group", p), MINIMAL);

it("has no inline rules, so Terraform removes the default egress, and revokes its rules on delete", () => {
  const sg = group().one(SecurityGroup);
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
  const built = group();
  // THEN
  expect(built.one(VpcSecurityGroupIngressRule)).toMatchObject({
    ip_protocol: "tcp",
    from_port: 5432,
    to_port: 5432,
    referenced_security_group_id: "sg-client",
  });
  expect(built.one(VpcSecurityGroupEgressRule)).toMatchObject({
    security_group_id: "sg-client",
    from_port: 5432,
    to_port: 5432,
    referenced_security_group_id: expect.stringMatching(/^\$\{aws_security_group\.Group_[0-9A-F]+\.id\}$/),
  });
});

itRefuses(
  group,
  "test/Group",
  [0, 65536, 5432.5].map((port) => [`port ${port}`, { port }, `port ${port} is not a TCP port`] as const),
);
