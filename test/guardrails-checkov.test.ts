// The Checkov runner without Checkov: null stripping, parsing a recorded report, exceptions, the not-applicable list.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { TerraformStack } from "cdktf";
import { evaluateStack, formatReport } from "../guardrails/checkov/evaluate.ts";
import { parseNotApplicable } from "../guardrails/checkov/not-applicable.ts";
import { testApp } from "./helpers.ts";
import {
  declaredExceptions,
  parseCheckovOutput,
  stripNulls,
  type DeclaredException,
  type StackDocument,
} from "../guardrails/checkov/report.ts";
import { findCheckov, scanStacks } from "../guardrails/checkov/run.ts";
import { allowCheck } from "../guardrails/exceptions.ts";

const fixture = (name: string): string => readFileSync(`test/fixtures/checkov/${name}`, "utf8");
// A recorded run of the real Checkov 3.3.13 over the shared stack: 15 passed, 3 failed.
const stackJson = JSON.parse(fixture("shared.cdk.tf.json")) as StackDocument;
const results = parseCheckovOutput(fixture("shared.checkov.json"), stackJson);

const POLICY = "aws_sns_topic_policy.Alerts_Policy_9A7AFDBB";
const ZONE = "aws_route53_zone.Zone";
const exception = (address: string, checkId: string, reason = "a reason in words"): DeclaredException => ({
  address,
  checkId,
  reason,
});

describe("null stripping", () => {
  it("removes nulls at every depth and keeps false, 0 and empty strings", () => {
    const input = { a: null, b: [{ c: null, d: false, e: 0, f: "" }], g: { h: null } };
    expect(stripNulls(input)).toEqual({ b: [{ d: false, e: 0, f: "" }], g: {} });
  });
});

describe("parsing Checkov's JSON report", () => {
  it("names per-resource results by Terraform address, looking the type up by logical id", () => {
    expect(results.failed).toContainEqual({
      address: POLICY,
      checkId: "CKV_AWS_385",
      name: "Ensure AWS SNS topic policies do not allow cross-account access",
    });
  });

  it("keeps graph-check names, which already are addresses", () => {
    expect(results.failed.filter((r) => r.address === ZONE).map((r) => r.checkId)).toEqual([
      "CKV2_AWS_38",
      "CKV2_AWS_39",
    ]);
  });

  it("reads every passed and failed check", () => {
    expect([results.passed.length, results.failed.length]).toEqual([15, 3]);
    expect(results.passed.every((r) => !r.address.startsWith("resource."))).toBe(true);
  });

  it("reads a report with no results as empty", () => {
    expect(parseCheckovOutput('{"passed": 0, "failed": 0}', {})).toEqual({ passed: [], failed: [] });
  });
});

