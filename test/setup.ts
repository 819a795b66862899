// Registers cdktf's Testing matchers (written for Jest) with vitest's global expect.
import { Testing } from "cdktf";

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

// cdktf records a full-depth stack trace for every token and construct (on a plain object, not an Error) and
// formats it at once, through vitest's source-map support, only ever to show it in an error about that token.
// Leave those captures empty, as scripts/synth.mjs does; real Errors keep vitest's formatting. Installed once per
// worker (files share it, see vitest.config.ts).
const PLAIN_CAPTURES_SKIPPED = Symbol.for("test.plainStackCapturesSkipped");
const formatStack = Error.prepareStackTrace as
  (((error: Error, frames: NodeJS.CallSite[]) => unknown) & { [PLAIN_CAPTURES_SKIPPED]?: true }) | undefined;
if (!formatStack?.[PLAIN_CAPTURES_SKIPPED]) {
  const skipPlain = (error: Error, frames: NodeJS.CallSite[]): unknown => {
    if (!(error instanceof Error)) return "";
    return formatStack
      ? formatStack(error, frames)
      : [String(error), ...frames.map((f) => `    at ${String(f)}`)].join("\n");
  };
  Error.prepareStackTrace = Object.assign(skipPlain, { [PLAIN_CAPTURES_SKIPPED]: true as const });
}
