#!/usr/bin/env node
// What this repository's GitHub workflow runs over, read from cdktf.out/manifest.json (never a hand-kept list):
//   node scripts/ci-stacks.mjs matrix         JSON array of every stack (the plan job's matrix)
//   node scripts/ci-stacks.mjs groups         JSON array of deploy groups in order: "shared", then each environment
//                                             in the promotion order of shared.yaml (the manifest sorts by name)
//   node scripts/ci-stacks.mjs order <group>  the group's stacks, one per line, dependencies first
//   node scripts/ci-stacks.mjs region         shared.yaml's region (where the state and the CI roles live)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
const usage = "usage: node scripts/ci-stacks.mjs matrix | groups | region | order <shared|environment>";
const sharedYaml = () =>
  parse(readFileSync(join(process.env.ENVIRONMENTS_DIR ?? "environments", "shared.yaml"), "utf8"));

/** Stacks in an order where each comes after the stacks it depends on; ties keep the manifest's order. */
export function deployOrder(manifest) {
  const stacks = manifest.stacks;
  const done = new Set();
  const order = [];
  const visit = (name, path) => {
    if (done.has(name)) return;
    if (path.includes(name)) throw new Error(`dependency cycle: ${[...path, name].join(" -> ")}`);
    for (const dep of stacks[name]?.dependencies ?? []) visit(dep, [...path, name]);
    done.add(name);
    order.push(name);
  };
  for (const name of Object.keys(stacks)) visit(name, []);
  return order;
}

/** The deploy group of a stack: "shared" for the account-wide stacks, else the environment before the first "-". */
export const groupOf = (stack) =>
  stack === "bootstrap" || stack === "shared" ? "shared" : stack.split("-")[0];

function main(argv) {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  const order = deployOrder(manifest);
  const [command, group, ...rest] = argv;
  if (command === "matrix" && !group) return JSON.stringify(order);
  if (command === "groups" && !group) {
    const promotion = sharedYaml().environments;
    const present = new Set(order.map(groupOf));
    return JSON.stringify(["shared", ...promotion.filter((e) => present.has(e))]);
  }
  if (command === "region" && !group) return sharedYaml().region;
  if (command === "order" && group && rest.length === 0) {
    const stacks = order.filter((s) => groupOf(s) === group);
    if (stacks.length === 0)
      throw new Error(`no stacks for "${group}"; groups: ${[...new Set(order.map(groupOf))].join(", ")}`);
    return stacks.join("\n");
  }
  throw new Error(usage);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.stdout.write(`${main(process.argv.slice(2))}\n`);
  } catch (e) {
    process.stderr.write(`ci-stacks: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