describe("exceptions", () => {
  it("records the check id and reason in the resource's // metadata, where the runner reads them", () => {
    // GIVEN an exception declared beside a resource
    const stack = new TerraformStack(testApp(), "s");
    const bucket = new S3Bucket(stack, "Logs", {});
    allowCheck(bucket, "CKV_AWS_18", "this bucket receives the access logs of the others");
    // THEN the synthesized stack carries it under its address
    // (Testing.synth drops the `//` metadata; the stack's own JSON keeps it, as cdktf.out does.)
    const doc = stack.toTerraform() as StackDocument;
    expect(declaredExceptions(doc)).toEqual([
      exception("aws_s3_bucket.Logs", "CKV_AWS_18", "this bucket receives the access logs of the others"),
    ]);
  });

  it("requires a reason: an empty literal is a type error and a blank one throws", () => {
    const bucket = new S3Bucket(new TerraformStack(testApp(), "s"), "B", {});
    // @ts-expect-error -- the reason may not be an empty string
    expect(() => allowCheck(bucket, "CKV_AWS_18", "")).toThrow(/give the reason in words/);
    // @ts-expect-error -- nor left out
    expect(() => allowCheck(bucket, "CKV_AWS_18")).toThrow(/give the reason in words/);
    expect(() => allowCheck(bucket, "CKV_AWS_18", "   n/a    ")).toThrow(/give the reason in words/);
  });

  it("rejects a check id Checkov does not have, or one that never reports on the resource's type", () => {
    const stack = new TerraformStack(testApp(), "s");
    const bucket = new S3Bucket(stack, "B", {});
    expect(() => allowCheck(bucket, "CKV_AWS_9999", "a reason in words")).toThrow(
      /has no check CKV_AWS_9999/,
    );
    const policy = new SnsTopicPolicy(stack, "P", { arn: "arn", policy: "{}" });
    expect(() => allowCheck(policy, "CKV_AWS_18", "a reason in words")).toThrow(/never aws_sns_topic_policy/);
  });

  it("subtracts exactly the excepted (address, check) and lists it with its reason", () => {
    // GIVEN an exception for one of the zone's two failures
    const outcome = evaluateStack(
      "shared",
      results,
      [exception(ZONE, "CKV2_AWS_38", "DNSSEC is the owner's call")],
      [],
    );
    // THEN the other failures stay, and the excepted one carries its reason
    expect(outcome.failures.map((f) => `${f.address} ${f.checkId}`)).toEqual([
      `${POLICY} CKV_AWS_385`,
      `${ZONE} CKV2_AWS_39`,
    ]);
    expect(outcome.excepted).toEqual([
      expect.objectContaining({
        address: ZONE,
        checkId: "CKV2_AWS_38",
        reason: "DNSSEC is the owner's call",
      }),
    ]);
    const report = formatReport([outcome], []);
    expect(report.lines).toContain(`  shared  ${ZONE}  CKV2_AWS_38  DNSSEC is the owner's call`);
    expect(report.exitCode).toBe(1);
  });

  it("passes when every failure is excepted, and prints one failure line per unexcepted failure otherwise", () => {
    const all = results.failed.map((f) => exception(f.address, f.checkId));
    expect(formatReport([evaluateStack("shared", results, all, [])], []).exitCode).toBe(0);
    const lines = formatReport([evaluateStack("shared", results, [], [])], []).lines;
    expect(lines).toContain(
      `shared  ${POLICY}  CKV_AWS_385  Ensure AWS SNS topic policies do not allow cross-account access`,
    );
    expect(lines.filter((l) => /^shared  \S+  CKV/.test(l))).toHaveLength(3);
  });

  it("fails a stale exception whose check passes now", () => {
    const passing = results.passed.find((r) => r.address.startsWith("aws_kms_key."))!;
    const outcome = evaluateStack("shared", results, [exception(passing.address, passing.checkId)], []);
    expect(outcome.badExceptions).toEqual([expect.stringMatching(/stale exception: the check passes now/)]);
    expect(formatReport([{ ...outcome, failures: [] }], []).exitCode).toBe(1);
  });

  it("fails a stale exception whose check no longer reports on the resource", () => {
    const outcome = evaluateStack("shared", results, [exception(ZONE, "CKV_AWS_18")], []);
    expect(outcome.badExceptions).toEqual([expect.stringMatching(/no longer applies to this resource/)]);
  });

  it("fails an exception that names an unknown check id", () => {
    const outcome = evaluateStack("shared", results, [exception(ZONE, "CKV_AWS_9999")], []);
    expect(outcome.badExceptions).toEqual([
      `shared  ${ZONE}  CKV_AWS_9999  exception names an unknown check id`,
    ]);
  });

  it("prints a table of passed, failed, excepted and not-applicable results per stack", () => {
    const outcome = evaluateStack(
      "shared",
      results,
      [exception(ZONE, "CKV2_AWS_38")],
      [{ checkId: "CKV2_AWS_39", reason: "r" }],
    );
    const lines = formatReport([outcome], [{ checkId: "CKV2_AWS_39", reason: "no query logs here" }]).lines;
    expect(lines.slice(-3)).toEqual([
      "stack   passed  failed  excepted  n/a",
      "shared      15       1         1    1",
      "total       15       1         1    1",
    ]);
  });
});

