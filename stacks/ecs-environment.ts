// What the application container is told about the data stack: variables and secrets per store and table.
// A stack file, not a module: it maps the data stack's outputs (a stack contract) onto the container.
import type { ServiceConfig } from "../environments/sections/service.ts";
import type { ContainerSecret } from "../modules/ecs-service/ecs-service.ts";
import type { DbOutputs } from "./contracts.ts";

/** Variables and secrets of the application container. */
export interface ContainerEnvironment {
  readonly environment: Record<string, string>;
  readonly secrets: ContainerSecret[];
}

// A Secrets Manager ARN up to the random suffix; anything after it selects a JSON key, stage or version.
const SECRET_BASE_ARN = /^(arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:[^:]+)(:.*)?$/;

/**
 * The container's variables and secrets: the environment file's own, plus the data stores' when
 * `injectDataStores` is on. What the file says wins over a variable injected under the same name.
 */
export function containerEnvironment(
  container: ServiceConfig["container"],
  data: DbOutputs | undefined,
): ContainerEnvironment {
  const injected = container.injectDataStores ? dataStoreVariables(data) : { environment: {}, secrets: [] };
  const ownSecrets = Object.entries(container.secrets).map(([name, arn]) => toSecret(name, arn));
  const ownNames = new Set([...Object.keys(container.environment), ...ownSecrets.map((s) => s.name)]);
  return {
    environment: {
      ...Object.fromEntries(Object.entries(injected.environment).filter(([k]) => !ownNames.has(k))),
      ...container.environment,
    },
    secrets: [...injected.secrets.filter((s) => !ownNames.has(s.name)), ...ownSecrets],
  };
}

/** A config secret ARN as the service module wants it: the IAM resource, and the full reference ECS fetches. */
export function toSecret(name: string, arn: string): ContainerSecret {
  const m = SECRET_BASE_ARN.exec(arn);
  if (m) return { name, source: "secretsmanager", arn: m[1]!, valueFrom: arn };
  return { name, source: "ssm", arn };
}

/**
 * `<STORE>_HOST`/`_PORT`/`_DATABASE` variables per data store; for a store the application signs in to with IAM,
 * its `_USERNAME` (when it has one) and, for a database, `_AUTH=iam`; `_USERNAME`/`_PASSWORD` secrets from the
 * master secret only for a database whose file opts into `appAuthentication: secret`; `TABLE_<NAME>` per table.
 */
export function dataStoreVariables(data: DbOutputs | undefined): ContainerEnvironment {
  const environment: Record<string, string> = {};
  const secrets: ContainerSecret[] = [];
  for (const s of data?.stores ?? []) {
    const p = variablePrefix(s.name);
    environment[`${p}_HOST`] = s.endpoint;
    environment[`${p}_PORT`] = String(s.port);
    if (s.readerEndpoint) environment[`${p}_READER_HOST`] = s.readerEndpoint;
    if (s.databaseName) environment[`${p}_DATABASE`] = s.databaseName;
    if (s.appAuthentication === "secret" && s.secretArn) {
      secrets.push(...credentialSecrets(p, s.secretArn));
      continue;
    }
    // An IAM token signs the user in: the name is not a secret, and no password exists.
    if (s.iamAuth?.userName) environment[`${p}_USERNAME`] = s.iamAuth.userName;
    if (s.iamAuth && s.appAuthentication) environment[`${p}_AUTH`] = "iam";
  }
  for (const t of data?.tables ?? []) environment[`TABLE_${variablePrefix(t.name)}`] = t.tableName;
  return { environment, secrets };
}

/**
 * `<STORE>_MASTER_USERNAME`/`_MASTER_PASSWORD` of every database: for the migration task alone, which creates the
 * application's users and schema.
 */
export function migrationSecrets(data: DbOutputs | undefined): ContainerSecret[] {
  return (data?.stores ?? []).flatMap((s) =>
    s.secretArn ? credentialSecrets(`${variablePrefix(s.name)}_MASTER`, s.secretArn) : [],
  );
}

/** Secrets of the master secret's `username` and `password` keys as `<prefix>_USERNAME` and `<prefix>_PASSWORD`. */
function credentialSecrets(prefix: string, secretArn: string): ContainerSecret[] {
  return ["username", "password"].map((key) => ({
    name: `${prefix}_${key.toUpperCase()}`,
    source: "secretsmanager" as const,
    arn: secretArn,
    // RDS-managed and our own secrets are JSON; ECS picks one key: <arn>:<key>:<stage>:<version>.
    valueFrom: `${secretArn}:${key}::`,
  }));
}

/** `main-db` -> `MAIN_DB`. */
const variablePrefix = (name: string): string => name.toUpperCase().replace(/-/g, "_");
