// CKV_AWS_24/25/260/277: nothing may be reached from the whole internet except a load balancer on 80 and 443.
import { blocks, isExpression, referencedAddresses, strings, type Json, type JsonObject } from "../view.ts";
import type { BlockView } from "../view.ts";
import { ofType, type Finding, type Rule, type StackFacts } from "./rule.ts";

const WORLD = new Set(["0.0.0.0/0", "::/0"]);
/** The ports a load balancer may open to the internet. */
const PUBLIC_LB_PORTS = new Set([80, 443]);
const LOAD_BALANCER_TYPES = ["aws_lb", "aws_alb", "aws_elb"];

interface Ingress {
  readonly block: BlockView;
  /** Address of the security group the rule belongs to, when known. */
  readonly group: string | undefined;
  readonly from: Json | undefined;
  readonly to: Json | undefined;
  readonly protocol: Json | undefined;
  readonly sources: string[];
}

function ingressesOf(facts: StackFacts): Ingress[] {
  const out: Ingress[] = [];
  for (const block of ofType(facts, "aws_security_group"))
    for (const i of blocks(block.attrs.ingress))
      out.push({
        block,
        group: block.address,
        from: i.from_port,
        to: i.to_port,
        protocol: i.protocol,
        sources: [...strings(i.cidr_blocks), ...strings(i.ipv6_cidr_blocks)],
      });
  const groupOf = (a: JsonObject): string | undefined =>
    referencedAddresses(a.security_group_id).find((r) => r.startsWith("aws_security_group."));
  for (const block of ofType(facts, "aws_security_group_rule"))
    if (block.attrs.type === "ingress")
      out.push({
        block,
        group: groupOf(block.attrs),
        from: block.attrs.from_port,
        to: block.attrs.to_port,
        protocol: block.attrs.protocol,
        sources: [...strings(block.attrs.cidr_blocks), ...strings(block.attrs.ipv6_cidr_blocks)],
      });
  for (const block of ofType(facts, "aws_vpc_security_group_ingress_rule"))
    out.push({
      block,
      group: groupOf(block.attrs),
      from: block.attrs.from_port,
      to: block.attrs.to_port,
      protocol: block.attrs.ip_protocol,
      sources: [...strings(block.attrs.cidr_ipv4), ...strings(block.attrs.cidr_ipv6)],
    });
  return out;
}

/** The port range of an ingress; all ports for protocol -1/all or when a bound is unset or computed. */
function rangeOf(i: Ingress): { from: number; to: number } {
  const allProtocols = i.protocol === "-1" || i.protocol === -1 || i.protocol === "all";
  const from = Number(i.from);
  const to = Number(i.to);
  if (
    allProtocols ||
    !Number.isFinite(from) ||
    !Number.isFinite(to) ||
    isExpression(i.from) ||
    isExpression(i.to)
  )
    return { from: 0, to: 65535 };
  return { from, to };
}

/** The Checkov id that reports this range. */
function mirroredId(from: number, to: number): string {
  if (from <= 0 && to >= 65535) return "CKV_AWS_277";
  if (from <= 22 && to >= 22) return "CKV_AWS_24";
  if (from <= 3389 && to >= 3389) return "CKV_AWS_25";
  if (from <= 80 && to >= 80) return "CKV_AWS_260";
  return "GUARD_OPEN_INGRESS";
}

/** An ingress from 0.0.0.0/0 or ::/0 is allowed only to a load balancer's security group, on port 80 or 443. */
export const openIngress: Rule = (facts) => {
  const lbGroups = new Set(
    ofType(facts, ...LOAD_BALANCER_TYPES).flatMap((lb) => referencedAddresses(lb.attrs.security_groups)),
  );
  const findings: Finding[] = [];
  for (const i of ingressesOf(facts)) {
    const open = i.sources.filter((s) => WORLD.has(s));
    if (open.length === 0) continue;
    const { from, to } = rangeOf(i);
    const tcp = i.protocol === "tcp" || i.protocol === "6" || i.protocol === 6;
    if (tcp && from === to && PUBLIC_LB_PORTS.has(from) && i.group !== undefined && lbGroups.has(i.group))
      continue;
    const ports =
      from === to ? `port ${from}` : from <= 0 && to >= 65535 ? "all ports" : `ports ${from}-${to}`;
    findings.push({
      block: i.block,
      checkId: mirroredId(from, to),
      message: `ingress from ${open.join(", ")} to ${ports}: only a load balancer's security group may be open to the internet, and only on 80/443`,
    });
  }
  return findings;
};
