// `npm run docs [-- --check]`: writes docs/configuration.md and docs/stacks.md from the schema and a fresh synthesis.
import { ConfigError } from "../environments/load.ts";
import { configurationDoc, stacksDoc } from "./lib/docs.ts";
import { report, withSynthesis, writeOrCheck } from "./lib/generated.ts";
import { deployOrder } from "./lib/stacks.ts";
import { SynthFailed } from "./lib/synth-child.ts";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--check");
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown[0]}: the only flag is --check`);
  process.exit(1);
}
const check = args.includes("--check");
try {
  console.log("synthesizing the environments to document their stacks ...");
  const files = await withSynthesis(({ stacks, environments }) => ({
    "docs/configuration.md": configurationDoc(),
    "docs/stacks.md": stacksDoc(stacks, deployOrder(stacks, stacks.keys(), environments)),
  }));
  process.exitCode = report("npm run docs", Object.keys(files), await writeOrCheck(files, check), check);
} catch (e) {
  if (!(e instanceof ConfigError || e instanceof SynthFailed)) throw e;
  console.error(e.message);
  process.exitCode = 1;
}
