// `npm run validate`: checks the environment files (ENVIRONMENTS_DIR, default environments/) without synthesizing.
import { ConfigError, environmentsDir, loadConfig } from "../environments/load.ts";

const dir = environmentsDir();
try {
  const config = loadConfig(dir);
  const envs = config.environments.map((e) => `${e.name} (${e.account.id}, ${e.region})`).join(", ");
  console.log(`${dir}: ok: project ${config.shared.project}; environments ${envs}`);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
