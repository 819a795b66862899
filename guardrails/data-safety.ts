// The synthesis-time guardrail: an Aspect that runs every rule over each stack and raises one error annotation per
// finding, so the mistakes that must never reach a plan fail synthesis even where Checkov is not installed.
import {
  AnnotationMetadataEntryType,
  Annotations,
  Aspects,
  TerraformStack,
  type App,
  type IAspect,
} from "cdktf";
import type { IConstruct } from "constructs";
import { bucketPublicAccess } from "./rules/bucket-public-access.ts";
import { dataStores } from "./rules/data-stores.ts";
import { deletionProtection } from "./rules/deletion-protection.ts";
import { iamAdmin } from "./rules/iam-admin.ts";
import { openIngress } from "./rules/open-ingress.ts";
import { replacementNames } from "./rules/replacement-names.ts";
import type { Finding, Rule } from "./rules/rule.ts";
import { blocksOf, synthesizeForReview } from "./view.ts";

/** Every synthesis-time rule. */
export const RULES: readonly Rule[] = [
  openIngress,
  dataStores,
  bucketPublicAccess,
  iamAdmin,
  deletionProtection,
  replacementNames,
];

/** Options of the guardrail Aspect. */
export interface DataSafetyOptions {
  /** @default RULES */
  readonly rules?: readonly Rule[];
  /**
   * Whether the stacks it visits guard their stateful resources: the stack frame's `protected`, handed over by
   * BaseStack rather than read back from the stack. @default true, the safe side for apps built by hand
   */
  readonly protected?: boolean;
}

/** The annotation text of a finding: `CKV_AWS_17 aws_db_instance.Database_1A2B: the database is publicly accessible`. */
export function formatFinding(f: Finding): string {
  return `${f.checkId} ${f.block.address}: ${f.message}`;
}

/** Runs the rules over each stack it visits and adds an error annotation per finding on the offending construct. */
export class DataSafetyAspect implements IAspect {
  private readonly rules: readonly Rule[];
  private readonly protected: boolean;

  constructor(options: DataSafetyOptions = {}) {
    this.rules = options.rules ?? RULES;
    this.protected = options.protected ?? true;
  }

  visit(node: IConstruct): void {
    // Rules look across a stack (a bucket and its access block, a group and its load balancer): run them once,
    // at the stack, and ignore the visits of its children.
    if (!TerraformStack.isStack(node)) return;
    const blocks = blocksOf(node, synthesizeForReview(node));
    const facts = { stackId: node.node.id, blocks, protected: this.protected };
    for (const rule of this.rules)
      for (const finding of rule(facts)) Annotations.of(finding.block.node).addError(formatFinding(finding));
  }
}

/**
 * Adds the guardrail Aspect to every stack of `app` that is not a BaseStack (BaseStack adds it itself). cdktf
 * applies Aspects from the stack down, not from the app. For apps built by hand, as in tests.
 */
export function applyGuardrails(app: App, options: DataSafetyOptions = {}): void {
  const aspect = new DataSafetyAspect(options);
  for (const stack of app.node.findAll().filter((n) => TerraformStack.isStack(n)))
    Aspects.of(stack).add(aspect);
}

/** Every annotation of `level` under `scope`, one line each: `<construct path>: <message>`. */
export function annotationLines(scope: IConstruct, level: AnnotationMetadataEntryType): string[] {
  return scope.node
    .findAll()
    .flatMap((n) =>
      n.node.metadata
        .filter((m) => m.type === (level as string))
        .map((m) => `${n.node.path}: ${String(m.data)}`),
    );
}

const ANNOTATION_ERROR = 'Encountered Annotations with level "ERROR"';

/**
 * Synthesizes `app` and returns the error annotations of every stack, instead of stopping at the first stack that
 * has one. A stack with errors is not written; the caller synthesizes into a staging folder and discards it.
 */
export function synthCollectingErrors(app: App): string[] {
  for (const stack of app.node.findAll().filter((n) => TerraformStack.isStack(n))) {
    const inner = stack.synthesizer;
    stack.synthesizer = {
      synthesize(session) {
        try {
          inner.synthesize(session);
        } catch (e) {
          if (!(e instanceof Error && e.message.startsWith(ANNOTATION_ERROR))) throw e;
        }
      },
    };
  }
  app.synth();
  return annotationLines(app, AnnotationMetadataEntryType.ERROR);
}
