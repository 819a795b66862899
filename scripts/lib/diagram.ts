// Architecture diagrams drawn from the synthesized Terraform JSON: the resources a person thinks in (tiers and
// subnets, load balancer, WAF, service, data stores, CDN, pipeline), grouped by stack, joined where one refers to
// another. Keyed on AWS resource types only, so a new stack kind or module is drawn without a change here.
import { instance } from "@viz-js/viz";
import { environmentOf, type SynthStack } from "./stacks.ts";

/** How a resource type is drawn. */
interface Kind {
  readonly title: string;
  /** Resources of this type under one construct are drawn as one node with a count (subnets of a tier, NATs). */
  readonly grouped?: boolean;
  readonly shape: "box" | "store" | "edge";
}

/** Data stores: each is drawn on its own, and a test checks every one of them appears. */
export const DATA_STORE_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: "RDS database",
  aws_rds_cluster: "Aurora cluster",
  aws_docdb_cluster: "DocumentDB cluster",
  aws_neptune_cluster: "Neptune cluster",
  aws_redshift_cluster: "Redshift cluster",
  aws_elasticache_replication_group: "ElastiCache",
  aws_elasticache_serverless_cache: "ElastiCache serverless",
  aws_dynamodb_table: "DynamoDB table",
  aws_s3_bucket: "S3 bucket",
  aws_efs_file_system: "EFS file system",
  aws_opensearch_domain: "OpenSearch domain",
  aws_backup_vault: "Backup vault",
  aws_ecr_repository: "ECR repository",
};

/** Entry points and delivery: drawn on their own, and checked by the same test as the data stores. */
export const MUST_APPEAR_TYPES: Readonly<Record<string, string>> = {
  aws_lb: "Load balancer",
  aws_cloudfront_distribution: "CloudFront distribution",
  aws_codepipeline: "CodePipeline",
};

const KINDS: Readonly<Record<string, Kind>> = {
  ...Object.fromEntries(
    Object.entries(DATA_STORE_TYPES).map(([t, title]) => [t, { title, shape: "store" as const }]),
  ),
  ...Object.fromEntries(
    Object.entries(MUST_APPEAR_TYPES).map(([t, title]) => [t, { title, shape: "edge" as const }]),
  ),
  aws_vpc: { title: "VPC", shape: "box" },
  aws_subnet: { title: "subnets", grouped: true, shape: "box" },
  aws_internet_gateway: { title: "Internet gateway", shape: "edge" },
  aws_nat_gateway: { title: "NAT gateway", grouped: true, shape: "box" },
  aws_vpc_endpoint: { title: "VPC endpoints", grouped: true, shape: "box" },
  aws_instance: { title: "EC2 instance", shape: "box" },
  aws_wafv2_web_acl: { title: "WAF web ACL", shape: "edge" },
  aws_acm_certificate: { title: "TLS certificate", shape: "box" },
  aws_route53_zone: { title: "Route 53 zone", shape: "edge" },
  aws_ecs_cluster: { title: "ECS cluster", shape: "box" },
  aws_ecs_service: { title: "ECS service", shape: "box" },
  aws_lambda_function: { title: "Lambda function", shape: "box" },
  aws_apigatewayv2_api: { title: "API Gateway", shape: "edge" },
  aws_sqs_queue: { title: "SQS queue", shape: "store" },
  aws_sns_topic: { title: "SNS topic", shape: "box" },
  aws_codebuild_project: { title: "CodeBuild project", shape: "box" },
  aws_codedeploy_deployment_group: { title: "CodeDeploy group", shape: "box" },
  aws_codestarconnections_connection: { title: "Source connection", shape: "box" },
};

/** Undrawn resources that only attach one resource to another: they become an arrow between the two. */
const ATTACHMENT = /_association$|_attachment$|^aws_route53_record$|^aws_lb_listener(_rule)?$/;
/** An undrawn resource referred to by more than this many is a hub (VPC, key, role), not a connection. */
const MAX_CONNECTOR_REFERRERS = 4;
/** Where traffic enters, outermost first: the direction of an attachment's arrow. */
const ENTRY_ORDER = [
  "aws_route53_zone",
  "aws_cloudfront_distribution",
  "aws_wafv2_web_acl",
  "aws_lb",
  "aws_apigatewayv2_api",
];

