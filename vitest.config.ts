import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // cdktf's Testing matchers are written for Jest and look for a global `expect`.
    globals: true,
    setupFiles: ["test/setup.ts"],
    include: ["test/**/*.test.ts"],
    // Synthesizing stacks is CPU-bound: one worker per core.
    pool: "threads",
    testTimeout: 30_000,
  },
});
