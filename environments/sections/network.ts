// The `network:` section of an environment: the VPC, its subnet tiers, NAT, endpoints, flow logs and bastion.
import { z } from "zod";
import { layoutSubnets, parseCidr, RESERVED_AZ_SLOTS } from "../../lib/subnet-layout.ts";
import { addRepeatIssues, Days, LogRetentionDays } from "./common.ts";

/** An IPv4 CIDR in network form whose prefix length lies in [min, max]. */
const CidrBlock = (what: string, min: number, max: number) =>
  z
    .string()
    .superRefine((s, ctx) => {
      const c = parseCidr(s);
      if (typeof c === "string") ctx.addIssue({ code: "custom", message: c });
      else if (c.prefix < min || c.prefix > max)
        ctx.addIssue({
          code: "custom",
          message: `${JSON.stringify(s)} is a /${c.prefix}; ${what} must be /${min} to /${max}`,
        });
    })
    .describe(`An IPv4 CIDR block (${what})`);

/** Subnet prefix length: AWS accepts subnets from /16 to /28. */
const SubnetPrefix = (tier: string, dflt: number) =>
  z
    .number()
    .int()
    .min(16)
    .max(28)
    .default(dflt)
    .describe(`Prefix length of each ${tier} subnet (/16 to /28)`);

/** Interface endpoints the sample application needs when nothing else reaches AWS (no NAT). */
export const DEFAULT_INTERFACE_ENDPOINTS = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "secretsmanager",
  "ssm",
  "sts",
] as const;
/** Without NAT, ECS pulls images through these (layers come from S3 through the gateway endpoint). */
const REQUIRED_WITHOUT_NAT = ["ecr.api", "ecr.dkr", "logs"] as const;
/** Session Manager needs these to reach an SSM bastion when there is no NAT. */
const REQUIRED_FOR_SSM_WITHOUT_NAT = ["ssm", "ssmmessages", "ec2messages"] as const;

const InstanceType = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
    error: (i) => `${JSON.stringify(i.input)} is not an EC2 instance type`,
  })
  .default("t3.micro")
  .describe("EC2 instance type of the bastion; a Graviton type (t4g.*) gets the arm64 AMI");

const SourceCidr = CidrBlock("an SSH source", 0, 32).refine((s) => !s.endsWith("/0"), {
  error: (i) =>
    `${JSON.stringify(i.input)} opens SSH to the whole internet; list your office or VPN CIDRs, or use mode: ssm`,
});

