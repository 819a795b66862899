// `npm run validate -- [dir]`: checks the environment files (dir, else ENVIRONMENTS_DIR, else environments/) without
// synthesizing.
import { formatProblem } from "../environments/errors.ts";
import { ConfigError, environmentsDir, loadConfig } from "../environments/load.ts";
import { parseCommandLine } from "./cli-args.ts";

const { positionals } = parseCommandLine({
  name: "npm run validate",
  usage: "npm run validate -- [environments-dir] (default: ENVIRONMENTS_DIR, else environments)",
  options: {},
  maxPositionals: 1,
});
const dir = positionals[0] ?? environmentsDir();
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
