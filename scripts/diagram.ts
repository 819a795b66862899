// `npm run diagram [-- --check]`: writes docs/architecture-<env>.md (Mermaid) and docs/architecture-<env>.svg
// (Graphviz compiled to WebAssembly, no browser) for every environment, from a fresh synthesis.
import { diagramFiles } from "./lib/diagram.ts";
import { generatorMain } from "./lib/generated.ts";

process.exitCode = await generatorMain("npm run diagram", process.argv.slice(2), (s) =>
  diagramFiles(s.stacks, s.environments),
);
