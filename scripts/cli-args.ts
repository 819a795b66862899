// How every command of this project reads its arguments: `--help` prints the usage, and anything it does not know
// is refused with one line naming what it accepts, exit 1 (never a Node stack trace).
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** A command's name (as the person typed it), its usage line, its options, and how many positionals it takes. */
export interface CommandLine<O extends Options> {
  readonly name: string;
  readonly usage: string;
  readonly options: O;
  /** @default 0 */
  readonly maxPositionals?: number;
}

/** Parses `argv`; prints usage and exits 0 on `--help`, prints one line and exits 1 on anything unexpected. */
export function parseCommandLine<const O extends Options>(
  command: CommandLine<O>,
  argv: readonly string[] = process.argv.slice(2),
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  const fail = (why: string): never => {
    process.stderr.write(`${command.name}: ${why}; usage: ${command.usage}\n`);
    process.exit(1);
  };
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`usage: ${command.usage}\n`);
    process.exit(0);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: command.options,
      allowPositionals: true as const,
      strict: true as const,
    });
  } catch (e) {
    // node:util's messages are long and suggest `--` tricks; keep only the offending argument.
    const arg = /'([^']+)'/.exec((e as Error).message)?.[1] ?? String(e);
    const code = (e as { code?: string }).code;
    return fail(
      code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? `unknown option ${arg}`
        : code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
          ? `${arg.split(" ")[0]} needs a value`
          : (e as Error).message,
    );
  }
  const max = command.maxPositionals ?? 0;
  if (parsed.positionals.length > max) fail(`unexpected argument ${parsed.positionals[max]}`);
  return parsed;
}
