// The `npm run tf` command line: `<action> <env|shared|all> [component...] [-- terraform flags]`, and which stacks it means.
import { parseArgs } from "node:util";
import { closest } from "../../environments/suggest.ts";
import { closure, environmentOf, type SynthStack } from "./stacks.ts";

/** What `npm run tf` can do. */
export const ACTIONS = ["plan", "apply", "destroy", "output", "synth", "list"] as const;
export type Action = (typeof ACTIONS)[number];

/** The flags, as a person types them (for messages). */
export const FLAGS = [
  "--with-deps",
  "--parallel",
  "--auto-approve",
  "--confirm=<name>",
  "--no-synth",
  "--help",
];

/** The target that means the stacks every environment shares (`bootstrap`, `shared`). */
export const SHARED_TARGET = "shared";
/** The target that means every stack. */
export const ALL_TARGET = "all";

export const USAGE = `usage: npm run tf -- <${ACTIONS.join("|")}> <environment|${SHARED_TARGET}|${ALL_TARGET}> [component...] [${FLAGS.join("] [")}] [-- terraform flags]`;

/** What `--help` prints. */
export const HELP = `${USAGE}

  plan      init when needed, plan each stack to cdktf.out/stacks/<stack>/tfplan and show it
  apply     plan, show, confirm, then apply exactly that plan file, stack by stack in dependency order
  destroy   the same with a destroy plan, in reverse order
  output    terraform output of each stack
  synth     synthesize and list the stacks in deploy order
  list      list the stacks in deploy order (synthesizes first unless --no-synth)

  --with-deps        also run the stacks the selection depends on (destroy: the stacks depending on it)
  --parallel         run stacks that do not depend on each other at the same time
  --auto-approve     apply without the yes/no question
  --confirm=<name>   answer a protected environment's name question in advance (CI); repeatable
  --no-synth         use cdktf.out as it is
A plan that deletes or replaces data always needs the environment's name typed at a terminal.`;

/** A mistake on the command line: printed as one line, exit 1. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A parsed `npm run tf` command line. */
export interface TfArgs {
  readonly action: Action;
  readonly target: string;
  readonly components: readonly string[];
  /** Also run the stacks the selection depends on (for destroy: the stacks that depend on it). */
  readonly withDeps: boolean;
  /** Run stacks that do not depend on each other at the same time. */
  readonly parallel: boolean;
  /** Apply or destroy without asking, except where production or data loss needs the environment's name. */
  readonly autoApprove: boolean;
  /** Environment names confirmed in advance, as if typed at the production prompt (never for data loss). */
  readonly confirm: readonly string[];
  /** Synthesize first (off with --no-synth: use cdktf.out as it is). */
  readonly synth: boolean;
  /** Passed through to terraform's plan (or output). */
  readonly terraformArgs: readonly string[];
  readonly help: boolean;
}

/** Parses the arguments after `npm run tf --`. Throws UsageError with one line for anything mistyped. */
export function parseTfArgs(argv: readonly string[]): TfArgs {
  const split = argv.indexOf("--");
  const own = split === -1 ? [...argv] : argv.slice(0, split);
  const terraformArgs = split === -1 ? [] : argv.slice(split + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: own,
      allowPositionals: true,
      strict: true,
      options: {
        "with-deps": { type: "boolean", default: false },
        parallel: { type: "boolean", default: false },
        "auto-approve": { type: "boolean", default: false },
        confirm: { type: "string", multiple: true, default: [] },
        "no-synth": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    const flag = /'([^']+)'/.exec((e as Error).message)?.[1] ?? own.find((a) => a.startsWith("-")) ?? "";
    throw new UsageError(
      `unknown or incomplete flag ${flag}: valid flags are ${FLAGS.join(", ")} (terraform's own flags go after --)`,
    );
  }
  const { values, positionals } = parsed;
  const help = values.help;
  const [action, target, ...components] = positionals;
  if (!help) {
    if (action === undefined || target === undefined) throw new UsageError(USAGE);
    if (!(ACTIONS as readonly string[]).includes(action))
      throw new UsageError(
        `unknown action ${quoted(action, ACTIONS)}: valid actions are ${ACTIONS.join(", ")}`,
      );
  }
  return {
    action: (action ?? "list") as Action,
    target: target ?? ALL_TARGET,
    components,
    withDeps: values["with-deps"],
    parallel: values.parallel,
    autoApprove: values["auto-approve"],
    confirm: values.confirm,
    synth: !values["no-synth"],
    terraformArgs,
    help,
  };
}

/** `"x" (did you mean y?)` when one valid name is close, else `"x"`. */
function quoted(word: string, valid: readonly string[]): string {
  const near = closest(word, valid);
  return near ? `"${word}" (did you mean ${near}?)` : `"${word}"`;
}

/** One line for an unknown environment, naming the valid ones. */
export function unknownTarget(target: string, environments: readonly string[]): UsageError {
  const targets = [...environments, SHARED_TARGET, ALL_TARGET];
  return new UsageError(`unknown environment ${quoted(target, targets)}: valid are ${targets.join(", ")}`);
}

/** The stacks a target means, before dependencies are added. */
function stacksOfTarget(
  stacks: ReadonlyMap<string, SynthStack>,
  target: string,
  environments: readonly string[],
): string[] {
  const names = [...stacks.keys()];
  if (target === ALL_TARGET) return names;
  if (target === SHARED_TARGET) return names.filter((n) => environmentOf(n, environments) === undefined);
  return names.filter((n) => environmentOf(n, environments) === target);
}

/**
 * The stacks a command line selects. A component is `<env>-<component>`'s suffix (`db`) or any stack's full name
 * (`shared`, `bootstrap`, `dev-db`), so one command can name an environment's stacks together with shared ones.
 */
export function selectStacks(
  args: Pick<TfArgs, "action" | "target" | "components" | "withDeps">,
  stacks: ReadonlyMap<string, SynthStack>,
  environments: readonly string[],
): Set<string> {
  if (![...environments, SHARED_TARGET, ALL_TARGET].includes(args.target))
    throw unknownTarget(args.target, environments);
  const ofTarget = stacksOfTarget(stacks, args.target, environments);
  let selected = new Set(ofTarget);
  if (args.components.length > 0) {
    const env = environments.includes(args.target) ? args.target : undefined;
    selected = new Set(
      args.components.map((c) => {
        if (env && stacks.has(`${env}-${c}`)) return `${env}-${c}`;
        if (stacks.has(c)) return c;
        const valid = [
          ...ofTarget.map((n) => (env ? n.slice(env.length + 1) : n)),
          ...(env ? stacksOfTarget(stacks, SHARED_TARGET, environments) : []),
        ];
        throw new UsageError(
          `unknown component ${quoted(c, valid)} for ${args.target}: valid are ${valid.join(", ")}`,
        );
      }),
    );
  }
  if (args.withDeps) selected = closure(stacks, selected, args.action === "destroy" ? "down" : "up");
  return selected;
}