export const NetworkSection = z
  .strictObject({
    cidr: CidrBlock("a VPC", 16, 28)
      .default("10.0.0.0/16")
      .describe(
        "IPv4 CIDR of the VPC (/16 to /28); give each environment its own so they can be peered later",
      ),
    azCount: z
      .number()
      .int()
      .min(2)
      .max(RESERVED_AZ_SLOTS)
      .default(3)
      .describe(`Availability zones the subnets span (2 to ${RESERVED_AZ_SLOTS})`),
    availabilityZones: z
      .array(
        z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, {
          error: (i) => `${JSON.stringify(i.input)} is not an availability zone name such as eu-west-1a`,
        }),
      )
      .optional()
      .describe(
        "Availability zone names, one per azCount; omit to take the region's first available zones at plan time",
      ),
    subnets: z
      .strictObject({
        publicPrefix: SubnetPrefix("public (load balancers, NAT)", 24),
        privatePrefix: SubnetPrefix("private (application)", 20),
        isolatedPrefix: SubnetPrefix("isolated (databases, caches)", 24),
        mapPublicIpOnLaunch: z
          .boolean()
          .default(false)
          .describe("Give instances launched in public subnets a public IP automatically"),
      })
      .prefault({})
      .describe(
        `Subnet sizes; each tier reserves room for ${RESERVED_AZ_SLOTS} AZs so adding an AZ never renumbers a subnet`,
      ),
    nat: z
      .discriminatedUnion(
        "mode",
        [
          z
            .strictObject({
              mode: z.literal("perAz").default("perAz").describe("NAT mode: perAz, single or none"),
            })
            .describe("One NAT gateway per AZ: losing one AZ does not cut the others off"),
          z
            .strictObject({ mode: z.literal("single").describe("NAT mode: perAz, single or none") })
            .describe("One NAT gateway for every AZ: cheaper, one AZ of failure"),
          z
            .strictObject({ mode: z.literal("none").describe("NAT mode: perAz, single or none") })
            .describe("No NAT: private subnets reach AWS only through VPC endpoints"),
        ],
        {
          error: (i) =>
            `${JSON.stringify((i.input as { mode?: unknown } | undefined)?.mode)} is not a NAT mode; use perAz, single or none`,
        },
      )
      .prefault({})
      .describe("How private subnets reach the internet"),
    endpoints: z
      .strictObject({
        gateway: z
          .array(z.enum(["s3", "dynamodb"]))
          .default(["s3", "dynamodb"])
          .describe("Gateway endpoints (free) on the private and isolated route tables"),
        interface: z
          .array(
            z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, {
              error: (i) => `${JSON.stringify(i.input)} is not an AWS service endpoint name such as ecr.api`,
            }),
          )
          .default([...DEFAULT_INTERFACE_ENDPOINTS])
          .describe("Interface endpoints in the private subnets (billed per AZ and hour); [] for none"),
      })
      .prefault({})
      .describe("VPC endpoints"),
    flowLogs: z
      .discriminatedUnion(
        "destination",
        [
          z
            .strictObject({
              destination: z
                .literal("cloudWatchLogs")
                .default("cloudWatchLogs")
                .describe("Where flow logs go: cloudWatchLogs or s3"),
              retentionDays: LogRetentionDays(365, "Days the flow logs are kept in CloudWatch Logs"),
              trafficType: z
                .enum(["ALL", "ACCEPT", "REJECT"])
                .default("ALL")
                .describe("Which traffic is logged"),
            })
            .describe("Flow logs to a KMS-encrypted CloudWatch Logs group"),
          z
            .strictObject({
              destination: z.literal("s3").describe("Where flow logs go: cloudWatchLogs or s3"),
              retentionDays: Days("Days the flow logs are kept in the bucket", 365),
              trafficType: z
                .enum(["ALL", "ACCEPT", "REJECT"])
                .default("ALL")
                .describe("Which traffic is logged"),
            })
            .describe("Flow logs to a KMS-encrypted S3 bucket in this stack"),
        ],
        {
          error: (i) =>
            `${JSON.stringify((i.input as { destination?: unknown } | undefined)?.destination)} is not a flow log destination; use cloudWatchLogs or s3`,
        },
      )
      .prefault({})
      .describe("VPC flow logs for the whole VPC"),
    bastion: z
      .discriminatedUnion(
        "mode",
        [
          z
            .strictObject({
              mode: z.literal("ssm").default("ssm").describe("Bastion access: ssm or ssh"),
              instanceType: InstanceType,
            })
            .describe("Private instance reached through Session Manager; no inbound port at all"),
          z
            .strictObject({
              mode: z.literal("ssh").describe("Bastion access: ssm or ssh"),
              instanceType: InstanceType,
              allowedCidrs: z
                .array(SourceCidr)
                .min(1, { error: "list at least one source CIDR for SSH" })
                .describe("Source CIDRs admitted on port 22; 0.0.0.0/0 is refused"),
              keyName: z
                .string()
                .min(1)
                .max(255)
                .optional()
                .describe("Existing EC2 key pair; omit to log in with EC2 Instance Connect"),
            })
            .describe("Public instance admitting SSH from the listed CIDRs only"),
        ],
        {
          error: (i) =>
            `${JSON.stringify((i.input as { mode?: unknown } | undefined)?.mode)} is not a bastion mode; use ssm or ssh`,
        },
      )
      .optional()
      .describe("Optional bastion host; omit for none"),
  })
  .superRefine((n, ctx) => {
    // Zod runs this even when a field failed its own (non-fatal) check: only cross-check values that passed, so
    // each mistake is reported once, where it was made.
    const azCountValid = Number.isInteger(n.azCount) && n.azCount >= 2 && n.azCount <= RESERVED_AZ_SLOTS;
    const zones = n.availabilityZones;
    if (zones && azCountValid && zones.length !== n.azCount)
      ctx.addIssue({
        code: "custom",
        path: ["availabilityZones"],
        message: `lists ${zones.length} zones but azCount is ${n.azCount}; list exactly one zone per AZ`,
      });
    if (zones) addRepeatIssues(ctx, zones, (i) => ["availabilityZones", i], "listed");

    const vpc = parseCidr(n.cidr);
    if (typeof vpc !== "string" && vpc.prefix >= 16 && vpc.prefix <= 28 && azCountValid) {
      const { publicPrefix, privatePrefix, isolatedPrefix } = n.subnets;
      const prefixes = { public: publicPrefix, private: privatePrefix, isolated: isolatedPrefix };
      const inRange = Object.values(prefixes).every((p) => Number.isInteger(p) && p >= 16 && p <= 28);
      const small = (Object.keys(prefixes) as (keyof typeof prefixes)[]).find(
        (t) => prefixes[t] < vpc.prefix,
      );
      if (!inRange) {
        // Already reported on the prefix itself.
      } else if (small)
        // Reported on the VPC block: the prefix is often a default the file never wrote.
        ctx.addIssue({
          code: "custom",
          path: ["cidr"],
          message: `${n.cidr} is smaller than one ${small} subnet (/${prefixes[small]}); use a larger block or set subnets.${small}Prefix to /${vpc.prefix} or more`,
        });
      else {
        const layout = layoutSubnets(vpc, prefixes, n.azCount);
        if (typeof layout === "string") ctx.addIssue({ code: "custom", path: ["cidr"], message: layout });
      }
    }

    const iface = n.endpoints.interface;
    addRepeatIssues(ctx, iface, (i) => ["endpoints", "interface", i], "listed");
    if (n.nat.mode === "none") {
      const missing = REQUIRED_WITHOUT_NAT.filter((s) => !iface.includes(s));
      if (missing.length > 0)
        ctx.addIssue({
          code: "custom",
          path: ["endpoints", "interface"],
          message: `nat mode "none" needs interface endpoints ${REQUIRED_WITHOUT_NAT.join(", ")} (missing ${missing.join(", ")}): without NAT, tasks reach AWS only through endpoints`,
        });
      if (!n.endpoints.gateway.includes("s3"))
        ctx.addIssue({
          code: "custom",
          path: ["endpoints", "gateway"],
          message: `nat mode "none" needs the s3 gateway endpoint: image layers are pulled from S3`,
        });
      if (n.bastion?.mode === "ssm") {
        const ssmMissing = REQUIRED_FOR_SSM_WITHOUT_NAT.filter((s) => !iface.includes(s));
        if (ssmMissing.length > 0)
          ctx.addIssue({
            code: "custom",
            path: ["bastion", "mode"],
            message: `an ssm bastion without NAT needs interface endpoints ${REQUIRED_FOR_SSM_WITHOUT_NAT.join(", ")} (missing ${ssmMissing.join(", ")})`,
          });
      }
    }
    addRepeatIssues(ctx, n.endpoints.gateway, (i) => ["endpoints", "gateway", i], "listed");
  })
  .prefault({})
  .describe("The environment's VPC: subnet tiers, NAT, endpoints, flow logs and an optional bastion");

/** The network section with defaults applied. */
export type NetworkConfig = z.output<typeof NetworkSection>;
