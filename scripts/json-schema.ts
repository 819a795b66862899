// Writes environments/*.schema.json from the zod schema; `--check` fails when the committed files are stale.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { jsonSchemas } from "../environments/json-schema.ts";

const check = process.argv.includes("--check");
let stale = 0;
for (const [name, content] of Object.entries(jsonSchemas())) {
  const path = join("environments", name);
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (current === content) continue;
  if (check) {
    console.error(`${path} is stale: run npm run schema`);
    stale++;
  } else {
    writeFileSync(path, content);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
