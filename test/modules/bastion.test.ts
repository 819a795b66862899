// modules/bastion: an Amazon Linux 2023 host reached with Session Manager, or SSH from listed CIDRs only.
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Bastion, type BastionProps } from "../../modules/bastion/bastion.ts";
import {
  FAKE_NETWORK,
  moduleStack,
  onlyResource,
  resourcesOf,
  synth,
  synthJson,
  TEST_REGION,
} from "../helpers.ts";

const MINIMAL: BastionProps = {
  name: "shop-test-bastion",
  vpcId: FAKE_NETWORK.vpcId,
  vpcCidr: FAKE_NETWORK.vpcCidr,
  subnetId: FAKE_NETWORK.privateSubnetIds[0]!,
  instanceType: "t3.micro",
  access: { mode: "ssm" },
  region: TEST_REGION,
};

const bastion = (props: Partial<BastionProps> = {}) =>
  moduleStack((s) => new Bastion(s, "Bastion", { ...MINIMAL, ...props }));

describe("Bastion", () => {
  it("has no inbound rule and no public IP, requires IMDSv2 and encrypts its root volume in ssm mode", () => {
    // GIVEN / WHEN an ssm bastion with minimal props
    const json = synthJson(bastion());
    // THEN
    expect(resourcesOf(json, VpcSecurityGroupIngressRule.tfResourceType)).toEqual({});
    expect(onlyResource(json, Instance.tfResourceType)).toMatchObject({
      associate_public_ip_address: false,
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
      root_block_device: { encrypted: true, volume_type: "gp3" },
    });
    expect(onlyResource(json, Instance.tfResourceType).root_block_device).not.toHaveProperty("volume_size");
  });

  it("runs the x86_64 image on Intel and AMD types and the arm64 image on Graviton types", () => {
    expect(synth(bastion())).toHaveDataSourceWithProperties(DataAwsSsmParameter, {
      name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    });
    expect(synth(bastion({ instanceType: "t4g.nano" }))).toHaveDataSourceWithProperties(DataAwsSsmParameter, {
      name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    });
  });

  it("admits SSH from each listed CIDR only, with a public IP and the key it is given, in ssh mode", () => {
    const json = synthJson(
      bastion({
        access: { mode: "ssh", allowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"], keyName: "ops" },
      }),
    );
    expect(
      Object.values(resourcesOf(json, VpcSecurityGroupIngressRule.tfResourceType)).map((r) => [
        r.from_port,
        r.to_port,
        r.cidr_ipv4,
      ]),
    ).toEqual([
      [22, 22, "203.0.113.0/24"],
      [22, 22, "198.51.100.7/32"],
    ]);
    expect(onlyResource(json, Instance.tfResourceType)).toMatchObject({
      associate_public_ip_address: true,
      key_name: "ops",
    });
  });

  it("refuses ssh mode without an allowed CIDR", () => {
    expect(() => bastion({ access: { mode: "ssh", allowedCidrs: [] } })).toThrow(
      "test/Bastion: ssh mode needs at least one allowed CIDR",
    );
  });

  it("refuses ssh mode open to the whole internet", () => {
    expect(() => bastion({ access: { mode: "ssh", allowedCidrs: ["10.0.0.0/8", "0.0.0.0/0"] } })).toThrow(
      "test/Bastion: ssh mode refuses 0.0.0.0/0: it opens port 22 to the whole internet",
    );
  });
});
