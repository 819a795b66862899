// `npm run tf`: synthesizes once, then runs terraform in each selected stack's folder, in dependency order, with a
// plan file that is reviewed before exactly that file is applied.
import { existsSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  dataLosses,
  isEmpty,
  summarize,
  type DataLoss,
  type PlanJson,
  type PlanSummary,
} from "./plan-review.ts";
import { environmentOf, deployOrder, dependentsOf, readStacks, type SynthStack } from "./stacks.ts";
import {
  checkTerraform,
  firstError,
  isCredentialError,
  terraform,
  TerraformMissing,
  type TerraformResult,
} from "./terraform.ts";
import {
  HELP,
  parseTfArgs,
  selectStacks,
  SHARED_TARGET,
  unknownTarget,
  UsageError,
  type TfArgs,
} from "./tf-args.ts";

/** Terraform's ways of saying the working directory must be initialized (again) before this command. */
const NEEDS_INIT =
  /Backend initialization required|Backend configuration changed|Inconsistent dependency lock file|Required plugins are not installed|Module not installed|please run "terraform init"/i;

/** The plan file written in each stack folder and applied from there. */
export const PLAN_FILE = "tfplan";

/** An environment as the runner needs it. */
export interface EnvironmentInfo {
  readonly name: string;
  /** A protected (production) environment: apply and destroy always ask for its name. */
  readonly protected: boolean;
}

/** Everything the runner touches outside itself, so tests can drive it end to end. */
export interface TfDeps {
  /** Synthesis output folder. */
  readonly outdir: string;
  /** Environment variables for terraform (its PATH decides which terraform runs). */
  readonly env: NodeJS.ProcessEnv;
  /** A person can answer prompts (stdin and stdout are a terminal). */
  readonly interactive: boolean;
  readonly color: boolean;
  /** Prints one line. */
  readonly print: (line: string) => void;
  /** Asks a question and returns the answer, undefined when the person cancelled. */
  readonly ask: (question: string) => Promise<string | undefined>;
  readonly environments: () => readonly EnvironmentInfo[];
  /** Synthesizes into outdir; throws with the one-line problems on failure. */
  readonly synth: () => Promise<void>;
  /** Committed stateful addresses per stack. */
  readonly pinned: Readonly<Record<string, readonly string[]>>;
}

/** A failure that ends the run with one line (already phrased for the person), exit 1. */
export class Stop extends Error {
  override readonly name = "Stop";
}

const red = (deps: TfDeps, s: string) => (deps.color ? `\x1b[31m${s}\x1b[0m` : s);
const bold = (deps: TfDeps, s: string) => (deps.color ? `\x1b[1m${s}\x1b[0m` : s);
const counts = (s: PlanSummary) => `+${s.add} ~${s.change} -${s.destroy}`;

/** The group a stack's confirmation belongs to: its environment, or `shared` for stacks every environment uses. */
function groupOf(stack: string, envs: readonly EnvironmentInfo[]): string {
  return (
    environmentOf(
      stack,
      envs.map((e) => e.name),
    ) ?? SHARED_TARGET
  );
}

/** Shared stacks serve every environment: they are as protected as the most protected one. */
function isProtected(group: string, envs: readonly EnvironmentInfo[]): boolean {
  return group === SHARED_TARGET
    ? envs.some((e) => e.protected)
    : (envs.find((e) => e.name === group)?.protected ?? true);
}

/**
 * Without a terminal nothing may wait for an answer: every group of the selection must be confirmed by a flag up
 * front. Returns the message naming the missing flags, or undefined when the run can go on.
 */
export function nonInteractiveProblem(
  args: TfArgs,
  stacks: readonly string[],
  envs: readonly EnvironmentInfo[],
): string | undefined {
  if (args.action !== "apply" && args.action !== "destroy") return undefined;
  const missing = new Set<string>();
  for (const group of new Set(stacks.map((s) => groupOf(s, envs)))) {
    if (args.confirm.includes(group)) continue;
    if (isProtected(group, envs)) missing.add(`--confirm=${group}`);
    else if (!args.autoApprove) missing.add("--auto-approve");
  }
  if (missing.size === 0) return undefined;
  return `no terminal to ask for confirmation: pass ${[...missing].join(" ")} to ${args.action} without prompts (a plan that deletes or replaces data still stops)`;
}

