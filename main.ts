// Composition root: load the environments, build the app, synthesize. Nothing else.
import { loadConfig, environmentsDir } from "./environments/load.ts";
import { synthesize } from "./stacks/synthesize.ts";

synthesize(() => loadConfig(environmentsDir()));
