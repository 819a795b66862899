import { defineConfig } from "vitest/config";

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
  },
});
