// What this repository's GitHub workflow runs over, from the synthesized stacks and shared.yaml (never a hand-kept
// list), through the same ordering `npm run tf` uses:
//   npx tsx scripts/ci-stacks.ts matrix   JSON array of every stack in deploy order (the plan job's matrix)
//   npx tsx scripts/ci-stacks.ts groups   JSON array: "shared", then each environment in promotion order
//   npx tsx scripts/ci-stacks.ts region   shared.yaml's region (where the state and the CI roles live)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { deployOrder, environmentOf, readStacks } from "./lib/stacks.ts";

const USAGE = "usage: npx tsx scripts/ci-stacks.ts matrix | groups | region";

/** The answer to one command, given the synthesis output folder and shared.yaml's content. */
export function ciStacks(
  command: string | undefined,
  outdir: string,
  shared: { environments: string[]; region: string },
): string {
  if (command === "region") return shared.region;
  const stacks = readStacks(outdir);
  const order = deployOrder(stacks, stacks.keys(), shared.environments);
  if (command === "matrix") return JSON.stringify(order);
  if (command === "groups") {
    const present = new Set(order.map((s) => environmentOf(s, shared.environments)));
    return JSON.stringify(["shared", ...shared.environments.filter((e) => present.has(e))]);
  }
  throw new Error(USAGE);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    if (process.argv.length !== 3) throw new Error(USAGE);
    const dir = process.env.ENVIRONMENTS_DIR ?? "environments";
    const shared = parse(readFileSync(join(dir, "shared.yaml"), "utf8")) as {
      environments: string[];
      region: string;
    };
    process.stdout.write(`${ciStacks(process.argv[2], process.env.CDKTF_OUTDIR ?? "cdktf.out", shared)}\n`);
  } catch (e) {
    process.stderr.write(`ci-stacks: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
