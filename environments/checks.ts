// Checks that span files: what one file says must agree with another. Each returns problems (errors, or warnings for
// choices that can be deliberate), never throws.
import type { ConfigProblem } from "./errors.ts";
import { overlaps, parseCidr } from "../lib/subnet-layout.ts";
import type { Config, EnvironmentConfig } from "./schema.ts";
import { frontendApiOrigin } from "./frontend-checks.ts";

/** A check over the whole configuration. `fileOf` names the file an environment came from. */
export type CrossCheck = (config: Config, fileOf: FileOf) => ConfigProblem[];
export interface FileOf {
  readonly shared: string;
  env(name: string): string;
}

/** The environments shared.yaml lists: a file it does not list is reported once, not compared with the others. */
const listed = ({ shared, environments }: Config): EnvironmentConfig[] =>
  environments.filter((e) => shared.environments.includes(e.name));

/** Each environment file belongs to an environment listed in shared.yaml, and each listed one has a file. */
const listedEnvironments: CrossCheck = ({ shared, environments }, fileOf) => {
  const problems: ConfigProblem[] = [];
  const files = new Set(environments.map((e) => e.name));
  shared.environments.forEach((name, i) => {
    if (!files.has(name))
      problems.push({
        file: fileOf.shared,
        path: ["environments", i],
        message: `"${name}" has no file ${name}.yaml beside shared.yaml`,
      });
  });
  for (const e of environments)
    if (!shared.environments.includes(e.name))
      problems.push({
        file: fileOf.env(e.name),
        path: ["name"],
        message: `"${e.name}" is not listed under environments in shared.yaml (${shared.environments.join(", ")})`,
      });
  return problems;
};

/** Protection only grows along the promotion order: no sandbox after a protected environment. */
const protectedLast: CrossCheck = ({ shared, environments }, fileOf) => {
  // A protected environment promoted before an unprotected one means production data is guarded less than a
  // sandbox after it in the pipeline: almost always a typo in one of the files.
  const problems: ConfigProblem[] = [];
  const order = shared.environments;
  const byName = new Map(environments.map((e) => [e.name, e]));
  let firstProtected: string | undefined;
  for (const name of order) {
    const e = byName.get(name);
    if (!e) continue;
    if (e.protected && firstProtected === undefined) firstProtected = name;
    else if (!e.protected && firstProtected !== undefined)
      problems.push({
        file: fileOf.env(name),
        path: ["protected"],
        message: `"${name}" is unprotected but comes after protected "${firstProtected}" in shared.yaml's environments; set protected: true or reorder`,
      });
  }
  return problems;
};

/** One DNS name an environment's stacks write a record for, and where its file configures it. */
interface DomainUse {
  readonly name: string;
  readonly path: (string | number)[];
}

/** The name and aliases of a `domain` block at `path`. */
function domainBlock(
  domain: { readonly name: string; readonly aliases?: readonly string[] } | undefined,
  path: string[],
): DomainUse[] {
  if (!domain) return [];
  return [
    { name: domain.name, path: [...path, "name"] },
    ...(domain.aliases ?? []).map((a, i) => ({ name: a, path: [...path, "aliases", i] })),
  ];
}

/**
 * Every place an environment names DNS records. A new source is one line here, and the zone and uniqueness checks
 * below cover it.
 */
const DOMAIN_SOURCES: readonly ((e: EnvironmentConfig) => DomainUse[])[] = [
  (e) => domainBlock(e.service?.domain, ["service", "domain"]),
  (e) => domainBlock(e.frontend?.domain, ["frontend", "domain"]),
];

const domainsOf = (e: EnvironmentConfig): DomainUse[] => DOMAIN_SOURCES.flatMap((source) => source(e));

/** Every domain name lies inside shared.yaml's hosted zone, which must exist for them. */
const domainsInZone: CrossCheck = ({ shared, environments }, fileOf) => {
  const problems: ConfigProblem[] = [];
  const zone = shared.dns?.zoneName;
  for (const e of environments)
    for (const { name, path } of domainsOf(e)) {
      if (!zone)
        problems.push({
          file: fileOf.env(e.name),
          path,
          message: `"${name}" needs a hosted zone, but shared.yaml has no dns section`,
        });
      else if (name !== zone && !name.endsWith(`.${zone}`))
        problems.push({
          file: fileOf.env(e.name),
          path,
          message: `"${name}" is not inside the hosted zone ${zone} (shared.yaml dns.zoneName)`,
        });
    }
  return problems;
};