/** Attributes that hold a resource's own name, in order of preference. */
const NAME_ATTRIBUTES = [
  "name",
  "bucket",
  "identifier",
  "cluster_identifier",
  "replication_group_id",
  "domain_name",
  "comment",
];

/** One drawn box. */
export interface DiagramNode {
  readonly id: string;
  readonly stack: string;
  readonly title: string;
  readonly name: string;
  readonly shape: Kind["shape"];
  /** The Terraform addresses it stands for (`type.logicalId`). */
  readonly addresses: readonly string[];
}

/** Everything one diagram shows. */
export interface DiagramModel {
  readonly title: string;
  readonly stacks: readonly { readonly name: string; readonly nodes: readonly DiagramNode[] }[];
  readonly edges: readonly (readonly [string, string])[];
}

/** A Mermaid and Graphviz safe id for a resource or group. */
export function nodeId(stack: string, key: string): string {
  return `${stack}__${key}`.replace(/[^A-Za-z0-9_]/g, "_");
}

type Json = Record<string, unknown>;
const REF = /\$\{([^}]*)\}/g;
const RESOURCE_REF = /\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;
const REMOTE_REF =
  /data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;

/** Every string inside a value, except cdktf's `//` metadata. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) if (k !== "//") strings(v, out);
  return out;
}

/** The resources (`stack/type.id`) a value refers to, following cross-stack outputs to the producing stack. */
function referencesOf(value: unknown, stacks: ReadonlyMap<string, SynthStack>, self: string): string[] {
  const out: string[] = [];
  for (const s of strings(value))
    for (const [, expr] of s.matchAll(REF)) {
      for (const [, type, id] of expr!.matchAll(RESOURCE_REF)) out.push(`${self}/${type}.${id}`);
      for (const [, producer, output] of expr!.matchAll(REMOTE_REF)) {
        const v = stacks.get(producer!)?.json.output?.[output!]?.value;
        if (v !== undefined) out.push(...referencesOf(v, stacks, producer!));
      }
    }
  return out;
}

/** `Private subnets` for the subnets under `Vpc/Private`; `NAT gateway` (not `Nat NAT gateway`) under `Vpc/Nat`. */
function groupTitle(construct: string, title: string): string {
  return title.toLowerCase().startsWith(construct.toLowerCase()) ? title : `${construct} ${title}`;
}

/** The name a node shows: the resource's own literal name, else the construct it comes from. */
function nameOf(config: Json, constructPath: string): string {
  for (const a of NAME_ATTRIBUTES) {
    const v = config[a];
    if (typeof v === "string" && !v.includes("${")) return v;
  }
  return constructPath
    .split("/")
    .slice(1)
    .filter((p) => p !== "Resource")
    .join("/");
}

