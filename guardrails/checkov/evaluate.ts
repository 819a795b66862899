// Turns Checkov's results for each stack into the verdict: failures, exceptions subtracted exactly by (stack,
// address, check id), stale and unknown exceptions, not-applicable checks left out, and the printed report.
import { checkName, knownCheck } from "../check-ids.ts";
import type { NotApplicable } from "./not-applicable.ts";
import type { CheckResult, DeclaredException, StackResults } from "./report.ts";

/** What happened to one stack. */
export interface StackOutcome {
  readonly stack: string;
  readonly passed: number;
  /** Failures no exception covers. */
  readonly failures: readonly CheckResult[];
  /** Failures covered by an exception, with its reason. */
  readonly excepted: readonly (CheckResult & { readonly reason: string })[];
  /** Results of not-applicable checks, left out of passed and failed. */
  readonly notApplicable: number;
  /** Exceptions that are wrong: unknown id, or stale (the check passes or no longer reports on the resource). */
  readonly badExceptions: readonly string[];
}

const key = (address: string, checkId: string): string => `${address} ${checkId}`;

/** Applies exceptions and the not-applicable list to one stack's results. */
export function evaluateStack(
  stack: string,
  results: StackResults,
  exceptions: readonly DeclaredException[],
  notApplicable: readonly NotApplicable[],
): StackOutcome {
  const na = new Set(notApplicable.map((n) => n.checkId));
  const declared = new Map(exceptions.map((e) => [key(e.address, e.checkId), e]));
  const relevantFailed = results.failed.filter((r) => !na.has(r.checkId));
  const failedKeys = new Set(relevantFailed.map((r) => key(r.address, r.checkId)));
  const passedKeys = new Set(results.passed.map((r) => key(r.address, r.checkId)));
  const badExceptions: string[] = [];
  for (const e of exceptions) {
    const where = `${stack}  ${e.address}  ${e.checkId}`;
    if (!knownCheck(e.checkId)) badExceptions.push(`${where}  exception names an unknown check id`);
    else if (!e.reason) badExceptions.push(`${where}  exception has no reason`);
    else if (na.has(e.checkId))
      badExceptions.push(
        `${where}  exception for a check the not-applicable list already turns off: remove it`,
      );
    else if (!failedKeys.has(key(e.address, e.checkId)))
      badExceptions.push(
        `${where}  stale exception: the check ${passedKeys.has(key(e.address, e.checkId)) ? "passes now" : "no longer applies to this resource"}; remove the allowCheck call ("${e.reason}")`,
      );
  }
  const excepted: (CheckResult & { reason: string })[] = [];
  const failures: CheckResult[] = [];
  for (const r of relevantFailed) {
    const e = declared.get(key(r.address, r.checkId));
    if (e && e.reason) excepted.push({ ...r, reason: e.reason });
    else failures.push(r);
  }
  return {
    stack,
    passed: results.passed.filter((r) => !na.has(r.checkId)).length,
    failures,
    excepted,
    notApplicable: [...results.passed, ...results.failed].filter((r) => na.has(r.checkId)).length,
    badExceptions,
  };
}

/** The printed report and the exit code (0 clean, 1 unexcepted failures or bad exceptions). */
export function formatReport(
  outcomes: readonly StackOutcome[],
  notApplicable: readonly NotApplicable[],
): { lines: string[]; exitCode: 0 | 1 } {
  const sorted = [...outcomes].sort((a, b) => a.stack.localeCompare(b.stack));
  const lines: string[] = [];
  const row = (stack: string, address: string, id: string, text: string): string =>
    `${stack}  ${address}  ${id}  ${text}`;
  const failures = sorted.flatMap((o) => o.failures);
  const sortResults = <T extends CheckResult>(list: readonly T[]): T[] =>
    [...list].sort((a, b) => a.address.localeCompare(b.address) || a.checkId.localeCompare(b.checkId));
  for (const o of sorted)
    for (const f of sortResults(o.failures)) lines.push(row(o.stack, f.address, f.checkId, f.name));
  const bad = sorted.flatMap((o) => o.badExceptions);
  lines.push(...bad);
  const excepted = sorted.flatMap((o) => sortResults(o.excepted).map((e) => ({ o, e })));
  if (excepted.length > 0) {
    lines.push("", `Excepted (${excepted.length}), declared with allowCheck beside the resource:`);
    for (const { o, e } of excepted) lines.push(`  ${row(o.stack, e.address, e.checkId, e.reason)}`);
  }
  if (notApplicable.length > 0) {
    lines.push(
      "",
      `Not applicable to this project (${notApplicable.length}), guardrails/not-applicable.yaml:`,
    );
    for (const n of notApplicable) lines.push(`  ${n.checkId}  ${checkName(n.checkId)}: ${n.reason}`);
  }
  const header = ["stack", "passed", "failed", "excepted", "n/a"];
  const body = sorted.map((o) =>
    [o.stack, o.passed, o.failures.length, o.excepted.length, o.notApplicable].map(String),
  );
  const sum = (i: number): string => String(body.reduce((s, r) => s + Number(r[i]), 0));
  const table = [header, ...body, ["total", sum(1), sum(2), sum(3), sum(4)]];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  lines.push("");
  for (const r of table)
    lines.push(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  return { lines, exitCode: failures.length > 0 || bad.length > 0 ? 1 : 0 };
}
