// Deliberate Checkov exceptions, declared beside the resource they concern and recorded in the synthesized JSON.
import type { TerraformResource } from "cdktf";

/** A Checkov check id such as CKV_AWS_338 or CKV2_AWS_5. */
export type CheckId = `CKV_AWS_${number}` | `CKV2_AWS_${number}`;

/** One recorded exception, as written under the resource's `//` metadata key `checkov`. */
export interface CheckException {
  readonly id: CheckId;
  readonly reason: string;
}

const recorded = new WeakMap<TerraformResource, CheckException[]>();

/** Metadata key under a resource's `//` block that `npm run checkov` reads. */
export const EXCEPTIONS_METADATA_KEY = "checkov_exceptions";

/**
 * Declares that `resource` deliberately fails Checkov check `id`, for `reason` (required: say which requirement
 * or constraint makes the exception right). `npm run checkov` subtracts exactly this (stack, address, check)
 * and fails when the check no longer fails, so an exception cannot outlive its cause.
 */
export function allowCheck(resource: TerraformResource, id: CheckId, reason: string): void {
  if (!/^CKV2?_AWS_\d+$/.test(id)) throw new Error(`allowCheck: "${id}" is not a Checkov AWS check id`);
  if (reason.trim().length < 10)
    throw new Error(`allowCheck(${resource.node.path}, ${id}): give the reason in words, not "${reason}"`);
  const list = recorded.get(resource) ?? [];
  if (list.some((e) => e.id === id))
    throw new Error(`allowCheck(${resource.node.path}, ${id}): declared twice`);
  list.push({ id, reason: reason.trim() });
  recorded.set(resource, list);
  resource.addOverride(
    `//.${EXCEPTIONS_METADATA_KEY}`,
    list.map((e) => ({ ...e })),
  );
}
