// AWS schedule expressions (EventBridge, Application Auto Scaling, AWS Backup): cron(...) with six fields, rate(...)
// and at(...). A Unix cron with five fields is the usual mistake; the message shows its AWS form.
import { z } from "zod";
import { orList } from "./suggest.ts";

/** The kinds of expression a service takes: AWS Backup takes cron only, scheduled scaling all three. */
export type ScheduleKind = "cron" | "rate" | "at";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
/** AWS numbers days of the week 1 (SUN) to 7 (SAT); Unix numbers them 0 (SUN) to 6 (SAT), 7 also SUN. */
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Accepts `?` (day-of-month and day-of-week only). */
  readonly question?: boolean;
  /** Extra single tokens this field accepts (L, W, #). */
  readonly special?: RegExp;
  /** Accepts a step (`*\/5`, `0/15`); AWS refuses it in day-of-week. */
  readonly step?: boolean;
}

/** The six fields of an AWS cron expression, in order. */
const FIELDS: readonly Field[] = [
  { name: "minutes", min: 0, max: 59, step: true },
  { name: "hours", min: 0, max: 23, step: true },
  {
    name: "day-of-month",
    min: 1,
    max: 31,
    question: true,
    special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/,
    step: true,
  },
  { name: "month", min: 1, max: 12, names: MONTHS, step: true },
  {
    name: "day-of-week",
    min: 1,
    max: 7,
    names: DAYS,
    question: true,
    special: /^(L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/i,
  },
  { name: "year", min: 1970, max: 2199, step: true },
];

/** Why one value of a field is wrong, or undefined when it is right. */
function valueProblem(f: Field, v: string): string | undefined {
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    return n >= f.min && n <= f.max ? undefined : `${f.name} ${v} is outside ${f.min}-${f.max}`;
  }
  if (f.names?.includes(v.toUpperCase())) return undefined;
  return `"${v}" is not a ${f.name} value (${f.min}-${f.max}${f.names ? ` or ${f.names[0]}-${f.names.at(-1)!}` : ""})`;
}