/** Runs `npm run tf -- <argv>`; returns the exit code. */
export async function runTf(argv: readonly string[], deps: TfDeps): Promise<number> {
  try {
    return await run(parseTfArgs(argv), deps);
  } catch (e) {
    if (e instanceof UsageError || e instanceof Stop || e instanceof TerraformMissing) {
      deps.print(red(deps, e.message));
      return 1;
    }
    throw e;
  }
}

async function run(args: TfArgs, deps: TfDeps): Promise<number> {
  if (args.help) {
    deps.print(HELP);
    return 0;
  }
  const envs = deps.environments();
  const envNames = envs.map((e) => e.name);
  // Check what can be checked before synthesizing, so a typo costs nothing.
  if (![...envNames, SHARED_TARGET, "all"].includes(args.target)) throw unknownTarget(args.target, envNames);
  if (args.synth || !existsSync(join(deps.outdir, "manifest.json"))) {
    deps.print(`synthesizing into ${relative(process.cwd(), deps.outdir) || "."} ...`);
    await deps.synth();
  }
  const stacks = readStacks(deps.outdir);
  const selected = selectStacks(args, stacks, envNames);
  let order = deployOrder(stacks, selected, envNames);
  if (args.action === "destroy") order = order.toReversed();

  if (args.action === "synth" || args.action === "list") {
    for (const name of order) {
      const deps_ = stacks.get(name)!.dependencies;
      deps.print(`${name}${deps_.length ? `  (after ${deps_.join(", ")})` : ""}`);
    }
    deps.print(
      `${args.action === "synth" ? "synthesized" : "listed"} ${order.length} stack(s) in deploy order from ${relative(process.cwd(), deps.outdir) || "."}`,
    );
    return 0;
  }

  deps.print(`${args.action} ${order.length} stack(s) in this order: ${order.join(" → ")}`);
  if (!deps.interactive) {
    const problem = nonInteractiveProblem(args, order, envs);
    if (problem) throw new Stop(problem);
  }
  const tf = { cwd: deps.outdir, env: deps.env };
  const version = await checkTerraform(tf);
  deps.print(`terraform ${version}`);

  const runner = new StackRunner(args, stacks, envs, deps);
  if (args.action !== "output") await runner.checkOutsideStacks(order);
  return runner.runAll(order);
}