/** The diagram of one environment: its stacks and the stacks whose outputs they read. */
export function environmentModel(
  stacks: ReadonlyMap<string, SynthStack>,
  environments: readonly string[],
  env: string,
): DiagramModel {
  const own = [...stacks.keys()].filter((n) => environmentOf(n, environments) === env);
  // Follow only cross-stack references: the state bucket's stack holds no part of the running system.
  const included = new Set<string>();
  const visit = (n: string) => {
    if (included.has(n)) return;
    included.add(n);
    for (const d of stacks.get(n)?.references ?? []) visit(d);
  };
  own.forEach(visit);
  const order = [...included].sort(
    (a, b) => Number(own.includes(a)) - Number(own.includes(b)) || a.localeCompare(b),
  );

  // Resources and which node each one is drawn as.
  const nodeOf = new Map<string, string>();
  const nodes = new Map<
    string,
    { stack: string; title: string; name: string; shape: Kind["shape"]; addresses: string[] }
  >();
  const configs = new Map<string, Json>();
  for (const stack of order) {
    for (const [type, byId] of Object.entries(stacks.get(stack)!.json.resource ?? {})) {
      for (const [id, config] of Object.entries(byId)) {
        const key = `${stack}/${type}.${id}`;
        configs.set(key, config);
        const kind = KINDS[type];
        if (!kind) continue;
        const path = ((config["//"] as Json | undefined)?.metadata as Json | undefined)?.path as
          string | undefined;
        const constructPath = path ?? `${stack}/${id}`;
        // A grouped resource joins the others under the same parent construct (the subnets of one tier).
        const parent = constructPath
          .replace(/\/Resource$/, "")
          .split("/")
          .slice(0, -1)
          .join("/");
        const nid = kind.grouped ? nodeId(stack, `${type}_${parent}`) : nodeId(stack, `${type}.${id}`);
        nodeOf.set(key, nid);
        const existing = nodes.get(nid);
        if (existing) existing.addresses.push(`${type}.${id}`);
        else
          nodes.set(nid, {
            stack,
            title: kind.grouped ? groupTitle(parent.split("/").pop() ?? "", kind.title) : kind.title,
            name: kind.grouped
              ? ""
              : nameOf(config, constructPath).replace(new RegExp(`^${kind.title}$`, "i"), ""),
            shape: kind.shape,
            addresses: [`${type}.${id}`],
          });
      }
    }
  }

  const priority = (nid: string) => {
    const i = ENTRY_ORDER.findIndex((t) => nodes.get(nid)?.addresses[0]?.startsWith(`${t}.`));
    return i === -1 ? ENTRY_ORDER.length : i;
  };
  // References between drawn resources, through the undrawn ones in between (target groups, security groups, ...).
  const refs = new Map<string, string[]>();
  for (const [key, config] of configs)
    refs.set(
      key,
      referencesOf(config, stacks, key.split("/")[0]!).filter((r) => configs.has(r) && r !== key),
    );
  const edges = new Set<string>();
  const reach = (start: string, maxDepth: number): Set<string> => {
    const found = new Set<string>();
    let frontier = refs.get(start) ?? [];
    const seen = new Set([start]);
    for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const r of frontier) {
        if (seen.has(r)) continue;
        seen.add(r);
        if (nodeOf.has(r)) found.add(nodeOf.get(r)!);
        else next.push(...(refs.get(r) ?? []));
      }
      frontier = next;
    }
    return found;
  };
  for (const key of configs.keys()) {
    const from = nodeOf.get(key);
    if (from) for (const to of reach(key, 3)) if (to !== from) edges.add(`${from}\n${to}`);
  }
  // Attachments (a listener, a WAF association, a DNS alias) join what they attach: the load balancer to the
  // service behind its target group, the zone to the load balancer. Hubs (VPC, keys, roles) do not join anything.
  const referrers = new Map<string, string[]>();
  for (const [key, targets] of refs)
    for (const t of targets) referrers.set(t, [...(referrers.get(t) ?? []), key]);
  const typeOf = (key: string) => key.slice(key.indexOf("/") + 1, key.indexOf("."));
  for (const key of configs.keys()) {
    if (nodeOf.has(key) || !ATTACHMENT.test(typeOf(key))) continue;
    const ends = new Set(reach(key, 1));
    for (const t of refs.get(key) ?? []) {
      if (nodeOf.has(t) || (referrers.get(t)?.length ?? 0) > MAX_CONNECTOR_REFERRERS) continue;
      for (const r of referrers.get(t) ?? []) if (nodeOf.has(r)) ends.add(nodeOf.get(r)!);
    }
    const sorted = [...ends].sort((a, b) => priority(a) - priority(b) || a.localeCompare(b));
    for (const other of sorted.slice(1)) edges.add(`${sorted[0]}\n${other}`);
  }
  // A VPC contains its subnets; an arrow from everything that names the VPC only hides the structure.
  const vpcs = new Set([...nodes].filter(([, n]) => n.title === "VPC").map(([id]) => id));
  const kept = [...edges]
    .map((e) => e.split("\n") as [string, string])
    .filter(([a, b]) => !vpcs.has(b) || nodes.get(a)?.title.endsWith("subnets"));

  return {
    title: `${env}: architecture`,
    stacks: order.map((name) => ({
      name,
      nodes: [...nodes]
        .filter(([, n]) => n.stack === name)
        .map(([id, n]) => ({
          id,
          ...n,
          title: n.addresses.length > 1 ? `${n.title} ×${n.addresses.length}` : n.title,
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    })),
    edges: kept.sort((a, b) => a.join().localeCompare(b.join())),
  };
}

const mermaidText = (s: string) => s.replace(/"/g, "#quot;");

/** The diagram as a Mermaid flowchart (GitHub renders it). */
export function toMermaid(m: DiagramModel): string {
  const lines = ["flowchart LR"];
  for (const s of m.stacks) {
    lines.push(`  subgraph ${nodeId(s.name, "stack")}["${s.name}"]`);
    for (const n of s.nodes) {
      const label = mermaidText(n.name ? `${n.title}<br/>${n.name}` : n.title);
      const [open, close] =
        n.shape === "store" ? ['[("', '")]'] : n.shape === "edge" ? ['{{"', '"}}'] : ['["', '"]'];
      lines.push(`    ${n.id}${open}${label}${close}`);
    }
    lines.push("  end");
  }
  for (const [a, b] of m.edges) lines.push(`  ${a} --> ${b}`);
  return lines.join("\n");
}

const dotText = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');

/** The diagram as Graphviz DOT, for the SVG rendered offline. */
export function toDot(m: DiagramModel): string {
  const lines = [
    "digraph architecture {",
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.6, labelloc=t];',
    '  node [fontname="Helvetica", fontsize=10, style="filled,rounded", shape=box, fillcolor="#eef3fb", color="#5b7db1"];',
    '  edge [color="#8a8a8a", arrowsize=0.6];',
    `  label="${dotText(m.title)}";`,
  ];
  m.stacks.forEach((s, i) => {
    lines.push(
      `  subgraph cluster_${i} {`,
      `    label="${dotText(s.name)}"; style="rounded,dashed"; color="#9aa5b1";`,
    );
    for (const n of s.nodes) {
      const attrs =
        n.shape === "store"
          ? 'shape=cylinder, style=filled, margin="0.25,0.1", fillcolor="#fdf1dc", color="#b7862f"'
          : n.shape === "edge"
            ? 'shape=hexagon, fillcolor="#e4f4e6", color="#4f9a5b"'
            : "";
      const label = n.name ? `${n.title}\\n${dotText(n.name)}` : dotText(n.title);
      lines.push(`    ${n.id} [label="${label}"${attrs ? `, ${attrs}` : ""}];`);
    }
    lines.push("  }");
  });
  for (const [a, b] of m.edges) lines.push(`  ${a} -> ${b};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** docs/architecture-<env>.md: the Mermaid diagram and a link to the SVG beside it. */
export function architectureDoc(m: DiagramModel, env: string): string {
  const count = m.stacks.reduce((n, s) => n + s.nodes.length, 0);
  return [
    "<!-- Generated by `npm run diagram` from the synthesized stacks; do not edit by hand (a test fails when it is stale). -->",
    "",
    `# Architecture of \`${env}\``,
    "",
    `Drawn from the synthesized Terraform JSON of \`${env}\` and the stacks it reads from: ${count} boxes in ${m.stacks.length} stacks.`,
    "Cylinders hold data, hexagons are entry points and delivery; an arrow means the first refers to the second",
    "(directly or through security groups, target groups and the like). The same diagram rendered offline:",
    `[architecture-${env}.svg](architecture-${env}.svg).`,
    "",
    "```mermaid",
    toMermaid(m),
    "```",
    "",
  ].join("\n");
}

/** The files `npm run diagram` writes, by path: per environment, the Mermaid page and the SVG beside it. */
export async function diagramFiles(
  stacks: ReadonlyMap<string, SynthStack>,
  environments: readonly string[],
): Promise<Record<string, string>> {
  const viz = await instance();
  const out: Record<string, string> = {};
  for (const env of environments) {
    const model = environmentModel(stacks, environments, env);
    out[`docs/architecture-${env}.md`] = architectureDoc(model, env);
    out[`docs/architecture-${env}.svg`] = viz.renderString(toDot(model), { format: "svg" });
  }
  return out;
}
