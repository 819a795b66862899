// Subnet math: IPv4 CIDR parsing and the per-tier, per-AZ subnet layout of a VPC. Pure functions in lib/, shared by
// the config schema (to reject a layout before synth) and the Vpc module (to compute the subnets).
import { Address4 } from "ip-address";

/** The three subnet tiers, in the order the layout lists them. */
export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/**
 * AZ slots reserved per tier. Every tier keeps room for this many AZs, so raising `azCount` later adds subnets
 * without renumbering (and so replacing) the existing ones. 6 is the largest `azCount` the schema accepts.
 */
export const RESERVED_AZ_SLOTS = 6;

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** The network address as an integer. */
  readonly base: bigint;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`, or returns a message that says what is wrong with it. */
export function parseCidr(text: string): Cidr | string {
  const shown = JSON.stringify(text);
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text);
  if (!m || !Address4.isValid(m[1]!) || Number(m[2]) > 32)
    return `${shown} is not a valid IPv4 CIDR (a.b.c.d/n)`;
  const prefix = Number(m[2]);
  const address = new Address4(m[1]!).bigInt();
  const base = address & maskOf(prefix);
  if (base !== address)
    return `${shown} has host bits set; the network address of that block is ${formatCidr({ base, prefix })}`;
  return { base, prefix };
}

/** `a.b.c.d/n` of a parsed block. */
export function formatCidr(c: Cidr): string {
  return `${Address4.fromBigInt(c.base).correctForm()}/${c.prefix}`;
}

/** Number of addresses in a block of this prefix length. */
export function sizeOf(prefix: number): bigint {
  return 1n << BigInt(32 - prefix);
}

function maskOf(prefix: number): bigint {
  return ((1n << 32n) - 1n) ^ (sizeOf(prefix) - 1n);
}

/** Whether two blocks share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + sizeOf(b.prefix) && b.base < a.base + sizeOf(a.prefix);
}

/** Prefix length of the subnets of each tier. */
export type TierPrefixes = Readonly<Record<SubnetTier, number>>;

/** The subnet CIDRs of each tier, in AZ order. */
export type SubnetLayout = Readonly<Record<SubnetTier, readonly string[]>>;

/** Addresses the layout uses: every tier reserves `RESERVED_AZ_SLOTS` subnets. */
export function addressesNeeded(prefixes: TierPrefixes): bigint {
  return SUBNET_TIERS.reduce((sum, t) => sum + BigInt(RESERVED_AZ_SLOTS) * sizeOf(prefixes[t]), 0n);
}

/**
 * Lays out `azCount` subnets per tier inside `vpc`. Tiers are placed largest subnets first, each in a block of
 * `RESERVED_AZ_SLOTS` subnets, so every subnet is aligned to its own size and no two overlap. Returns a message
 * instead when the tiers do not fit.
 */
export function layoutSubnets(vpc: Cidr, prefixes: TierPrefixes, azCount: number): SubnetLayout | string {
  if (azCount < 1 || azCount > RESERVED_AZ_SLOTS)
    return `azCount must be 1 to ${RESERVED_AZ_SLOTS}, got ${azCount}`;
  for (const t of SUBNET_TIERS)
    if (prefixes[t] < vpc.prefix || prefixes[t] > 32)
      return `${t} subnets of /${prefixes[t]} cannot be carved from a /${vpc.prefix} VPC`;
  const needed = addressesNeeded(prefixes);
  const available = sizeOf(vpc.prefix);
  if (needed > available) {
    const parts = SUBNET_TIERS.map((t) => `${t} /${prefixes[t]}`).join(" + ");
    return `${formatCidr(vpc)} has ${available} addresses but the subnet tiers need ${needed} (${RESERVED_AZ_SLOTS} AZ slots × (${parts})); use a larger block or longer subnet prefixes`;
  }
  // Stable sort: equal sizes keep the public, private, isolated order.
  const order = [...SUBNET_TIERS].sort((a, b) => prefixes[a] - prefixes[b]);
  const result: Record<SubnetTier, string[]> = { public: [], private: [], isolated: [] };
  let next = vpc.base;
  for (const t of order) {
    const size = sizeOf(prefixes[t]);
    for (let i = 0; i < azCount; i++)
      result[t].push(formatCidr({ base: next + BigInt(i) * size, prefix: prefixes[t] }));
    next += BigInt(RESERVED_AZ_SLOTS) * size;
  }
  return result;
}
