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
 * `<STORE>_HOST`/`_PORT`/`_DATABASE` variables per data store, `_USERNAME`/`_PASSWORD` secrets for a database, and
 * the `_USERNAME` of a cache's IAM user; `TABLE_<NAME>` per DynamoDB table.
 */
export function dataStoreVariables(data: DbOutputs | undefined): ContainerEnvironment {
  const environment: Record<string, string> = {};
  const secrets: ContainerSecret[] = [];
  for (const s of data?.stores ?? []) {
    const p = s.name.toUpperCase().replace(/-/g, "_");
    environment[`${p}_HOST`] = s.endpoint;
    environment[`${p}_PORT`] = String(s.port);
    if (s.readerEndpoint) environment[`${p}_READER_HOST`] = s.readerEndpoint;
    if (s.databaseName) environment[`${p}_DATABASE`] = s.databaseName;
    // Caches sign in with an IAM token for this user: the name is not a secret, and no password exists.
    if (s.iamAuth) environment[`${p}_USERNAME`] = s.iamAuth.userName;
    if (!s.secretArn) continue;
    for (const key of ["username", "password"])
      secrets.push({
        name: `${p}_${key.toUpperCase()}`,
        source: "secretsmanager",
        arn: s.secretArn,
        // RDS-managed and our own secrets are JSON; ECS picks one key: <arn>:<key>:<stage>:<version>.
        valueFrom: `${s.secretArn}:${key}::`,
      });
  }
  for (const t of data?.tables ?? [])
    environment[`TABLE_${t.name.toUpperCase().replace(/-/g, "_")}`] = t.tableName;
  return { environment, secrets };
}
