// `npm run stack`: pick an environment, its stacks and an action, then run the same `npm run tf` command line a
// person could type (and show it, so they learn it). Prompts are @clack/prompts; tests pass their own streams.
import type { Readable, Writable } from "node:stream";
import { autocompleteMultiselect, isCancel, log, select } from "@clack/prompts";
import { environmentOf } from "./stacks.ts";
import { SHARED_TARGET, type Action } from "./tf-args.ts";

/** The actions the picker offers (synth and list need no picking). */
export const PICKER_ACTIONS: readonly { value: Action; hint: string }[] = [
  { value: "plan", hint: "show what would change; writes a plan file per stack" },
  { value: "apply", hint: "plan, review, then apply that exact plan" },
  { value: "output", hint: "print the stacks' outputs" },
  { value: "destroy", hint: "plan a destroy, review, then apply it (reverse order)" },
];

/** Streams for the prompts: the terminal by default. */
export interface PickerIO {
  readonly input?: Readable;
  readonly output?: Writable;
}

/**
 * The `npm run tf` arguments for a pick: components by their short name within the environment, shared stacks by
 * name, and the bare environment when every one of its stacks (and no shared one) was picked.
 */
export function tfArgsFor(
  action: Action,
  env: string,
  picked: readonly string[],
  all: readonly string[],
  environments: readonly string[],
): string[] {
  const own = all.filter((s) => environmentOf(s, environments) === env);
  const pickedOwn = picked.filter((s) => own.includes(s));
  const pickedShared = picked.filter((s) => !own.includes(s));
  if (pickedOwn.length === 0) return [action, SHARED_TARGET, ...pickedShared];
  if (pickedShared.length === 0 && pickedOwn.length === own.length) return [action, env];
  return [action, env, ...pickedOwn.map((s) => s.slice(env.length + 1)), ...pickedShared];
}

/** Asks the three questions; returns the tf arguments, or undefined when the person cancelled. */
export async function pick(
  stacks: readonly string[],
  environments: readonly string[],
  io: PickerIO = {},
): Promise<string[] | undefined> {
  const env = await select({
    ...io,
    message: "Environment",
    options: environments.map((e) => ({
      value: e,
      hint: `${stacks.filter((s) => environmentOf(s, environments) === e).length} stacks`,
    })),
  });
  if (isCancel(env)) return undefined;
  const offered = stacks.filter((s) => [env, undefined].includes(environmentOf(s, environments)));
  const picked = await autocompleteMultiselect({
    ...io,
    message: "Stacks (type to filter, Tab to select, Enter to confirm)",
    options: offered.map((s) => ({
      value: s,
      hint: environmentOf(s, environments) ? undefined : "shared by every environment",
    })),
    required: true,
  });
  if (isCancel(picked)) return undefined;
  const action = await select({ ...io, message: "Action", options: PICKER_ACTIONS.map((a) => ({ ...a })) });
  if (isCancel(action)) return undefined;
  const args = tfArgsFor(action, env, picked, stacks, environments);
  log.info(`npm run tf -- ${args.join(" ")}`, io);
  return args;
}
