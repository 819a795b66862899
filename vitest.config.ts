import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/** The two files that wait longest on child processes: they run the commands for real. */
const LONGEST = ["test/cli.test.ts", "test/commands.test.ts"];

/**
 * vitest starts the files that took longest last time, but on a fresh clone (CI: npm ci empties its cache) it starts
 * the largest; the command tests would then start late and leave one worker running them alone at the end.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const longest = (f: TestSpecification) => LONGEST.some((l) => f.moduleId.endsWith(l));
    return [...sorted.filter(longest), ...sorted.filter((f) => !longest(f))];
  }
}

export default defineConfig({
  test: {
    // cdktf's Testing matchers are written for Jest and look for a global `expect`.
    globals: true,
    setupFiles: ["test/setup.ts"],
    include: ["test/**/*.test.ts"],
    // Synthesizing stacks is CPU-bound: one worker per core, two at least (vitest's default is cores - 1, so one
    // on a 2-core machine while the other core waits on the CLI tests' child processes).
    pool: "threads",
    maxWorkers: 2,
    // Files share a worker's module cache instead of reloading cdktf, the provider bindings and the sample app for
    // each file: helpers.ts builds and synthesizes the sample once per worker. Shared fixtures are frozen or
    // read-only, and a test that spies or stubs restores it in the same test.
    isolate: false,
    testTimeout: 30_000,
    sequence: { sequencer: LongestFirst },
    // Transformed TypeScript is kept in node_modules/.experimental-vitest-cache, keyed by file content and config,
    // so a rerun transforms only what changed (~2 CPU-s less); npm ci empties it with the rest of node_modules.
    experimental: { fsModuleCache: true },
  },
});