/** The per-stack work and its bookkeeping. */
class StackRunner {
  private readonly results = new Map<string, PlanSummary | undefined>();
  private promptChain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly args: TfArgs,
    private readonly stacks: ReadonlyMap<string, SynthStack>,
    private readonly envs: readonly EnvironmentInfo[],
    private readonly deps: TfDeps,
  ) {}

  private get flags(): string[] {
    return this.deps.color ? [] : ["-no-color"];
  }

  /** Runs terraform in a stack; on failure stops the run with one line (and keeps the full output in a log file). */
  private async tf(
    stack: SynthStack,
    cmd: string[],
    onLine?: (line: string) => void,
  ): Promise<TerraformResult> {
    const r = await terraform(cmd, { cwd: stack.dir, env: this.deps.env, ...(onLine ? { onLine } : {}) });
    if (r.code === 0 || (cmd[0] === "plan" && r.code === 2)) return r;
    // A kept working directory goes stale when the backend or the providers change: init again, once, and retry.
    if (cmd[0] !== "init" && NEEDS_INIT.test(r.stderr)) {
      this.deps.print(`${stack.name}: the working directory is out of date; running terraform init again`);
      await this.tf(stack, ["init", "-input=false", "-reconfigure", ...this.flags]);
      return this.tf(stack, cmd, onLine);
    }
    const log = join(stack.dir, `terraform-${cmd[0]}.log`);
    writeFileSync(log, `${r.stdout}\n${r.stderr}`);
    const where = `(full output: ${relative(process.cwd(), log)})`;
    if (isCredentialError(r.stderr + r.stdout)) {
      const provider = (stack.json as { provider?: { aws?: { allowed_account_ids?: string[] }[] } }).provider;
      const account = provider?.aws?.[0]?.allowed_account_ids?.[0];
      throw new Stop(
        `${stack.name}: terraform ${cmd[0]} found no usable AWS credentials${account ? ` for account ${account}` : ""}: sign in (aws sso login, or set AWS_PROFILE) and run again ${where}`,
      );
    }
    throw new Stop(`${stack.name}: terraform ${cmd[0]} failed: ${firstError(r.stderr || r.stdout)} ${where}`);
  }

  /** `terraform init` unless the folder already has a working directory (a fresh synthesis has none). */
  private async init(stack: SynthStack): Promise<void> {
    if (existsSync(join(stack.dir, ".terraform"))) return;
    await this.tf(stack, ["init", "-input=false", ...this.flags]);
  }

  /** True when the stack has resources in its state. */
  private async hasState(stack: SynthStack): Promise<boolean> {
    await this.init(stack);
    const r = await this.tf(stack, ["state", "list"]);
    return r.stdout.trim().length > 0;
  }

  /**
   * Stacks outside the selection that it relies on: for plan and apply, the stacks it depends on must already have
   * state; for destroy, no stack that depends on it may still have resources.
   */
  async checkOutsideStacks(order: readonly string[]): Promise<void> {
    const inRun = new Set(order);
    const destroy = this.args.action === "destroy";
    const outside = new Set<string>();
    for (const name of order)
      for (const other of destroy ? dependentsOf(this.stacks, name) : this.stacks.get(name)!.dependencies)
        if (!inRun.has(other)) outside.add(other);
    const problems: string[] = [];
    for (const name of [...outside].sort()) {
      this.deps.print(
        `checking the state of ${name} (${destroy ? "depends on the selection" : "the selection depends on it"}) ...`,
      );
      const has = await this.hasState(this.stacks.get(name)!);
      if (!destroy && !has) {
        const group = groupOf(name, this.envs);
        const component = group === SHARED_TARGET ? name : name.slice(group.length + 1);
        problems.push(
          `${name} has no state yet: deploy it first (npm run tf -- apply ${group} ${component}) or add --with-deps`,
        );
      }
      if (destroy && has)
        problems.push(
          `${name} still has resources and depends on the selection: destroy it first or add --with-deps`,
        );
    }
    if (problems.length > 0) throw new Stop(problems.join("\n"));
  }

  /** Runs every stack, one at a time or (with --parallel) each as soon as the stacks it waits for are done. */
  async runAll(order: readonly string[]): Promise<number> {
    const destroy = this.args.action === "destroy";
    const waitsFor = (n: string) =>
      (destroy ? dependentsOf(this.stacks, n) : this.stacks.get(n)!.dependencies).filter((d) =>
        order.includes(d),
      );
    const done = new Set<string>();
    const started = new Set<string>();
    let failure: Error | undefined;
    const start = Date.now();
    await new Promise<void>((resolve) => {
      let running = 0;
      const launch = () => {
        for (const name of order) {
          if (failure || started.has(name) || !waitsFor(name).every((d) => done.has(d))) continue;
          if (running > 0 && !this.args.parallel) break;
          started.add(name);
          running++;
          this.runOne(name, started.size, order.length)
            .then(() => done.add(name))
            .catch((e: unknown) => (failure ??= e as Error))
            .finally(() => {
              running--;
              if (running === 0 && (failure || done.size === order.length)) resolve();
              else launch();
            });
          if (!this.args.parallel) break;
        }
      };
      launch();
    });
    const seconds = Math.round((Date.now() - start) / 1000);
    if (failure) {
      if (!(failure instanceof Stop || failure instanceof TerraformMissing)) throw failure;
      this.deps.print(red(this.deps, failure.message));
      this.deps.print(
        `stopped after ${done.size} of ${order.length} stack(s)${done.size ? ` (done: ${[...done].join(", ")})` : ""}; nothing after it ran`,
      );
      return 1;
    }
    this.deps.print(this.summary(order, seconds));
    return 0;
  }

  private summary(order: readonly string[], seconds: number): string {
    const verb =
      { plan: "planned", apply: "applied", destroy: "destroyed", output: "read outputs of" }[
        this.args.action as string
      ] ?? this.args.action;
    if (this.args.action === "output") return `${verb} ${order.length} stack(s) in ${seconds}s`;
    const changed = order.filter((n) => this.results.get(n));
    const total = changed.reduce<PlanSummary>(
      (t, n) => {
        const s = this.results.get(n)!;
        return { add: t.add + s.add, change: t.change + s.change, destroy: t.destroy + s.destroy };
      },
      { add: 0, change: 0, destroy: 0 },
    );
    const files =
      this.args.action === "plan" && changed.length
        ? `; plan files: ${relative(process.cwd(), this.deps.outdir)}/stacks/<stack>/${PLAN_FILE}`
        : "";
    return `${verb} ${order.length} stack(s): ${changed.length} with changes (${counts(total)}), ${order.length - changed.length} unchanged, in ${seconds}s${files}`;
  }

  /** Serializes prompts, so stacks running in parallel never ask at the same time. */
  private ask(question: string): Promise<string | undefined> {
    const answer = this.promptChain.then(() => this.deps.ask(question));
    this.promptChain = answer.catch(() => undefined);
    return answer;
  }

  private async runOne(name: string, index: number, total: number): Promise<void> {
    const stack = this.stacks.get(name)!;
    const say = (what: string) => this.deps.print(bold(this.deps, `[${index}/${total}] ${name}: ${what}`));
    const echo = this.args.parallel
      ? (l: string) => this.deps.print(`${name} │ ${l}`)
      : (l: string) => this.deps.print(l);
    say("init");
    await this.init(stack);
    if (this.args.action === "output") {
      say("output");
      await this.tf(stack, ["output", ...this.flags, ...this.args.terraformArgs], echo);
      return;
    }
    const destroy = this.args.action === "destroy";
    say(destroy ? "plan -destroy" : "plan");
    const plan = await this.tf(
      stack,
      [
        "plan",
        "-input=false",
        `-out=${PLAN_FILE}`,
        "-detailed-exitcode",
        ...(destroy ? ["-destroy"] : []),
        ...this.flags,
        ...this.args.terraformArgs,
      ],
      echo,
    );
    if (plan.code === 0) {
      this.results.set(name, undefined);
      say("no changes");
      return;
    }
    const json = JSON.parse((await this.tf(stack, ["show", "-json", PLAN_FILE])).stdout) as PlanJson;
    const summary = summarize(json);
    this.results.set(name, isEmpty(summary) ? undefined : summary);
    const losses = dataLosses(json, this.deps.pinned[name] ?? []);
    say(`plan ${counts(summary)}${losses.length ? red(this.deps, `, ${losses.length} with data loss`) : ""}`);
    if (this.args.action === "plan") {
      this.printLosses(losses);
      return;
    }
    if (isEmpty(summary)) return;
    await this.confirm(stack, losses);
    say(destroy ? "destroy (apply of the reviewed plan)" : "apply (the reviewed plan)");
    await this.tf(stack, ["apply", "-input=false", ...this.flags, PLAN_FILE], echo);
    say("done");
  }

  private printLosses(losses: readonly DataLoss[]): void {
    if (losses.length === 0) return;
    this.deps.print(red(this.deps, "This plan deletes or replaces resources that hold data:"));
    for (const l of losses)
      this.deps.print(
        red(
          this.deps,
          `  ${l.action.padEnd(7)} ${l.address}${l.reason === "pinned" ? "  (pinned in test/stateful-addresses.json)" : ""}`,
        ),
      );
  }

  /**
   * Asks before applying. Data loss always needs the environment's name typed at a terminal, whatever the flags;
   * a protected environment needs its name (typed, or given in advance with --confirm=<name>); any other asks
   * yes/no unless --auto-approve.
   */
  private async confirm(stack: SynthStack, losses: readonly DataLoss[]): Promise<void> {
    const group = groupOf(stack.name, this.envs);
    const verb = this.args.action;
    if (losses.length > 0) {
      this.printLosses(losses);
      if (!this.deps.interactive)
        throw new Stop(
          `${stack.name}: the plan deletes or replaces data; no flag skips this: run it at a terminal and type "${group}" to confirm`,
        );
      const answer = await this.ask(
        `Type "${group}" to ${verb} ${stack.name} and lose the data listed above:`,
      );
      if (answer?.trim() !== group) throw new Stop(`${stack.name}: not confirmed, nothing applied`);
      return;
    }
    if (this.args.confirm.includes(group)) return;
    if (isProtected(group, this.envs)) {
      if (!this.deps.interactive)
        throw new Stop(
          `${stack.name}: ${group} is protected: pass --confirm=${group} to ${verb} without a terminal`,
        );
      const answer = await this.ask(`${group} is protected. Type "${group}" to ${verb} ${stack.name}:`);
      if (answer?.trim() !== group) throw new Stop(`${stack.name}: not confirmed, nothing applied`);
      return;
    }
    if (this.args.autoApprove) return;
    if (!this.deps.interactive)
      throw new Stop(`${stack.name}: no terminal to ask: pass --auto-approve to ${verb} without prompts`);
    const answer = await this.ask(`${verb} ${stack.name} with the plan above? (yes/no)`);
    if (!/^y(es)?$/i.test(answer?.trim() ?? ""))
      throw new Stop(`${stack.name}: not confirmed, nothing applied`);
  }
}
