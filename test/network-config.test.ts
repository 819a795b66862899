// The `network:` section: production-grade defaults, and one positioned line for every kind of bad input.
import { expectTypeOf } from "vitest";
import { loadConfig } from "../environments/load.ts";
import type { EnvironmentConfig } from "../environments/schema.ts";
import { configProblems, DEV_YAML, envDir, SHARED_YAML } from "./helpers.ts";

// DEV_YAML is four lines: a `network:` section appended to it starts on line 5, its first key on line 6.
/** The environment files of a dev.yaml with this `network:` section. */
function withNetwork(section: string): Record<string, string> {
  return { "shared.yaml": SHARED_YAML, "dev.yaml": `${DEV_YAML}network:\n${section}` };
}

/** The network of a dev.yaml with this `network:` section. */
function network(section: string): EnvironmentConfig["network"] {
  return loadConfig(envDir(withNetwork(section))).environments[0]!.network;
}

/** The lines of the ConfigError that a dev.yaml with this `network:` section throws. */
function problems(section: string): string[] {
  return configProblems(withNetwork(section));
}

describe("the network section's defaults", () => {
  it("gives an environment without a network section a production-grade network", () => {
    const config = loadConfig(envDir({ "shared.yaml": SHARED_YAML, "dev.yaml": DEV_YAML }));
    expect(config.environments[0]!.network).toEqual({
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
  it("rejects a CIDR that is not one", () => {
    expect(problems("  cidr: 10.0.0.0/33\n")).toEqual([
      'dev.yaml:6:9 network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR (a.b.c.d/n)',
    ]);
  });

  it("rejects a CIDR with host bits set and names the network address", () => {
    expect(problems("  cidr: 10.0.0.1/16\n")).toEqual([
      'dev.yaml:6:9 network.cidr: "10.0.0.1/16" has host bits set; the network address of that block is 10.0.0.0/16',
    ]);
  });

  it("rejects a VPC larger than AWS allows", () => {
    expect(problems("  cidr: 10.0.0.0/8\n")).toEqual([
      'dev.yaml:6:9 network.cidr: "10.0.0.0/8" is a /8; a VPC must be /16 to /28',
    ]);
  });

  it("rejects a VPC prefix too small for the subnet tiers", () => {
    expect(problems("  cidr: 10.0.0.0/18\n")).toEqual([
      expect.stringMatching(
        /^dev\.yaml:6:9 network\.cidr: 10\.0\.0\.0\/18 has 16384 addresses but the subnet tiers need 27648 .*use a larger block or longer subnet prefixes$/,
      ),
    ]);
  });

  it("rejects a subnet prefix larger than the VPC, on the VPC's block", () => {
    expect(problems("  cidr: 10.0.0.0/20\n  subnets:\n    privatePrefix: 18\n")).toEqual([
      "dev.yaml:6:9 network.cidr: 10.0.0.0/20 is smaller than one private subnet (/18); use a larger block or set subnets.privatePrefix to /20 or more",
    ]);
  });

  it("rejects a subnet prefix AWS does not allow, once", () => {
    expect(problems("  subnets:\n    publicPrefix: 12\n")).toEqual([
      "dev.yaml:7:19 network.subnets.publicPrefix: 12 is out of range: must be at least 16",
    ]);
  });

  it.each([
    [1, "at least 2"],
    [7, "at most 6"],
  ])("rejects azCount %i", (count, bound) => {
    expect(problems(`  azCount: ${count}\n`)).toEqual([
      `dev.yaml:6:12 network.azCount: ${count} is out of range: must be ${bound}`,
    ]);
  });

  it("rejects a zone list whose length differs from azCount", () => {
    expect(problems("  azCount: 3\n  availabilityZones: [eu-west-1a, eu-west-1b]\n")).toEqual([
      "dev.yaml:7:22 network.availabilityZones: lists 2 zones but azCount is 3; list exactly one zone per AZ",
    ]);
  });

  it("rejects NAT none without the interface endpoints", () => {
    expect(problems("  nat:\n    mode: none\n  endpoints:\n    interface: [sts]\n")).toEqual([
      'dev.yaml:9:16 network.endpoints.interface: nat mode "none" needs interface endpoints ecr.api, ecr.dkr, logs (missing ecr.api, ecr.dkr, logs): without NAT, tasks reach AWS only through endpoints',
    ]);
  });

  it("rejects an ssm bastion without NAT when Session Manager has no endpoints", () => {
    expect(problems("  nat: { mode: none }\n  bastion: { mode: ssm }\n")).toEqual([
      "dev.yaml:7:20 network.bastion.mode: an ssm bastion without NAT needs interface endpoints ssm, ssmmessages, ec2messages (missing ssmmessages, ec2messages)",
    ]);
  });

  it("rejects an unknown NAT mode and names the allowed ones", () => {
    expect(problems("  nat:\n    mode: perAZ\n")).toEqual([
      'dev.yaml:7:11 network.nat.mode: "perAZ" is not a NAT mode; use perAz, single or none',
    ]);
  });

  it("rejects an ssh bastion open to the world", () => {
    expect(problems("  bastion:\n    mode: ssh\n    allowedCidrs: [203.0.113.0/24, 0.0.0.0/0]\n")).toEqual([
      'dev.yaml:8:36 network.bastion.allowedCidrs.1: "0.0.0.0/0" opens SSH to the whole internet; list your office or VPN CIDRs, or use mode: ssm',
    ]);
  });

  it("rejects an ssh bastion without source CIDRs", () => {
    expect(problems("  bastion:\n    mode: ssh\n    allowedCidrs: []\n")).toEqual([
      "dev.yaml:8:19 network.bastion.allowedCidrs: list at least one source CIDR for SSH",
    ]);
  });

  it("rejects a flow-log retention CloudWatch Logs does not offer", () => {
    expect(problems("  flowLogs:\n    retentionDays: 100\n")).toEqual([
      expect.stringMatching(
        /^dev\.yaml:7:20 network\.flowLogs\.retentionDays: 100 is not a CloudWatch Logs retention/,
      ),
    ]);
  });

  it("suggests the right key for a misspelt one", () => {
    expect(problems("  azcount: 2\n")).toEqual([
      'dev.yaml:6:3 network.azcount: unknown key; did you mean "azCount"?',
    ]);
  });
});
