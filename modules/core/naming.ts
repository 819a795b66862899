// One naming helper for every physical AWS name: <project>-<env>-<component>[-<purpose>], within each service's limits.
import { createHash } from "node:crypto";

/** What every physical name starts with. */
export interface NameContext {
  readonly project: string;
  /** The environment name, or "shared" for the bootstrap and shared stacks. */
  readonly environment: string;
}

/** Limits of the AWS service the name is for. */
export interface NameOptions {
  /** Longest name the service accepts. @default 63 */
  readonly maxLength?: number;
  /** Separator between parts; `_` for services that refuse hyphens. @default "-" */
  readonly separator?: "-" | "_" | "/";
}

const DEFAULT_MAX_LENGTH = 63;
const HASH_LENGTH = 8;

/**
 * The physical name `<project>-<env>-<parts...>`. When it exceeds `maxLength`, it is cut and ends in a hash of
 * the full name, so two long names that share a prefix stay distinct and the result is stable across runs.
 */
export function resourceName(
  ctx: NameContext,
  parts: string | readonly string[],
  options: NameOptions = {},
): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const separator = options.separator ?? "-";
  const all = [ctx.project, ctx.environment, ...(typeof parts === "string" ? [parts] : parts)].filter(
    Boolean,
  );
  const full = all.join(separator);
  if (full.length <= maxLength) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, HASH_LENGTH);
  const head = full.slice(0, maxLength - HASH_LENGTH - 1).replace(/[-_/]+$/, "");
  return `${head}${separator}${hash}`;
}
