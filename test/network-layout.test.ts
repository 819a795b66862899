// Subnet math: CIDR parsing and the per-tier layout the schema and the Vpc module share.
import {
  formatCidr,
  layoutSubnets,
  overlaps,
  parseCidr,
  RESERVED_AZ_SLOTS,
  SUBNET_TIERS,
  sizeOf,
  type Cidr,
  type TierPrefixes,
} from "../lib/subnet-layout.ts";

const DEFAULT_PREFIXES: TierPrefixes = { public: 24, private: 20, isolated: 24 };

function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (typeof c === "string") throw new Error(c);
  return c;
}

function layout(vpc: string, prefixes: TierPrefixes, azCount: number) {
  const l = layoutSubnets(cidr(vpc), prefixes, azCount);
  if (typeof l === "string") throw new Error(l);
  return l;
}

describe("parsing a CIDR", () => {
  it("reads a network address and prefix length", () => {
    expect(formatCidr(cidr("10.30.0.0/16"))).toBe("10.30.0.0/16");
  });

  it.each(["10.0.0.0/33", "10.0.0.0", "10.0.0/16", "256.0.0.0/8", "ten/8", "10.0.0.0/16 "])(
    "says %j is not a CIDR",
    (text) => {
      expect(parseCidr(text)).toMatch(/is not a valid IPv4 CIDR/);
    },
  );

  it("names the network address when host bits are set", () => {
    expect(parseCidr("10.0.0.1/16")).toBe(
      '"10.0.0.1/16" has host bits set; the network address of that block is 10.0.0.0/16',
    );
  });
});

describe("laying out subnet tiers", () => {
  it("puts the largest subnets first and the tiers one after another", () => {
    expect(layout("10.0.0.0/16", DEFAULT_PREFIXES, 2)).toEqual({
      private: ["10.0.0.0/20", "10.0.16.0/20"],
      public: ["10.0.96.0/24", "10.0.97.0/24"],
      isolated: ["10.0.102.0/24", "10.0.103.0/24"],
    });
  });

  it.each([2, 3, 4, 5, 6])("keeps every subnet of %i AZs inside the VPC, aligned and disjoint", (azCount) => {
    const vpc = cidr("10.8.0.0/16");
    const end = (c: Cidr) => c.base + sizeOf(c.prefix);
    for (const prefixes of [
      DEFAULT_PREFIXES,
      { public: 26, private: 22, isolated: 25 },
      { public: 21, private: 20, isolated: 21 },
    ]) {
      // cidr() throws on a block with host bits set, so parsing each one back checks its alignment.
      const all = SUBNET_TIERS.flatMap((t) => layout("10.8.0.0/16", prefixes, azCount)[t].map(cidr));
      expect(all).toHaveLength(3 * azCount);
      for (const s of all) expect(s.base >= vpc.base && end(s) <= end(vpc)).toBe(true);
      all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
    }
  });

  it("keeps existing subnets where they are when an AZ is added", () => {
    const two = layout("10.0.0.0/16", DEFAULT_PREFIXES, 2);
    const three = layout("10.0.0.0/16", DEFAULT_PREFIXES, 3);
    for (const t of SUBNET_TIERS) expect(three[t].slice(0, 2)).toEqual(two[t]);
  });

  it("says how many addresses the tiers need when they do not fit", () => {
    expect(layoutSubnets(cidr("10.0.0.0/18"), DEFAULT_PREFIXES, 2)).toBe(
      `10.0.0.0/18 has 16384 addresses but the subnet tiers need 27648 (${RESERVED_AZ_SLOTS} AZ slots × (public /24 + private /20 + isolated /24)); use a larger block or longer subnet prefixes`,
    );
  });

  it("refuses a subnet larger than the VPC", () => {
    expect(layoutSubnets(cidr("10.0.0.0/24"), { public: 28, private: 20, isolated: 28 }, 2)).toMatch(
      /private subnets of \/20 cannot be carved from a \/24 VPC/,
    );
  });
});
