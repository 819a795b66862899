// Composition root: read the command line, load the environments, build the app, synthesize. Nothing else.
import { environmentsDir, loadConfig } from "./environments/load.ts";
import { parseCommandLine } from "./scripts/cli-args.ts";
import { synthesize } from "./stacks/synthesize.ts";

// `cdktf synth` runs this with no arguments; `npm run synth -- [dir] [--env NAME]...` may pass some.
const { values, positionals } = parseCommandLine({
  name: "npm run synth",
  usage:
    "npm run synth -- [environments-dir] [--env NAME]... (dir defaults to ENVIRONMENTS_DIR, else environments)",
  options: { env: { type: "string", multiple: true } },
  maxPositionals: 1,
});
synthesize(loadConfig, {
  dir: positionals[0] ?? environmentsDir(),
  ...(values.env ? { environments: values.env } : {}),
});