/** No DNS name is used twice, in one environment or across them: two stacks would write the same record. */
const domainsUnique: CrossCheck = (config, fileOf) => {
  const problems: ConfigProblem[] = [];
  const first = new Map<string, { env: string; path: (string | number)[] }>();
  for (const e of listed(config))
    for (const { name, path } of domainsOf(e)) {
      const earlier = first.get(name);
      if (!earlier) {
        first.set(name, { env: e.name, path });
        continue;
      }
      const owner = earlier.env === e.name ? "" : `${earlier.env}'s `;
      problems.push({
        file: fileOf.env(e.name),
        path,
        message: `"${name}" is already ${owner}${earlier.path.join(".")}: both would write the same DNS record and certificate name; use another name`,
      });
    }
  return problems;
};

/**
 * VPC ranges do not overlap: in one account an error (peering, transit gateways and shared endpoints inside it need
 * distinct ranges, and a second VPC on the same range is almost always a copied file), across accounts a warning
 * (they may never be connected, but peering or a transit gateway between them later would need a renumbering).
 */
const vpcRangesDistinct: CrossCheck = (config, fileOf) => {
  const problems: ConfigProblem[] = [];
  const parsed = listed(config).map((e) => ({ e, cidr: parseCidr(e.network.cidr) }));
  parsed.forEach(({ e, cidr }, j) => {
    if (typeof cidr === "string") return;
    for (const { e: other, cidr: otherCidr } of parsed.slice(0, j)) {
      if (typeof otherCidr === "string" || !overlaps(cidr, otherCidr)) continue;
      const sameAccount = e.account.id === other.account.id;
      problems.push({
        file: fileOf.env(e.name),
        path: ["network", "cidr"],
        environment: e.name,
        warning: !sameAccount,
        message: sameAccount
          ? `${e.network.cidr} overlaps ${other.name}'s ${other.network.cidr} in the same account ${e.account.id}: peering, transit gateways and endpoints need distinct ranges; give each environment its own block`
          : `${e.network.cidr} overlaps ${other.name}'s ${other.network.cidr} (account ${other.account.id}): the two VPCs can never be peered or joined by a transit gateway without renumbering one`,
      });
      break;
    }
  });
  return problems;
};

/**
 * Production (the last environment of the promotion order) keeps its guards, or says loudly on every synth what
 * it gave up: turning them off can be deliberate (a rebuild), but must never go unnoticed.
 */
const productionGuarded: CrossCheck = ({ shared, environments }, fileOf) => {
  const name = shared.environments.at(-1);
  const prod = environments.find((e) => e.name === name);
  if (!prod) return [];
  const problems: ConfigProblem[] = [];
  const role = `production environment "${prod.name}" (last in shared.yaml's environments)`;
  if (!prod.protected)
    problems.push({
      file: fileOf.env(prod.name),
      path: ["protected"],
      environment: prod.name,
      warning: true,
      message: `${role} is unprotected: a destroy or a replacing change now deletes its databases and caches without a final snapshot, and its DynamoDB tables, KMS keys and S3 buckets with their contents (no deletion protection, no prevent_destroy)`,
    });
  if (prod.service && !prod.service.loadBalancer.deletionProtection)
    problems.push({
      file: fileOf.env(prod.name),
      path: ["service", "loadBalancer", "deletionProtection"],
      environment: prod.name,
      warning: true,
      message: `${role} lets its load balancer be deleted: a destroy or a replacing change takes the site offline, and the load balancer comes back under a new DNS name`,
    });
  return problems;
};

/** A `repository` image names a registry that shared.yaml declares. */
const serviceImageRegistry: CrossCheck = ({ shared, environments }, fileOf) => {
  const problems: ConfigProblem[] = [];
  const registries = shared.registries.map((r) => r.name);
  for (const e of environments) {
    const repository = e.service?.container.image.repository;
    if (repository === undefined || registries.includes(repository)) continue;
    problems.push({
      file: fileOf.env(e.name),
      path: ["service", "container", "image", "repository"],
      message: registries.length
        ? `"${repository}" is not a registry in shared.yaml (${registries.join(", ")}); or give a full image reference as image`
        : `"${repository}" is not a registry: shared.yaml declares none; add it under registries or give a full image reference as image`,
    });
  }
  return problems;
};

