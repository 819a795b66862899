// Checks that span files: what one file says must agree with another. Each returns problems, never throws.
import type { ConfigProblem } from "./errors.ts";
import type { Config } from "./schema.ts";

/** A check over the whole configuration. `fileOf` names the file an environment came from. */
export type CrossCheck = (config: Config, fileOf: FileOf) => ConfigProblem[];
export interface FileOf {
  readonly shared: string;
  env(name: string): string;
}

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

/** The service's domain names lie inside shared.yaml's hosted zone, which must exist for them. */
const serviceDomainInZone: CrossCheck = ({ shared, environments }, fileOf) => {
  const problems: ConfigProblem[] = [];
  const zone = shared.dns?.zoneName;
  for (const e of environments) {
    const domain = e.service?.domain;
    if (!domain) continue;
    const names: [string, (string | number)[]][] = [
      [domain.name, ["service", "domain", "name"]],
      ...domain.aliases.map((a, i): [string, (string | number)[]] => [
        a,
        ["service", "domain", "aliases", i],
      ]),
    ];
    for (const [name, path] of names) {
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
  }
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

/** Every cross-file check, run in order after each file has passed its own schema. */
export const CROSS_CHECKS: readonly CrossCheck[] = [
  listedEnvironments,
  protectedLast,
  serviceDomainInZone,
  serviceImageRegistry,
];
