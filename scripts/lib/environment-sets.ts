// Which environment folders a whole-project check (npm run checkov, npm run test:terraform) covers.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { environmentsDir } from "../../environments/load.ts";

/**
 * `envDirs` when any are given (--env-dir); else the environments folder (ENVIRONMENTS_DIR, else environments) and,
 * with `all`, every examples/<name>/ folder of the project at `root`, sorted. Paths are relative to `root`.
 */
export function environmentSets(envDirs: readonly string[], all: boolean, root = "."): string[] {
  if (envDirs.length > 0) return [...envDirs];
  if (!all) return [environmentsDir()];
  const examples = join(root, "examples");
  const sets = existsSync(examples)
    ? readdirSync(examples)
        .map((n) => join("examples", n))
        .filter((p) => statSync(join(root, p)).isDirectory())
        .sort()
    : [];
  return [environmentsDir(), ...sets];
}
