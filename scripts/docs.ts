// `npm run docs [-- --check]`: writes docs/configuration.md and docs/stacks.md from the schema and a fresh synthesis.
import { docFiles } from "./lib/docs.ts";
import { generatorMain } from "./lib/generated.ts";

process.exitCode = await generatorMain("npm run docs", process.argv.slice(2), (s) =>
  docFiles(s.stacks, s.environments),
);
