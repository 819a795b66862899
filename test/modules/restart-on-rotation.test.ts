// modules/restart-on-rotation: a rotated secret restarts the service that reads it, through no code of ours.
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import {
  RestartOnRotation,
  type RestartOnRotationProps,
} from "../../modules/restart-on-rotation/restart-on-rotation.ts";
import {
  itRefuses,
  moduleBuilder,
  statementsOf,
  TEST_ACCOUNT,
  TEST_REGION,
  TEST_TARGET,
} from "../helpers.ts";

const SECRET = `arn:aws:secretsmanager:${TEST_REGION}:${TEST_ACCOUNT}:secret:rds!db-1234-AbCdEf`;
const MINIMAL: RestartOnRotationProps = {
  name: "shop-dev-app",
  ...TEST_TARGET,
  clusterArn: `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT}:cluster/shop-dev`,
  serviceArn: `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT}:service/shop-dev/shop-dev-app`,
  secretArns: [SECRET],
  logRetentionDays: 30,
  logKmsKeyArn: `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/1`,
};
const restart = moduleBuilder((s, p) => new RestartOnRotation(s, "Restart", p), MINIMAL);

it("forces a new deployment of exactly this service, with retries", () => {
  // GIVEN minimal props WHEN the module is synthesized THEN the one task is ecs:updateService with a forced deploy
  const machine = restart().one(SfnStateMachine);
  const definition = JSON.parse(machine.definition as string) as {
    States: Record<string, { Resource: string; Parameters: Record<string, unknown>; Retry: unknown[] }>;
  };
  expect(definition.States.ForceNewDeployment).toMatchObject({
    Resource: "arn:aws:states:::aws-sdk:ecs:updateService",
    Parameters: { Cluster: MINIMAL.clusterArn, Service: MINIMAL.serviceArn, ForceNewDeployment: true },
  });
  expect(definition.States.ForceNewDeployment!.Retry).toHaveLength(1);
  expect(machine.logging_configuration).toMatchObject({ level: "ALL" });
});

it("listens for successful rotations of the named secrets only", () => {
  const rule = restart().one(CloudwatchEventRule);
  expect(JSON.parse(rule.event_pattern as string)).toEqual({
    source: ["aws.secretsmanager"],
    "detail-type": ["AWS Service Event via CloudTrail"],
    detail: {
      eventSource: ["secretsmanager.amazonaws.com"],
      eventName: ["RotationSucceeded"],
      additionalEventData: { SecretId: [SECRET] },
    },
  });
});

it("lets the state machine update only this service, in its cluster", () => {
  const statements = restart()
    .all(IamRolePolicy)
    .flatMap((p) => statementsOf(p));
  expect(statements.find((s) => s.Sid === "RestartService")).toEqual({
    Sid: "RestartService",
    Effect: "Allow",
    Action: "ecs:UpdateService",
    Resource: MINIMAL.serviceArn,
    Condition: { ArnEquals: { "ecs:cluster": MINIMAL.clusterArn } },
  });
});

// GIVEN no secret WHEN the module is built THEN a ModuleError names the construct
itRefuses(restart, "test/Restart", [
  ["to watch no secret", { secretArns: [] }, /.*needs at least one secret to watch/],
]);
