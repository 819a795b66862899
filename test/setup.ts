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
// formats it at once, here through vitest's source-mapping prepareStackTrace, only ever to show it in an error
// about that token. Leave those captures empty, as scripts/synth.mjs does; real Errors keep vitest's formatting.
// Collecting the frames alone is ~9% of the CPU of a test that synthesizes, so a plain-object capture is skipped while the formatter
// below is in place (it would format to "" anyway); code that sets its own prepareStackTrace still gets its frames.
// Installed once per worker: files share it (see vitest.config.ts).
const INSTALLED = Symbol.for("test.plainStackCapturesSkipped");
const global = globalThis as { [INSTALLED]?: true };
const formatStack = Error.prepareStackTrace?.bind(Error);
if (formatStack && !global[INSTALLED]) {
  const skipPlain: NonNullable<typeof Error.prepareStackTrace> = (error, frames) =>
    error instanceof Error ? formatStack(error, frames) : "";
  const capture = Error.captureStackTrace.bind(Error);
  Error.prepareStackTrace = skipPlain;
  Error.captureStackTrace = (target: object, below?: Function) => {
    if (target instanceof Error || Error.prepareStackTrace !== skipPlain) capture(target, below);
    else Object.defineProperty(target, "stack", { value: "", writable: true, configurable: true });
  };
  global[INSTALLED] = true;
}