describe("the not-applicable list", () => {
  it("leaves results of not-applicable checks out and prints the list with reasons", () => {
    const na = [{ checkId: "CKV_AWS_385", reason: "topics are shared on purpose" }];
    const outcome = evaluateStack("shared", results, [], na);
    expect(outcome.failures.some((f) => f.checkId === "CKV_AWS_385")).toBe(false);
    expect(formatReport([outcome], na).lines).toContain(
      "  CKV_AWS_385  Ensure AWS SNS topic policies do not allow cross-account access: topics are shared on purpose",
    );
  });

  it("reads the committed list without problems", () => {
    const list = parseNotApplicable(
      readFileSync("guardrails/not-applicable.yaml", "utf8"),
      "guardrails/not-applicable.yaml",
    );
    expect(list.problems).toEqual([]);
    expect(list.entries.length).toBeGreaterThan(0);
  });

  it("names the file and line of an unknown id and of a missing reason", () => {
    const text =
      "- id: CKV_AWS_144\n  reason: one region only, replication is per data set\n- id: CKV_AWS_9999\n  reason: a reason in words\n- id: CKV_AWS_18\n";
    expect(parseNotApplicable(text, "na.yaml").problems).toEqual([
      "na.yaml:3:7 [1].id: CKV_AWS_9999 is not a Checkov AWS check (guardrails/checkov-ids.json)",
      "na.yaml:5:3 [2].reason: give the reason in words, why CKV_AWS_18 does not apply here",
    ]);
  });
});

describe("finding Checkov", () => {
  it("finds no checkov on an empty PATH, so the command can say how to install it", () => {
    expect(findCheckov({ PATH: "" })).toBeUndefined();
  });
});

describe("scanning all stacks with one Checkov process", () => {
  it("starts Checkov once and gives each stack exactly the results of its own file", async () => {
    // GIVEN two stacks and a stand-in checkov that records its calls and reports one result per file
    const dir = mkdtempSync(join(tmpdir(), "scan-"));
    const stacks = ["a", "b"].map((name) => {
      mkdirSync(join(dir, name));
      const file = join(dir, name, "cdk.tf.json");
      writeFileSync(
        file,
        JSON.stringify({ resource: { aws_s3_bucket: { [`Bucket${name}`]: { bucket: null } } } }),
      );
      return { label: name, file };
    });
    const log = join(dir, "calls");
    const report = JSON.stringify({
      results: {
        passed_checks: [
          { check_id: "CKV_AWS_21", resource: "resource.Bucketa", file_path: "/s0/cdk.tf.json" },
        ],
        failed_checks: [
          { check_id: "CKV_AWS_18", resource: "resource.Bucketb", file_path: "/s1/cdk.tf.json" },
        ],
      },
    });
    const checkov = join(dir, "checkov");
    writeFileSync(checkov, `#!/bin/sh\necho "$@" >> '${log}'\ncat <<'EOF'\n${report}\nEOF\n`, {
      mode: 0o755,
    });
    // WHEN scanning
    const seen: string[] = [];
    const outcomes = await scanStacks(checkov, stacks, (o) => seen.push(o.label));
    // THEN one process scanned both, and each stack has only its own result
    expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
    expect(seen).toEqual(["a", "b"]);
    expect(outcomes.map((o) => ("results" in o ? o.results : o.error))).toEqual([
      { passed: [{ address: "aws_s3_bucket.Bucketa", checkId: "CKV_AWS_21", name: "" }], failed: [] },
      { passed: [], failed: [{ address: "aws_s3_bucket.Bucketb", checkId: "CKV_AWS_18", name: "" }] },
    ]);
  });
});

describe("the checkov command line", () => {
  it("refuses a mistyped flag with one line naming the valid flags, exit 1", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/checkov.ts", "--env-dri", "x"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^npm run checkov: unknown option --env-dri; usage: .*--env-dir.*--all.*--no-synth.*\n$/,
    );
  });
});
