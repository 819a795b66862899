// The `network:` section: production-grade defaults, and one positioned line for every kind of bad input.
import { expectTypeOf } from "vitest";
import type { EnvironmentConfig } from "../environments/schema.ts";
import { devFiles, lines } from "./helpers.ts";

// DEV_YAML is four lines: a `network:` section appended to it starts on line 5, its first key on line 6.
const { env, problems } = devFiles("network:\n");
/** The network of a dev.yaml with this `network:` section. */
const network = (section: string) => env(section).network;

describe("the network section's defaults", () => {
  it("gives an environment without a network section a production-grade network", () => {
    expect(devFiles().env("").network).toEqual({
      cidr: "10.0.0.0/16",
      azCount: 3,
      subnets: { publicPrefix: 24, privatePrefix: 20, isolatedPrefix: 24, mapPublicIpOnLaunch: false },
      nat: { mode: "perAz" },
      endpoints: {
        gateway: ["s3", "dynamodb"],
        interface: ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "sts"],
      },
      flowLogs: { destination: "cloudWatchLogs", retentionDays: 365, trafficType: "ALL" },
    });
  });

  it("makes a bastion section without a mode an ssm bastion", () => {
    expect(network("  bastion: {}\n").bastion).toEqual({ mode: "ssm", instanceType: "t3.micro" });
  });

  it("accepts an ssh bastion restricted to listed CIDRs", () => {
    expect(network("  bastion:\n    mode: ssh\n    allowedCidrs: [203.0.113.0/24]\n").bastion).toEqual({
      mode: "ssh",
      instanceType: "t3.micro",
      allowedCidrs: ["203.0.113.0/24"],
    });
  });

  it("accepts NAT none when the required interface endpoints are kept", () => {
    expect(network("  nat: { mode: none }\n").nat.mode).toBe("none");
  });

  it("types the NAT and bastion modes as unions", () => {
    expectTypeOf<EnvironmentConfig["network"]["nat"]["mode"]>().toEqualTypeOf<"perAz" | "single" | "none">();
    expectTypeOf<NonNullable<EnvironmentConfig["network"]["bastion"]>["mode"]>().toEqualTypeOf<
      "ssm" | "ssh"
    >();
  });
});

describe("bad network input gets one line with file, line, column and key", () => {
  it.each<[string, string, string | RegExp]>([
    [
      "a CIDR that is not one",
      "  cidr: 10.0.0.0/33\n",
      'dev.yaml:6:9 network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR (a.b.c.d/n)',
    ],
    [
      "a CIDR with host bits set, naming the network address",
      "  cidr: 10.0.0.1/16\n",
      'dev.yaml:6:9 network.cidr: "10.0.0.1/16" has host bits set; the network address of that block is 10.0.0.0/16',
    ],
    [
      "a VPC larger than AWS allows",
      "  cidr: 10.0.0.0/8\n",
      'dev.yaml:6:9 network.cidr: "10.0.0.0/8" is a /8; a VPC must be /16 to /28',
    ],
    [
      "a VPC prefix too small for the subnet tiers",
      "  cidr: 10.0.0.0/18\n",
      /^dev\.yaml:6:9 network\.cidr: 10\.0\.0\.0\/18 has 16384 addresses but the subnet tiers need 27648 .*use a larger block or longer subnet prefixes$/,
    ],
    [
      "a subnet prefix larger than the VPC, on the VPC's block",
      "  cidr: 10.0.0.0/20\n  subnets:\n    privatePrefix: 18\n",
      "dev.yaml:6:9 network.cidr: 10.0.0.0/20 is smaller than one private subnet (/18); use a larger block or set subnets.privatePrefix to /20 or more",
    ],
    [
      "a subnet prefix AWS does not allow, once",
      "  subnets:\n    publicPrefix: 12\n",
      "dev.yaml:7:19 network.subnets.publicPrefix: 12 is out of range: must be at least 16",
    ],
    ["azCount 1", "  azCount: 1\n", "dev.yaml:6:12 network.azCount: 1 is out of range: must be at least 2"],
    ["azCount 7", "  azCount: 7\n", "dev.yaml:6:12 network.azCount: 7 is out of range: must be at most 6"],
    [
      "a zone list whose length differs from azCount",
      "  azCount: 3\n  availabilityZones: [eu-west-1a, eu-west-1b]\n",
      "dev.yaml:7:22 network.availabilityZones: lists 2 zones but azCount is 3; list exactly one zone per AZ",
    ],
    [
      "NAT none without the interface endpoints",
      "  nat:\n    mode: none\n  endpoints:\n    interface: [sts]\n",
      'dev.yaml:9:16 network.endpoints.interface: nat mode "none" needs interface endpoints ecr.api, ecr.dkr, logs (missing ecr.api, ecr.dkr, logs): without NAT, tasks reach AWS only through endpoints',
    ],
    [
      "an ssm bastion without NAT when Session Manager has no endpoints",
      "  nat: { mode: none }\n  bastion: { mode: ssm }\n",
      "dev.yaml:7:20 network.bastion.mode: an ssm bastion without NAT needs interface endpoints ssm, ssmmessages, ec2messages (missing ssmmessages, ec2messages)",
    ],
    [
      "an unknown NAT mode, naming the allowed ones",
      "  nat:\n    mode: perAZ\n",
      'dev.yaml:7:11 network.nat.mode: "perAZ" is not a NAT mode; use perAz, single or none',
    ],
    [
      "an ssh bastion open to the world",
      "  bastion:\n    mode: ssh\n    allowedCidrs: [203.0.113.0/24, 0.0.0.0/0]\n",
      'dev.yaml:8:36 network.bastion.allowedCidrs.1: "0.0.0.0/0" opens SSH to the whole internet; list your office or VPN CIDRs, or use mode: ssm',
    ],
    [
      "an ssh bastion without source CIDRs",
      "  bastion:\n    mode: ssh\n    allowedCidrs: []\n",
      "dev.yaml:8:19 network.bastion.allowedCidrs: list at least one source CIDR for SSH",
    ],
    [
      "a flow-log retention CloudWatch Logs does not offer",
      "  flowLogs:\n    retentionDays: 100\n",
      /^dev\.yaml:7:20 network\.flowLogs\.retentionDays: 100 is not a CloudWatch Logs retention/,
    ],
    [
      "a misspelt key, suggesting the right one",
      "  azcount: 2\n",
      'dev.yaml:6:3 network.azcount: unknown key; did you mean "azCount"?',
    ],
  ])("rejects %s", (_, section, line) => {
    expect(problems(section)).toEqual(lines(line));
  });
});
