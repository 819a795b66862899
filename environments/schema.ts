// The one source of truth for the configuration: types, defaults and descriptions.
import type { ConfigProblem } from "./errors.ts";
import type { SharedConfig } from "./sections/shared.ts";
import type { EnvironmentConfig } from "./sections/environment.ts";

export { SharedConfigSchema, type SharedConfig } from "./sections/shared.ts";
export { EnvironmentConfigSchema, type EnvironmentConfig } from "./sections/environment.ts";

/** The whole validated configuration: shared.yaml plus one entry per environment, in promotion order. */
export interface Config {
  readonly shared: SharedConfig;
  readonly environments: readonly EnvironmentConfig[];
  /** Deliberate-looking choices the loader warns about (e.g. an unprotected production). @default - none */
  readonly warnings?: readonly ConfigProblem[];
}
export { FrontendSection, type FrontendConfig } from "./sections/frontend.ts";
