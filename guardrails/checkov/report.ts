// Reading Checkov's JSON output (`-o json`) for one stack, and the stack JSON facts the report needs.
import { EXCEPTIONS_METADATA_KEY } from "../exceptions.ts";

/** A synthesized stack, as far as the runner reads it. */
export interface StackDocument {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
}

/** One check result, named by Terraform address (`type.logicalId`, `data.type.logicalId`, or `provider.aws`). */
export interface CheckResult {
  readonly address: string;
  readonly checkId: string;
  readonly name: string;
}

/** The passed and failed checks of one stack. */
export interface StackResults {
  readonly passed: readonly CheckResult[];
  readonly failed: readonly CheckResult[];
}

interface RawCheck {
  readonly check_id?: string;
  readonly check_name?: string;
  readonly resource?: string;
}
interface RawReport {
  readonly results?: { readonly passed_checks?: RawCheck[]; readonly failed_checks?: RawCheck[] };
}

/** Removes every JSON null, at any depth: cdktf writes null for unset arguments, and Terraform reads null as unset. */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, stripNulls(v)]),
    );
  return value;
}

/**
 * Maps Checkov's resource names to Terraform addresses: per-resource checks say `resource.<logicalId>` (and
 * `data.<logicalId>`), graph checks `<type>.<logicalId>`. cdktf's logical ids are unique in a stack, so the id
 * finds the type.
 */
export function addressResolver(stack: StackDocument): (name: string) => string {
  const typeOf = (section: StackDocument["resource"], id: string): string | undefined =>
    Object.entries(section ?? {}).find(([, byId]) => Object.hasOwn(byId, id))?.[0];
  return (name) => {
    const [head, ...rest] = name.split(".");
    const id = rest.join(".");
    if (head === "resource" && rest.length > 0) {
      const type = typeOf(stack.resource, id);
      return type ? `${type}.${id}` : name;
    }
    if (head === "data" && rest.length === 1) {
      const type = typeOf(stack.data, id);
      return type ? `data.${type}.${id}` : name;
    }
    return name;
  };
}

/** Parses Checkov's JSON output for one stack. Throws when it is not Checkov JSON output. */
export function parseCheckovOutput(text: string, stack: StackDocument): StackResults {
  const parsed = JSON.parse(text) as RawReport | RawReport[];
  if (!parsed || typeof parsed !== "object") throw new Error("not a Checkov JSON report");
  // One report per framework (a list) or one report; a file with no resources gives a bare summary.
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  const address = addressResolver(stack);
  const read = (checks: RawCheck[] | undefined): CheckResult[] =>
    (checks ?? []).map((c) => ({
      address: address(c.resource ?? "?"),
      checkId: c.check_id ?? "?",
      name: c.check_name ?? "",
    }));
  return {
    passed: reports.flatMap((r) => read(r.results?.passed_checks)),
    failed: reports.flatMap((r) => read(r.results?.failed_checks)),
  };
}

/** One exception as recorded by `allowCheck` under a resource's `//`.checkov_exceptions. */
export interface DeclaredException {
  readonly address: string;
  readonly checkId: string;
  readonly reason: string;
}

/** The exceptions declared in a synthesized stack. */
export function declaredExceptions(stack: StackDocument, key = EXCEPTIONS_METADATA_KEY): DeclaredException[] {
  const out: DeclaredException[] = [];
  for (const [type, byId] of Object.entries(stack.resource ?? {}))
    for (const [id, attrs] of Object.entries(byId)) {
      const meta = attrs["//"] as Record<string, unknown> | undefined;
      const list = meta?.[key];
      if (!Array.isArray(list)) continue;
      for (const e of list as { id?: unknown; reason?: unknown }[])
        out.push({
          address: `${type}.${id}`,
          checkId: typeof e.id === "string" ? e.id : "",
          reason: typeof e.reason === "string" ? e.reason.trim() : "",
        });
    }
  return out;
}
