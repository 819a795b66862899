// Writes environments/*.schema.json from the zod schema and says whether they changed; `--check` fails when the
// committed files are stale.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsonSchemas } from "../environments/json-schema.ts";
import { parseCommandLine } from "./cli-args.ts";

const { values } = parseCommandLine({
  name: "npm run schema",
  usage:
    "npm run schema -- [--check] (--check: fail when the committed JSON Schemas are stale, write nothing)",
  options: { check: { type: "boolean", default: false } },
});
let stale = 0;
const files = Object.entries(jsonSchemas());
for (const [name, content] of files) {
  const path = join("environments", name);
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (current === content) continue;
  if (values.check) {
    console.error(`${path} is stale: run npm run schema`);
  } else {
    writeFileSync(path, content);
    console.log(`${path}: changed, written`);
  }
  stale++;
}
if (stale === 0) console.log(`${files.map(([n]) => join("environments", n)).join(", ")}: unchanged`);
process.exit(values.check && stale > 0 ? 1 : 0);
