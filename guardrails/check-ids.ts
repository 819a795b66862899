// The Checkov AWS check ids this project knows, read from guardrails/checkov-ids.json (extracted from Checkov
// itself), so that a typo in an exception fails at synthesis even where Checkov is not installed.
import ids from "./checkov-ids.json" with { type: "json" };

/** A Checkov AWS check id such as CKV_AWS_338 or CKV2_AWS_5. */
export type CheckId = `CKV_AWS_${number}` | `CKV2_AWS_${number}`;

/** One known check: Checkov's own name for it and the block types it reports on. */
export interface KnownCheck {
  readonly name: string;
  readonly types: readonly string[];
}

const known: Readonly<Record<string, KnownCheck>> = ids.checks;

/** The Checkov version and command the list was extracted from. */
export const CHECK_IDS_SOURCE: string = ids.source;

/** The Checkov version the list was extracted from, as its source line names it ("checkov 3.3.13: ..."). */
export const CHECKOV_VERSION: string = /^checkov (\S+):/.exec(ids.source)?.[1] ?? "(unknown version)";

/** True when `id` has the shape of a Checkov AWS check id. */
export function isCheckIdShape(id: string): id is CheckId {
  return /^CKV2?_AWS_\d+$/.test(id);
}

/** The known check with this id, or undefined. */
export function knownCheck(id: string): KnownCheck | undefined {
  return Object.hasOwn(known, id) ? known[id] : undefined;
}

/** Checkov's name for a check, or the id itself when unknown. */
export function checkName(id: string): string {
  return knownCheck(id)?.name ?? id;
}
