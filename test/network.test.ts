// `<env>-network`: subnet tiers, NAT per mode, routing, endpoints, flow logs, default SG and the bastion.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import type { z } from "zod";
import { NetworkSection } from "../environments/sections/network.ts";
import { frameFor } from "../stacks/app.ts";
import { NetworkStack } from "../stacks/network.ts";
import {
  addresses,
  exceptionsOf,
  idOf,
  onlyResource,
  resourcesOf,
  sampleApp,
  sampleConfig,
  sampleStack,
  stackOf,
  synthJson,
  testApp,
  type StackJson,
  values,
} from "./helpers.ts";

type Resources = Record<string, Record<string, unknown>>;

/** A network stack of the sample's prod frame with this `network:` section. */
function networkStack(section: z.input<typeof NetworkSection> = {}): NetworkStack {
  const config = sampleConfig();
  const env = config.environments.find((e) => e.name === "prod")!;
  return new NetworkStack(testApp(), "prod-network", {
    frame: frameFor(config, env),
    config: NetworkSection.parse(section),
  });
}

/** The logical id inside a `${type.id.attr}` reference. */
function ref(value: unknown): string {
  const m = /^\$\{[a-z0-9_]+\.([A-Za-z0-9_]+)\.[a-z_]+\}$/.exec(String(value));
  if (!m) throw new Error(`not a reference: ${String(value)}`);
  return m[1]!;
}

/** Subnets of one tier, by logical id (the Vpc module groups them under Public/Private/Isolated). */
function subnetsOf(json: StackJson, tier: "Public" | "Private" | "Isolated"): Resources {
  return Object.fromEntries(
    Object.entries(resourcesOf(json, "aws_subnet")).filter(([id]) => id.startsWith(`Vpc_${tier}_`)),
  );
}

/** Route tables (logical ids) of a tier, from their associations with that tier's subnets. */
function routeTablesOf(json: StackJson, tier: "Private" | "Isolated"): string[] {
  const subnets = subnetsOf(json, tier);
  return Object.values(resourcesOf(json, "aws_route_table_association"))
    .filter((a) => ref(a.subnet_id) in subnets)
    .map((a) => ref(a.route_table_id));
}

/** The 0.0.0.0/0 routes of a route table. */
function defaultRoutes(json: StackJson, table: string): Record<string, unknown>[] {
  return Object.values(resourcesOf(json, "aws_route")).filter(
    (r) => ref(r.route_table_id) === table && r.destination_cidr_block === "0.0.0.0/0",
  );
}

/** The AZ expression of the subnet a route table is associated with. */
function azOfTable(json: StackJson, table: string): unknown {
  const assoc = Object.values(resourcesOf(json, "aws_route_table_association")).find(
    (a) => ref(a.route_table_id) === table,
  )!;
  return resourcesOf(json, "aws_subnet")[ref(assoc.subnet_id)]!.availability_zone;
}

const built = sampleApp();
const prod = sampleStack("prod-network").json;
const dev = sampleStack("dev-network").json;
const test = sampleStack("test-network").json;

