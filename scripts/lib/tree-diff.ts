// The files two output folders hold differently: what a byte-identical check of two syntheses reports.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Every file below `dir`, by its path relative to `dir`. */
export function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile())
      files.set(relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name)));
  return files;
}

/** Relative paths that only one folder has, or whose bytes differ, sorted; empty when the trees are identical. */
export function treeDifferences(a: string, b: string): { readonly files: number; readonly differ: string[] } {
  const left = filesOf(a);
  const right = filesOf(b);
  const differ = [...new Set([...left.keys(), ...right.keys()])]
    .filter((f) => {
      const [l, r] = [left.get(f), right.get(f)];
      return !l || !r || !l.equals(r);
    })
    .sort();
  return { files: left.size, differ };
}