/** Why one field is wrong, or undefined when it is right. */
function fieldProblem(f: Field, text: string): string | undefined {
  if (text === "?")
    return f.question ? undefined : `? is allowed only in day-of-month and day-of-week, not ${f.name}`;
  for (const part of text.split(",")) {
    if (part === "*" || f.special?.test(part)) continue;
    const [range, step, extra] = part.split("/");
    if (extra !== undefined || range === undefined || range === "")
      return `"${part}" is not a valid ${f.name} entry`;
    if (step !== undefined) {
      if (!f.step) return `${f.name} takes no step ("/"); list the days instead`;
      if (!/^\d+$/.test(step) || Number(step) < 1) return `"${step}" is not a valid step in ${f.name}`;
    }
    if (range === "*") continue;
    const ends = range.split("-");
    if (ends.length > 2) return `"${range}" is not a valid ${f.name} range`;
    for (const end of ends) {
      const problem = valueProblem(f, end);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** Why an AWS cron body (the text between the parentheses) is wrong, or undefined when it is right. */
function cronProblem(fields: readonly string[]): string | undefined {
  if (fields.length !== 6)
    return `has ${fields.length} fields; AWS cron takes six: minutes hours day-of-month month day-of-week year`;
  for (const [i, f] of FIELDS.entries()) {
    const problem = fieldProblem(f, fields[i]!);
    if (problem) return problem;
  }
  const [dom, dow] = [fields[2], fields[4]];
  if (dom !== "?" && dow !== "?")
    return "day-of-month and day-of-week cannot both be given: one of them must be ?";
  if (dom === "?" && dow === "?") return "day-of-month and day-of-week cannot both be ?: give one of them";
  return undefined;
}

/** Unix day-of-week numbers (0-7, 0 and 7 = Sunday) as AWS day names, so their meaning cannot shift. */
function unixDaysToAws(dow: string): string | undefined {
  if (dow.includes("/")) return undefined;
  const day = (v: string) => (/^[0-7]$/.test(v) ? DAYS[Number(v) % 7] : v.toUpperCase());
  return dow
    .split(",")
    .map((part) => part.split("-").map(day).join("-"))
    .join(",");
}

/**
 * The AWS form of a five-field Unix cron body, or undefined when it has none: Unix runs a job when day-of-month OR
 * day-of-week matches, which AWS cannot express when both are restricted.
 */
function awsCronFromUnix(fields: readonly string[]): string | undefined {
  if (fields.length !== 5) return undefined;
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const days = unixDaysToAws(dow);
  if (days === undefined) return undefined;
  let body: string[];
  if (dow === "*") body = [min, hour, dom, month, "?", "*"];
  else if (dom === "*") body = [min, hour, "?", month, days, "*"];
  else return undefined;
  return cronProblem(body) === undefined ? `cron(${body.join(" ")})` : undefined;
}

/** A corrected form of a six-field cron whose day fields both carry a value: `*` in one of them becomes `?`. */
function withQuestionMark(fields: readonly string[]): string | undefined {
  const f = [...fields];
  if (f[2] === "*") f[2] = "?";
  else if (f[4] === "*") f[4] = "?";
  else return undefined;
  return cronProblem(f) === undefined ? `cron(${f.join(" ")})` : undefined;
}

/** Why `expression` is not a schedule of one of `kinds` (a whole message), or undefined when it is one. */
export function scheduleProblem(expression: string, kinds: readonly ScheduleKind[]): string | undefined {
  const q = JSON.stringify(expression);
  const m = /^(cron|rate|at)\((.*)\)$/.exec(expression.trim());
  const forms = orList(kinds.map((k) => `${k}(...)`));
  const example = kinds.includes("cron") ? ", e.g. cron(0 7 ? * MON-FRI *)" : "";
  if (!m) {
    const aws = kinds.includes("cron") ? awsCronFromUnix(expression.trim().split(/\s+/)) : undefined;
    return aws ? `${q} is a Unix cron; AWS needs ${aws}` : `${q} is not ${forms}${example}`;
  }
  const [, kind, body] = m as unknown as [string, ScheduleKind, string];
  if (!kinds.includes(kind)) return `${q}: ${kind}(...) is not accepted here; use ${forms}${example}`;
  if (kind === "cron") {
    const fields = body.trim().split(/\s+/);
    const aws = awsCronFromUnix(fields);
    if (aws)
      return `${q} is a Unix cron (five fields); AWS cron has six, with ? in day-of-month or day-of-week: ${aws}`;
    const problem = cronProblem(fields);
    if (!problem) return undefined;
    const fixed = problem.startsWith("day-of-month and day-of-week cannot both be given")
      ? withQuestionMark(fields)
      : undefined;
    return `${q} is not an AWS cron: ${problem}${fixed ? `; write ${fixed}` : ""}`;
  }
  if (kind === "rate") {
    const r = /^(\d+) (minute|hour|day)(s?)$/.exec(body.trim());
    if (!r)
      return `${q} is not an AWS rate: give a whole number and minute(s), hour(s) or day(s), e.g. rate(5 minutes)`;
    const n = Number(r[1]);
    if (n < 1) return `${q} is not an AWS rate: the value must be at least 1`;
    const right = `rate(${n} ${r[2]!}${n === 1 ? "" : "s"})`;
    return (n === 1) === (r[3] === "") ? undefined : `${q} must be written ${right}`;
  }
  const a = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!a) return `${q} is not an AWS at(...): give yyyy-mm-ddThh:mm:ss, e.g. at(2026-06-01T08:00:00)`;
  const [y, mo, d, h, mi, sec] = a.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  return real && h < 24 && mi < 60 && sec < 60 ? undefined : `${q}: ${body} is not a real date and time`;
}

/** A schema field holding a schedule expression of one of `kinds`. */
export const ScheduleExpression = (kinds: readonly ScheduleKind[]) =>
  z.string().superRefine((s, ctx) => {
    const message = scheduleProblem(s, kinds);
    if (message) ctx.addIssue({ code: "custom", message });
  });
