// cdktf records a full-depth stack trace for every token and construct (Error.captureStackTrace on a plain object,
// not an Error) and formats it at once, only ever to show it in an error about that token: ~10-15% of a synthesis.
// Used by scripts/synth.mjs and test/setup.ts.

/**
 * Leaves plain-object stack captures empty from now on (their `stack` is ""), while the stack formatter is the one
 * in place now. Errors keep their frames, and code that sets its own Error.prepareStackTrace to read call sites
 * still gets them. The synthesized output does not change.
 */
export function skipPlainStackCaptures() {
  const formatter = Error.prepareStackTrace;
  const capture = Error.captureStackTrace.bind(Error);
  Error.captureStackTrace = (target, below) => {
    if (target instanceof Error || Error.prepareStackTrace !== formatter) capture(target, below);
    else Object.defineProperty(target, "stack", { value: "", writable: true, configurable: true });
  };
}
