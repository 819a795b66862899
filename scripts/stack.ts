// `npm run stack`: the interactive picker over `npm run tf` (synthesizes once, then asks, then runs).
import { ConfigError } from "../environments/load.ts";
import { pick } from "./lib/picker.ts";
import { readStacks, deployOrder } from "./lib/stacks.ts";
import { SynthFailed } from "./lib/synth-child.ts";
import { processDeps } from "./lib/tf-cli.ts";
import { runTf } from "./lib/tf-run.ts";

async function main(): Promise<number> {
  if (process.argv.length > 2) {
    console.error(
      `npm run stack takes no arguments (got ${process.argv[2]}): for a command line use npm run tf -- <action> <env> [component...]`,
    );
    return 1;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    console.error(
      "npm run stack needs a terminal: without one, run npm run tf -- <action> <env> [component...] (see npm run tf -- --help)",
    );
    return 1;
  }
  const deps = processDeps();
  const environments = deps.environments().map((e) => e.name);
  console.log("synthesizing ...");
  await deps.synth();
  const stacks = readStacks(deps.outdir);
  const args = await pick(deployOrder(stacks, stacks.keys(), environments), environments);
  if (!args) return 1;
  return runTf([...args, "--no-synth"], deps);
}

try {
  process.exitCode = await main();
} catch (e) {
  if (!(e instanceof ConfigError || e instanceof SynthFailed)) throw e;
  console.error(e.message);
  process.exitCode = 1;
}
