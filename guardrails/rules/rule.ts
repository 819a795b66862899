// The shape every synthesis-time rule shares: it reads one stack's resolved blocks and returns findings.
import type { BlockView } from "../view.ts";

/** What a rule knows about the stack it checks. */
export interface StackFacts {
  readonly stackId: string;
  readonly blocks: readonly BlockView[];
  /** The environment guards its stateful resources (config `protected`; always true for bootstrap and shared). */
  readonly protected: boolean;
}

/** One problem: the block it concerns, the Checkov id it mirrors (or a GUARD_ id where Checkov has none), why. */
export interface Finding {
  readonly block: BlockView;
  readonly checkId: string;
  readonly message: string;
}

/** A synthesis-time rule. */
export type Rule = (facts: StackFacts) => Finding[];

/** The blocks of one resource type. */
export function ofType(facts: StackFacts, ...types: string[]): BlockView[] {
  return facts.blocks.filter((b) => b.kind === "resource" && types.includes(b.type));
}
