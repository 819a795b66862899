// How configuration problems are reported: one line each, with file, line, column and key path.

/** One problem in one configuration file. `path` is the key path inside that file. */
export interface ConfigProblem {
  readonly file: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** 1-based position; filled in by the loader from the YAML document. */
  readonly line?: number;
  readonly col?: number;
  /**
   * A warning never stops loading or synthesis; it is printed on every synth and validate, for a choice that can be
   * deliberate. @default false (an error)
   */
  readonly warning?: boolean;
  /** The environment a warning concerns, so it is shown with that environment's stacks. @default - shared */
  readonly environment?: string;
}

/** Formats a problem as `file:line:col key.path: message`. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.col ?? 1}`;
  const key = p.path.length > 0 ? ` ${p.path.map(String).join(".")}:` : "";
  return `${where}${key} ${p.message}`;
}

/** Problems in file, line and column order. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0),
  );
}

/** Thrown for any problem a person caused in the configuration. `main.ts` prints it and exits 1. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const sorted = sortProblems(problems);
    super(sorted.map(formatProblem).join("\n"));
    this.name = "ConfigError";
    this.problems = sorted;
  }
}