/**
 * Terraform runs with credentials of the shared account (where the state lives), so an environment in another
 * account is reached only through a role it names: without one, its provider's allowed_account_ids refuses the
 * shared account's credentials and no plan can run (README: Credentials).
 */
const roleForOtherAccount: CrossCheck = ({ shared, environments }, fileOf) =>
  environments
    .filter((e) => e.account.id !== shared.account.id && e.account.roleArn === undefined)
    .map((e) => ({
      file: fileOf.env(e.name),
      path: ["account", "id"],
      message: `account ${e.account.id} is not shared.yaml's account ${shared.account.id}, whose credentials run Terraform: set account.roleArn to a role in ${e.account.id} that the shared account may assume (README: Credentials)`,
    }));

/**
 * A database the service signs in to with the master secret restarts the service after each rotation through a
 * forced deployment, which ECS refuses for a CodeDeploy-controlled service.
 */
const secretModeNeedsRolling: CrossCheck = ({ environments }, fileOf) =>
  environments.flatMap((e) =>
    e.service?.deployment.type !== "codeDeploy"
      ? []
      : (e.data?.stores ?? []).flatMap((s, i) =>
          "appAuthentication" in s && s.appAuthentication === "secret"
            ? [
                {
                  file: fileOf.env(e.name),
                  path: ["data", "stores", i, "appAuthentication"],
                  message: `secret restarts the service after each rotation with a forced deployment, which CodeDeploy (service.deployment.type: codeDeploy) refuses; use iam, or a rolling deployment`,
                },
              ]
            : [],
        ),
  );

/** The registry the release pipeline pushes to: the named one, else the only one (the schema checks which). */
export function pipelineRegistry(shared: Config["shared"]): string | undefined {
  return (
    shared.pipeline?.registry ?? (shared.registries.length === 1 ? shared.registries[0]!.name : undefined)
  );
}

/** Whether `env` stops for an approval before its release: its own choice, else its protection. */
export function needsApproval(env: Config["environments"][number]): boolean {
  return env.pipeline.approval ?? env.protected;
}

/**
 * What a release needs from each environment file: a migration with something to migrate, an image from the
 * registry the pipeline pushes to (or an outside image to start from), and with CodePipeline an approval someone
 * is told about (GitHub Actions asks the GitHub environment's reviewers instead).
 */
const releasable: CrossCheck = ({ shared, environments }, fileOf) => {
  const problems: ConfigProblem[] = [];
  if (!shared.pipeline) return problems;
  const announcesApprovals = shared.pipeline.delivery === "codepipeline";
  const registry = pipelineRegistry(shared);
  for (const e of environments) {
    const file = fileOf.env(e.name);
    if (e.pipeline.migration && !e.service)
      problems.push({
        file,
        path: ["pipeline", "migration"],
        message: `"${e.name}" has no service: a migration runs as a task of the service's image; remove it or add service:`,
      });
    else if (e.pipeline.migration && !e.data)
      problems.push({
        file,
        path: ["pipeline", "migration"],
        message: `"${e.name}" has no data stores to migrate; remove the migration or add data:`,
      });
    if (!e.service) continue;
    if (announcesApprovals && needsApproval(e) && shared.alerts.emails.length === 0)
      problems.push({
        file,
        path: e.pipeline.approval === undefined ? ["protected"] : ["pipeline", "approval"],
        message: `"${e.name}" is released after a manual approval, but nobody would be asked: shared.yaml alerts.emails is empty`,
      });
    const image = e.service.container.image;
    // The tasks may pull from the pipeline's registry whatever they start from; another registry they could not.
    if (registry && image.repository !== undefined && image.repository !== registry)
      problems.push({
        file,
        path: ["service", "container", "image"],
        message: `the pipeline releases the image it pushes to registry "${registry}": use repository: ${registry} with an initial tag, or an outside image: to start from`,
      });
  }
  return problems;
};

/** Every cross-file check, run in order after each file has passed its own schema. */
export const CROSS_CHECKS: readonly CrossCheck[] = [
  listedEnvironments,
  protectedLast,
  domainsInZone,
  domainsUnique,
  serviceImageRegistry,
  vpcRangesDistinct,
  productionGuarded,
  frontendApiOrigin,
  roleForOtherAccount,
  secretModeNeedsRolling,
  releasable,
];
