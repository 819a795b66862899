// Where the offline Terraform tooling is: tf-offline (../shared/terraform-offline).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** tf-offline: $TF_OFFLINE, else shared/terraform-offline beside the repository (CI clones it as ../shared) or
 * beside one of its parent folders (a git worktree under the main checkout's parent). */
export function findTfOffline(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TF_OFFLINE) return existsSync(env.TF_OFFLINE) ? env.TF_OFFLINE : undefined;
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    const tool = join(dir, "shared", "terraform-offline", "bin", "tf-offline");
    if (existsSync(tool)) return tool;
    if (dirname(dir) === dir) return undefined;
  }
}
