// House rules that the linter cannot express, checked over the source tree.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

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

  it("environments never import modules or stacks, modules never import environments or stacks, lib imports neither", () => {
    // environments/ is validated data and must not depend on constructs; modules/ knows no config file, stack or
    // tool; lib/ holds pure functions both may use and depends on none of them.
    const forbidden: Record<string, readonly string[]> = {
      lib: ["environments", "modules", "stacks", "scripts", "guardrails"],
      environments: ["modules", "stacks", "scripts"],
      modules: ["environments", "stacks", "scripts"],
    };
    const offenders = Object.entries(forbidden).flatMap(([dir, banned]) =>
      sources(dir).flatMap((f) =>
        [...readFileSync(f, "utf8").matchAll(/from "((?:\.\.?\/)+)([a-z-]+)\//g)]
          .filter((m) => banned.includes(m[2]!) && join(dirname(f), m[1]!, m[2]!) === m[2])
          .map((m) => `${f} imports ${m[2]}/`),
      ),
    );
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
