// Registers cdktf's Testing matchers (written for Jest) with vitest's global expect.
import { Testing } from "cdktf";
import { skipPlainStackCaptures } from "../scripts/lib/plain-stack-captures.mjs";

Testing.setupJest();

interface CdktfMatchers<R = unknown> {
  toHaveResource(resource: { readonly tfResourceType: string }): R;
  toHaveResourceWithProperties(
    resource: { readonly tfResourceType: string },
    properties: Record<string, unknown>,
  ): R;
  toHaveDataSource(dataSource: { readonly tfResourceType: string }): R;
  toHaveDataSourceWithProperties(
    dataSource: { readonly tfResourceType: string },
    properties: Record<string, unknown>,
  ): R;
  toHaveProvider(provider: { readonly tfResourceType: string }): R;
  toHaveProviderWithProperties(
    provider: { readonly tfResourceType: string },
    properties: Record<string, unknown>,
  ): R;
  /** Needs a Terraform binary: kept out of the default run (see test/terraform/). */
  toBeValidTerraform(): R;
  /** Needs a Terraform binary and credentials: kept out of the default run. */
  toPlanSuccessfully(): R;
}

declare module "vitest" {
  // oxlint-disable-next-line typescript/no-explicit-any -- must match vitest's own declaration exactly
  interface Matchers<T = any> extends CdktfMatchers<T> {}
}

// cdktf's stack trace per token and construct, formatted (here through vitest's source-mapping formatter) only for
// an error about it: collecting the frames alone is ~9% of the CPU of a test that synthesizes. Real Errors keep
// vitest's formatting. Installed once per worker: files share it (see vitest.config.ts).
const INSTALLED = Symbol.for("test.plainStackCapturesSkipped");
const global = globalThis as { [INSTALLED]?: true };
if (!global[INSTALLED]) {
  skipPlainStackCaptures();
  global[INSTALLED] = true;
}
