// House rules that the linter cannot express, checked over the source tree.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

describe("house rules", () => {
  it("modules throw ModuleError (which names the construct path), never a bare Error", () => {
    const offenders = sources("modules").filter((f) => /throw new Error\(/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("modules and stacks read no files and no environment variables (config is the only input)", () => {
    const offenders = [
      ...sources("modules"),
      ...sources("stacks").filter((f) => !f.endsWith("synthesize.ts")),
    ].filter((f) => /process\.env|from "node:fs"|readFileSync/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("every module folder has a file named after it", () => {
    const missing = readdirSync("modules", { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== "core")
      .filter((e) => !readdirSync(join("modules", e.name)).includes(`${e.name}.ts`))
      .map((e) => e.name);
    expect(missing).toEqual([]);
  });
});
