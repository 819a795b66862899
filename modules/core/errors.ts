// The error a module throws when its props contradict each other: it names the construct path.
import type { IConstruct } from "constructs";

/** Thrown by a module constructor before any resource exists; the message carries the construct path. */
export class ModuleError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = "ModuleError";
  }
}