describe("the network stacks of the sample environments", () => {
  it("builds one network stack per environment, right after shared", () => {
    expect(built.stacks.map((s) => s.node.id).filter((id) => id.endsWith("-network"))).toEqual([
      "dev-network",
      "test-network",
      "prod-network",
    ]);
  });

  it("creates the VPC from the environment's CIDR with DNS support and hostnames on", () => {
    expect(sampleStack("prod-network").text).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.30.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it("keeps the Terraform addresses of the VPC and its subnets stable", () => {
    // "Resource" is left out of the readable part but kept in the hash: renaming a construct id fails here.
    expect(addresses(prod, "aws_vpc")).toEqual(["aws_vpc.Vpc_8378EB38"]);
    expect(addresses(prod, "aws_subnet")).toEqual([
      "aws_subnet.Vpc_Isolated_Az1_A28141B0",
      "aws_subnet.Vpc_Isolated_Az2_70EB13D4",
      "aws_subnet.Vpc_Isolated_Az3_9D361B1B",
      "aws_subnet.Vpc_Private_Az1_5AD18DA6",
      "aws_subnet.Vpc_Private_Az2_EF7E2179",
      "aws_subnet.Vpc_Private_Az3_06CBEE45",
      "aws_subnet.Vpc_Public_Az1_E5E6FEFC",
      "aws_subnet.Vpc_Public_Az2_4470233C",
      "aws_subnet.Vpc_Public_Az3_C68DB3E1",
    ]);
  });

  it("takes the zones from the region's available zones, one per AZ, when the file lists none", () => {
    const zones = Object.values(prod.data?.aws_availability_zones ?? {});
    expect(zones).toEqual([expect.objectContaining({ state: "available" })]);
    expect(Object.values(subnetsOf(prod, "Private")).map((s) => s.availability_zone)).toEqual([
      expect.stringMatching(/element\(data\.aws_availability_zones\.\w+\.names, 0\)/),
      expect.stringMatching(/element\(data\.aws_availability_zones\.\w+\.names, 1\)/),
      expect.stringMatching(/element\(data\.aws_availability_zones\.\w+\.names, 2\)/),
    ]);
  });

  it("publishes the outputs in AZ order, one entry per AZ", () => {
    const { outputs } = stackOf(built, "prod-network") as NetworkStack;
    for (const list of [
      outputs.availabilityZones,
      outputs.publicSubnetIds,
      outputs.privateSubnetIds,
      outputs.isolatedSubnetIds,
      outputs.privateRouteTableIds,
      outputs.isolatedRouteTableIds,
    ])
      expect(list).toHaveLength(3);
    expect(outputs.endpointSecurityGroupId).toBeDefined();
  });
});

describe("subnet tiers", () => {
  it.each([2, 3, 6])("creates one subnet per AZ in each tier for azCount %i", (azCount) => {
    const json = synthJson(networkStack({ azCount }));
    for (const tier of ["Public", "Private", "Isolated"] as const)
      expect(Object.keys(subnetsOf(json, tier))).toHaveLength(azCount);
  });

  it("puts each tier's subnets in distinct AZs", () => {
    for (const tier of ["Public", "Private", "Isolated"] as const) {
      const azs = Object.values(subnetsOf(prod, tier)).map((s) => s.availability_zone);
      expect(new Set(azs).size).toBe(3);
    }
  });

  it("uses the zones the file lists, in order", () => {
    const json = synthJson(networkStack({ azCount: 2, availabilityZones: ["eu-west-1c", "eu-west-1a"] }));
    expect(Object.values(subnetsOf(json, "Isolated")).map((s) => s.availability_zone)).toEqual([
      "eu-west-1c",
      "eu-west-1a",
    ]);
    expect(json.data?.aws_availability_zones).toBeUndefined();
  });

  it("carves the subnet CIDRs computed at synth time out of the VPC", () => {
    expect(Object.values(subnetsOf(prod, "Private")).map((s) => s.cidr_block)).toEqual([
      "10.30.0.0/20",
      "10.30.16.0/20",
      "10.30.32.0/20",
    ]);
  });

  it("does not give instances in public subnets a public IP unless asked", () => {
    for (const s of Object.values(resourcesOf(prod, "aws_subnet")))
      expect(s.map_public_ip_on_launch).toBe(false);
  });

  it("maps public IPs in public subnets only, when asked, and records the Checkov exception", () => {
    const stack = networkStack({ subnets: { mapPublicIpOnLaunch: true } });
    const json = synthJson(stack);
    for (const s of Object.values(subnetsOf(json, "Public"))) expect(s.map_public_ip_on_launch).toBe(true);
    for (const s of Object.values(subnetsOf(json, "Private"))) expect(s.map_public_ip_on_launch).toBe(false);
    const exceptions = exceptionsOf(stack, "aws_subnet");
    for (const id of Object.keys(subnetsOf(json, "Public"))) expect(exceptions[id]).toEqual(["CKV_AWS_130"]);
    for (const id of Object.keys(subnetsOf(json, "Private"))) expect(exceptions[id]).toEqual([]);
  });
});

describe("NAT and routing", () => {
  it.each([
    ["perAz", 3],
    ["single", 1],
    ["none", 0],
  ] as const)("creates NAT gateways for mode %s: %i over 3 AZs", (mode, count) => {
    const json = synthJson(networkStack({ azCount: 3, nat: { mode } }));
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(count);
    expect(Object.keys(resourcesOf(json, "aws_eip"))).toHaveLength(count);
  });

  it("places every NAT gateway in a public subnet", () => {
    const publics = subnetsOf(prod, "Public");
    for (const nat of Object.values(resourcesOf(prod, "aws_nat_gateway")))
      expect(ref(nat.subnet_id) in publics).toBe(true);
  });

  it("routes each private route table to the NAT gateway in its own AZ under perAz", () => {
    const tables = routeTablesOf(prod, "Private");
    expect(tables).toHaveLength(3);
    const nats = resourcesOf(prod, "aws_nat_gateway");
    const used = tables.map((table) => {
      const [route] = defaultRoutes(prod, table);
      const nat = nats[ref(route!.nat_gateway_id)]!;
      const natAz = resourcesOf(prod, "aws_subnet")[ref(nat.subnet_id)]!.availability_zone;
      expect(natAz).toBe(azOfTable(prod, table));
      return ref(route!.nat_gateway_id);
    });
    expect(new Set(used).size).toBe(3);
  });

  it("routes every private route table to the one NAT gateway under single", () => {
    const targets = routeTablesOf(dev, "Private").map((t) =>
      defaultRoutes(dev, t).map((r) => r.nat_gateway_id),
    );
    expect(targets).toEqual([[expect.any(String)], [targets[0]![0]]]);
  });

  it("gives private route tables no default route without NAT", () => {
    const json = synthJson(networkStack({ nat: { mode: "none" } }));
    for (const t of routeTablesOf(json, "Private")) expect(defaultRoutes(json, t)).toEqual([]);
  });

  it("gives isolated route tables no route at all, and no gateway endpoint", () => {
    const isolated = routeTablesOf(prod, "Isolated");
    expect(isolated).toHaveLength(3);
    const routed = Object.values(resourcesOf(prod, "aws_route")).map((r) => ref(r.route_table_id));
    expect(routed.filter((t) => isolated.includes(t))).toEqual([]);
    for (const e of Object.values(resourcesOf(prod, "aws_vpc_endpoint")))
      for (const t of (e.route_table_ids as string[] | undefined) ?? [])
        expect(isolated).not.toContain(ref(t));
  });

  it("routes the public subnets to the internet gateway", () => {
    const [igw] = Object.keys(resourcesOf(prod, "aws_internet_gateway"));
    const toIgw = Object.values(resourcesOf(prod, "aws_route")).filter((r) => r.gateway_id !== undefined);
    expect(toIgw).toEqual([expect.objectContaining({ destination_cidr_block: "0.0.0.0/0" })]);
    expect(ref(toIgw[0]!.gateway_id)).toBe(igw);
  });

  it("lets the isolated subnets' network ACL admit and send only the VPC's own range", () => {
    const acl = onlyResource(prod, "aws_network_acl");
    expect((acl.subnet_ids as string[]).map(ref).sort()).toEqual(
      Object.keys(subnetsOf(prod, "Isolated")).sort(),
    );
    for (const dir of ["ingress", "egress"])
      expect(acl[dir]).toEqual([expect.objectContaining({ action: "allow", cidr_block: "10.30.0.0/16" })]);
  });
});

describe("security groups", () => {
  it("manages the default security group with no rules at all", () => {
    const sg = onlyResource(prod, "aws_default_security_group");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(ref(sg.vpc_id)).toBe(Object.keys(resourcesOf(prod, "aws_vpc"))[0]);
  });
});

describe("VPC endpoints", () => {
  it("adds the S3 and DynamoDB gateway endpoints to the private route tables by default", () => {
    const gateways = Object.values(resourcesOf(prod, "aws_vpc_endpoint")).filter(
      (e) => e.vpc_endpoint_type === "Gateway",
    );
    expect(gateways.map((g) => String(g.service_name)).sort()).toEqual([
      "com.amazonaws.eu-west-1.dynamodb",
      "com.amazonaws.eu-west-1.s3",
    ]);
    for (const g of gateways)
      expect((g.route_table_ids as string[]).map(ref).sort()).toEqual(routeTablesOf(prod, "Private").sort());
  });

  it("creates the default interface endpoints in the private subnets with private DNS", () => {
    const out = sampleStack("prod-network").text;
    for (const svc of ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "sts"])
      expect(out).toHaveResourceWithProperties(VpcEndpoint, {
        service_name: `com.amazonaws.eu-west-1.${svc}`,
        vpc_endpoint_type: "Interface",
        private_dns_enabled: true,
      });
    const iface = Object.values(resourcesOf(prod, "aws_vpc_endpoint")).find(
      (e) => e.vpc_endpoint_type === "Interface",
    )!;
    expect((iface.subnet_ids as string[]).map(ref).sort()).toEqual(
      Object.keys(subnetsOf(prod, "Private")).sort(),
    );
  });

  it("admits only HTTPS from the VPC CIDR into the endpoint security group", () => {
    expect(Object.values(resourcesOf(prod, "aws_vpc_security_group_ingress_rule"))).toEqual([
      expect.objectContaining({
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_ipv4: "10.30.0.0/16",
      }),
    ]);
    const sg = Object.entries(resourcesOf(prod, "aws_security_group")).find(([id]) =>
      id.startsWith("Endpoints_"),
    )!;
    const egress = Object.values(resourcesOf(prod, "aws_vpc_security_group_egress_rule")).filter(
      (r) => ref(r.security_group_id) === sg[0],
    );
    expect(egress).toEqual([]);
  });

  it("creates no interface endpoint and no endpoint security group when the list is empty", () => {
    expect(Object.values(resourcesOf(dev, "aws_vpc_endpoint")).map((e) => e.vpc_endpoint_type)).toEqual([
      "Gateway",
      "Gateway",
    ]);
    expect((stackOf(built, "dev-network") as NetworkStack).outputs.endpointSecurityGroupId).toBeUndefined();
  });
});

describe("flow logs", () => {
  it("logs all traffic of the whole VPC to CloudWatch Logs", () => {
    const flow = onlyResource(prod, "aws_flow_log");
    expect(flow).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    expect(ref(flow.vpc_id)).toBe(Object.keys(resourcesOf(prod, "aws_vpc"))[0]);
  });

  it.each([
    ["prod", 365],
    ["dev", 30],
    ["test", 90],
  ] as const)("keeps the %s flow logs for %i days, KMS-encrypted", (env, days) => {
    expect(sampleStack(`${env}-network`).text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: `shop-${env}-network-flow-logs`,
      retention_in_days: days,
      kms_key_id: expect.stringMatching(/aws_kms_key\..*\.arn/),
    });
  });

  it("records the CKV_AWS_338 exception only where retention is below a year", () => {
    const ids = (env: string) =>
      Object.values(exceptionsOf(stackOf(built, `${env}-network`), "aws_cloudwatch_log_group"));
    expect(ids("dev")).toEqual([["CKV_AWS_338"]]);
    expect(ids("prod")).toEqual([[]]);
  });

  it("lets CloudWatch Logs use the key only for the flow-log group", () => {
    const key = onlyResource(prod, "aws_kms_key");
    const statements = (JSON.parse(key.policy as string) as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "logs.eu-west-1.amazonaws.com" },
        Condition: {
          ArnEquals: {
            "kms:EncryptionContext:aws:logs:arn":
              "arn:aws:logs:eu-west-1:333333333333:log-group:shop-prod-network-flow-logs",
          },
        },
      }),
    );
  });

  it("gives the flow-log role only log writes on its own group, assumable only from this account", () => {
    const role = Object.values(resourcesOf(prod, "aws_iam_role")).find((r) =>
      String(r.assume_role_policy).includes("vpc-flow-logs"),
    )!;
    expect(JSON.parse(role.assume_role_policy as string).Statement[0].Condition.StringEquals).toEqual({
      "aws:SourceAccount": "333333333333",
    });
    const doc = JSON.parse(onlyResource(prod, "aws_iam_role_policy").policy as string) as {
      Statement: { Action: string | string[]; Resource: string | string[] }[];
    };
    for (const s of doc.Statement) {
      expect([s.Resource].flat()).not.toContain("*");
      for (const a of [s.Action].flat())
        expect(a).toMatch(/^logs:(CreateLogStream|PutLogEvents|Describe\w+)$/);
    }
  });

  it("can send the flow logs to a KMS-encrypted S3 bucket instead", () => {
    const stack = networkStack({ flowLogs: { destination: "s3", retentionDays: 400 } });
    const json = synthJson(stack);
    expect(onlyResource(json, "aws_flow_log")).toMatchObject({
      log_destination_type: "s3",
      destination_options: { file_format: "parquet", per_hour_partition: true },
    });
    expect(onlyResource(json, "aws_s3_bucket").bucket).toBe("shop-prod-flow-logs-333333333333-eu-west-1");
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      expect.objectContaining({
        apply_server_side_encryption_by_default: expect.objectContaining({ sse_algorithm: "aws:kms" }),
      }),
    ]);
    expect(resourcesOf(json, "aws_cloudwatch_log_group")).toEqual({});
    expect(Object.values(exceptionsOf(stack, "aws_s3_bucket"))).toEqual([
      ["CKV_AWS_18", "CKV_AWS_144", "CKV2_AWS_62"],
    ]);
  });
});

