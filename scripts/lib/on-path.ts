// Finds an executable on the PATH, as a shell would, without running it.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The executable `name` in the first PATH folder that has it, or undefined. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean))
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this folder
    }
  return undefined;
}
