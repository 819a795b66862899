// The tf runner wired to this process: its terminal, the environments folder and the fast synthesis path.
import { cancel, isCancel, text } from "@clack/prompts";
import { ConfigError, environmentsDir, loadConfig } from "../../environments/load.ts";
import { resolve } from "node:path";
import { pinnedAddresses } from "./plan-review.ts";
import { synthInto, SynthFailed } from "./synth-child.ts";
import { runTf, type TfDeps } from "./tf-run.ts";

/** The runner wired to this process: its terminal, the environments folder and the fast synthesis path. */
export function processDeps(): TfDeps {
  // Same rule as stacks/synthesize.ts outdirOf (not imported: it would load cdktf for one line).
  const outdir = resolve(process.env.CDKTF_OUTDIR || "cdktf.out");
  return {
    outdir,
    env: process.env,
    interactive: process.stdin.isTTY && process.stdout.isTTY,
    color: process.stdout.isTTY && !process.env.NO_COLOR,
    print: (line) => console.log(line),
    ask: async (message) => {
      const answer = await text({ message });
      if (isCancel(answer)) {
        cancel("cancelled");
        return undefined;
      }
      return answer;
    },
    environments: () =>
      loadConfig(environmentsDir()).environments.map((e) => ({ name: e.name, protected: e.protected })),
    synth: () => synthInto(outdir),
    pinned: pinnedAddresses(),
  };
}

/** Runs the command line, printing user errors as one line with exit 1. */
export async function main(argv: readonly string[], deps: TfDeps = processDeps()): Promise<number> {
  try {
    return await runTf(argv, deps);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SynthFailed) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}
