/** Leaves plain-object stack captures empty from now on; Errors keep their frames (see plain-stack-captures.mjs). */
export declare function skipPlainStackCaptures(): void;
