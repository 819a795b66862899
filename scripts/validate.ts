// `npm run validate`: checks the environment files (ENVIRONMENTS_DIR, default environments/) without synthesizing.
import { formatProblem } from "../environments/errors.ts";
import { ConfigError, environmentsDir, loadConfig } from "../environments/load.ts";

const dir = environmentsDir();
try {
  const config = loadConfig(dir);
  const envs = config.environments.map((e) => `${e.name} (${e.account.id}, ${e.region})`).join(", ");
  for (const w of config.warnings ?? []) console.error(`warning: ${formatProblem(w)}`);
  console.log(`${dir}: ok: project ${config.shared.project}; environments ${envs}`);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