// How a bastion is hardened (no inbound rule in ssm mode, IMDSv2, encrypted root volume, the SSM policy only, the
// image of its architecture) is the Bastion module's: test/modules/bastion.test.ts. Here: what the stack decides.
describe("the bastion", () => {
  const ssmJson = synthJson(networkStack({ bastion: { mode: "ssm" } }));
  const sshStack = networkStack({
    bastion: { mode: "ssh", allowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"] },
  });
  const ssh = synthJson(sshStack);

  it("creates no bastion when the section has none", () => {
    expect(resourcesOf(test, "aws_instance")).toEqual({});
  });

  it("places an ssm bastion in a private subnet without a public IP", () => {
    const instance = onlyResource(ssmJson, "aws_instance");
    expect(ref(instance.subnet_id)).toMatch(/^Vpc_Private_Az1_/);
    expect(instance.associate_public_ip_address).toBe(false);
  });

  it("places an ssh bastion in a public subnet with a public IP and records why", () => {
    const instance = onlyResource(ssh, "aws_instance");
    expect(ref(instance.subnet_id)).toMatch(/^Vpc_Public_Az1_/);
    expect(instance.associate_public_ip_address).toBe(true);
    expect(Object.values(exceptionsOf(sshStack, "aws_instance"))).toEqual([["CKV_AWS_88"]]);
  });

  it("admits SSH into an ssh bastion only from the listed CIDRs", () => {
    const bastionSg = idOf(ssh, "aws_security_group", "Bastion_");
    const ingress = values(ssh, "aws_vpc_security_group_ingress_rule").filter(
      (r) => ref(r.security_group_id) === bastionSg,
    );
    expect(ingress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([
      [22, 22, "203.0.113.0/24"],
      [22, 22, "198.51.100.7/32"],
    ]);
  });
});

describe("flow logs reach the whole VPC in every sample environment", () => {
  it.each(["dev", "test", "prod"])("%s has exactly one flow log, on its VPC", (env) => {
    const { json, text } = sampleStack(`${env}-network`);
    expect(Object.keys(resourcesOf(json, "aws_flow_log"))).toHaveLength(1);
    expect(text).toHaveResourceWithProperties(FlowLog, {
      vpc_id: expect.stringMatching(/aws_vpc\./),
    });
  });
});
