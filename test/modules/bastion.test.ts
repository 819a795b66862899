// modules/bastion: an Amazon Linux 2023 host reached with Session Manager, or SSH from listed CIDRs only.
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Bastion, type BastionProps } from "../../modules/bastion/bastion.ts";
import { FAKE_NETWORK, itRefuses, moduleBuilder, TEST_REGION } from "../helpers.ts";

const MINIMAL: BastionProps = {
  name: "shop-test-bastion",
  vpcId: FAKE_NETWORK.vpcId,
  vpcCidr: FAKE_NETWORK.vpcCidr,
  subnetId: FAKE_NETWORK.privateSubnetIds[0]!,
  instanceType: "t3.micro",
  access: { mode: "ssm" },
  region: TEST_REGION,
};
const bastion = moduleBuilder((s, p) => new Bastion(s, "Bastion", p), MINIMAL);

it("has no inbound rule and no public IP, requires IMDSv2 and encrypts its root volume in ssm mode", () => {
  // GIVEN / WHEN an ssm bastion with minimal props
  const built = bastion();
  // THEN
  expect(built.all(VpcSecurityGroupIngressRule)).toEqual([]);
  expect(built.one(Instance)).toMatchObject({
    associate_public_ip_address: false,
    metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
    root_block_device: { encrypted: true, volume_type: "gp3", delete_on_termination: true },
  });
  expect(built.one(Instance).root_block_device).not.toHaveProperty("volume_size");
});

it("gives its role only the SSM managed-instance policy", () => {
  const built = bastion();
  expect(built.all(IamRolePolicyAttachment).map((a) => a.policy_arn)).toEqual([
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  ]);
  expect(built.all(IamRolePolicy)).toEqual([]);
});

it("runs the x86_64 image on Intel and AMD types and the arm64 image on Graviton types", () => {
  const image = (arch: string) => ({
    name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
  });
  expect(bastion().text).toHaveDataSourceWithProperties(DataAwsSsmParameter, image("x86_64"));
  expect(bastion({ instanceType: "t4g.nano" }).text).toHaveDataSourceWithProperties(
    DataAwsSsmParameter,
    image("arm64"),
  );
});

it("admits SSH from each listed CIDR only, with a public IP and the key it is given, in ssh mode", () => {
  const built = bastion({
    access: { mode: "ssh", allowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"], keyName: "ops" },
  });
  expect(built.all(VpcSecurityGroupIngressRule).map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([
    [22, 22, "203.0.113.0/24"],
    [22, 22, "198.51.100.7/32"],
  ]);
  expect(built.one(Instance)).toMatchObject({ associate_public_ip_address: true, key_name: "ops" });
});

itRefuses(bastion, "test/Bastion", [
  [
    "ssh mode without an allowed CIDR",
    { access: { mode: "ssh", allowedCidrs: [] } },
    "ssh mode needs at least one allowed CIDR",
  ],
  [
    "ssh mode open to the whole internet",
    { access: { mode: "ssh", allowedCidrs: ["10.0.0.0/8", "0.0.0.0/0"] } },
    "ssh mode refuses 0.0.0.0/0: it opens port 22 to the whole internet",
  ],
]);
