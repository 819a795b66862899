// Deliberate Checkov exceptions, declared beside the resource they concern and recorded in the synthesized JSON.
import type { TerraformResource } from "cdktf";
import { CHECKOV_VERSION, type CheckId, isCheckIdShape, knownCheck } from "./check-ids.ts";

export type { CheckId } from "./check-ids.ts";

/** One recorded exception, as written under the resource's `//` metadata key `checkov_exceptions`. */
export interface CheckException {
  readonly id: CheckId;
  readonly reason: string;
}

/**
 * A reason given as a string literal must not be empty: `allowCheck(r, "CKV_AWS_18", "")` is a type error, and
 * leaving the argument out is one too. Runtime checks still reject blank and one-word reasons from variables.
 */
export type Reason<R extends string> = R extends "" ? never : R;

const recorded = new WeakMap<TerraformResource, CheckException[]>();

/** Metadata key under a resource's `//` block that `npm run checkov` reads. */
export const EXCEPTIONS_METADATA_KEY = "checkov_exceptions";

/** Shortest reason accepted (here and in not-applicable.yaml): a sentence naming the requirement, not "n/a". */
export const MIN_REASON_LENGTH = 10;

/**
 * Declares that `resource` deliberately fails Checkov check `id`, for `reason` (required: say which requirement
 * or constraint makes the exception right). `npm run checkov` subtracts exactly this (stack, address, check)
 * and fails when the check no longer fails, so an exception cannot outlive its cause.
 * Throws for an id Checkov does not have (see guardrails/checkov-ids.json) or one that never reports on this
 * resource's type, for a blank reason and for the same id declared twice.
 */
export function allowCheck<R extends string>(
  resource: TerraformResource,
  id: CheckId,
  reason: Reason<R>,
): void {
  const where = `allowCheck(${resource.node.path}, ${id})`;
  if (!isCheckIdShape(id)) throw new Error(`allowCheck: "${String(id)}" is not a Checkov AWS check id`);
  const check = knownCheck(id);
  if (!check)
    throw new Error(`${where}: Checkov ${CHECKOV_VERSION} has no check ${id} (guardrails/checkov-ids.json)`);
  if (!check.types.includes(resource.terraformResourceType))
    throw new Error(
      `${where}: ${id} checks ${check.types.join(", ")}, never ${resource.terraformResourceType}, so it cannot fail here`,
    );
  // Callers that pass a variable can still hand in undefined or blank text at run time.
  const text = typeof reason === "string" ? reason.trim() : "";
  if (text.length < MIN_REASON_LENGTH)
    throw new Error(`${where}: give the reason in words (the requirement or constraint), not "${text}"`);
  const list = recorded.get(resource) ?? [];
  if (list.some((e) => e.id === id)) throw new Error(`${where}: declared twice`);
  list.push({ id, reason: text });
  recorded.set(resource, list);
  resource.addOverride(
    `//.${EXCEPTIONS_METADATA_KEY}`,
    list.map((e) => ({ ...e })),
  );
}

/** The exceptions declared on a resource, in declaration order. */
export function exceptionsOf(resource: TerraformResource): readonly CheckException[] {
  return recorded.get(resource) ?? [];
}

/** Checkov's CKV_AWS_338 wants a year of logs. */
export const CHECKOV_MIN_LOG_RETENTION_DAYS = 365;

/**
 * Declares the CKV_AWS_338 exception on `group` when its retention (`days`, chosen in an environment file) is
 * below the year Checkov wants; `reason` names the key that chose it.
 */
export function allowShortRetention<R extends string>(
  group: TerraformResource,
  days: number,
  reason: Reason<R>,
): void {
  if (days < CHECKOV_MIN_LOG_RETENTION_DAYS) allowCheck(group, "CKV_AWS_338", reason);
}
