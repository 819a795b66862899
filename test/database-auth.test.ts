// How the application signs in to its databases: its own IAM identity by default, the master secret only for the
// migration task, and an opt-in secret mode that restarts the service after each rotation.
import {
  configProblems,
  DEV_YAML,
  SHARED_YAML,
  build,
  resourcesOf,
  stackOf,
  synthJson,
  withEnvironment,
} from "./helpers.ts";
import { secretModeWarning } from "../stacks/ecs.ts";
import type { StackJson } from "./helpers.ts";

interface Container {
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
}
type Statement = { Sid: string; Action: string | string[]; Resource: string | string[] };

const taskDefinitions = (j: StackJson) => Object.values(resourcesOf(j, "aws_ecs_task_definition"));
const container = (td: Record<string, unknown>): Container =>
  (JSON.parse(td.container_definitions as string) as Container[])[0]!;
const statements = (j: StackJson, policyId: string): Statement[] =>
  (
    JSON.parse(resourcesOf(j, "aws_iam_role_policy")[policyId]!.policy as string) as {
      Statement: Statement[];
    }
  ).Statement;
const policyIdOf = (j: StackJson, suffix: string) =>
  Object.keys(resourcesOf(j, "aws_iam_role_policy")).find((id) => id.startsWith(`Service_${suffix}_`))!;

describe("IAM database authentication (default)", () => {
  const j = synthJson(stackOf(build(), "prod-ecs"));
  const [service, migration] = [
    taskDefinitions(j).find((t) => !String(t.family).endsWith("-migrate"))!,
    taskDefinitions(j).find((t) => String(t.family).endsWith("-migrate"))!,
  ];

  it("gives the service its own database user and no password", () => {
    const c = container(service);
    expect(c.environment).toEqual(
      expect.arrayContaining([
        { name: "MAIN_USERNAME", value: "app" },
        { name: "MAIN_AUTH", value: "iam" },
      ]),
    );
    expect(c.secrets.map((s) => s.name)).not.toContain("MAIN_PASSWORD");
    expect(statements(j, policyIdOf(j, "ExecutionPolicy")).map((s) => s.Sid)).not.toContain("ReadSecrets");
  });

  it("lets the task role rds-db:connect only as that user", () => {
    const iam = statements(j, policyIdOf(j, "TaskPolicy")).find((s) => s.Sid === "DatabaseIamAuth")!;
    expect(iam.Action).toBe("rds-db:connect");
    expect(iam.Resource).toEqual([
      expect.stringMatching(/^arn:aws:rds-db:eu-west-1:333333333333:dbuser:\$\{.*resource_id\}\/app$/),
    ]);
  });

  it("gives the master secret only to the migration task, under its own execution role", () => {
    expect(migration).toBeDefined();
    expect(container(migration).secrets.map((s) => s.name)).toEqual([
      "MAIN_MASTER_USERNAME",
      "MAIN_MASTER_PASSWORD",
    ]);
    expect(migration.execution_role_arn).not.toBe(service.execution_role_arn);
    const read = statements(j, policyIdOf(j, "MigrationExecutionPolicy")).find(
      (s) => s.Sid === "ReadSecrets",
    )!;
    expect(read.Action).toBe("secretsmanager:GetSecretValue");
  });
});

describe("appAuthentication: secret (opt-in)", () => {
  const config = withEnvironment("dev", (e) => ({
    data: {
      ...e.data!,
      stores: e.data!.stores.map((s) => (s.name === "main" ? { ...s, appAuthentication: "secret" } : s)),
    },
  }));
  const stack = stackOf(build(config), "dev-ecs");
  const j = synthJson(stack);

  it("injects the master secret and warns at synthesis", () => {
    const c = container(taskDefinitions(j).find((t) => !String(t.family).endsWith("-migrate"))!);
    expect(c.secrets.map((s) => s.name)).toEqual(expect.arrayContaining(["MAIN_USERNAME", "MAIN_PASSWORD"]));
    const warnings = stack.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
    expect(warnings).toContain(secretModeWarning(["main"]));
  });

  it("restarts the service after each rotation: EventBridge rule, then a no-code ecs:UpdateService with a forced deployment", () => {
    const rule = Object.values(resourcesOf(j, "aws_cloudwatch_event_rule"))[0]!;
    const pattern = JSON.parse(rule.event_pattern as string) as { detail: Record<string, unknown> };
    expect(pattern.detail.eventName).toEqual(["RotationSucceeded"]);
    expect(pattern.detail.additionalEventData).toEqual({
      SecretId: [expect.stringMatching(/master_user_secret.*secret_arn/)],
    });
    const machine = Object.values(resourcesOf(j, "aws_sfn_state_machine"))[0]!;
    const definition = JSON.parse(machine.definition as string) as {
      States: Record<string, { Resource: string; Parameters: Record<string, unknown> }>;
    };
    const step = Object.values(definition.States)[0]!;
    expect(step.Resource).toBe("arn:aws:states:::aws-sdk:ecs:updateService");
    expect(step.Parameters.ForceNewDeployment).toBe(true);
    const target = Object.values(resourcesOf(j, "aws_cloudwatch_event_target"))[0]!;
    expect(target.arn).toMatch(/aws_sfn_state_machine\..*\.arn/);
  });

  it("is refused with a CodeDeploy deployment, which cannot force a new deployment", () => {
    const dev = `${DEV_YAML}data:\n  stores:\n    - { name: main, engine: postgres, version: "16", appAuthentication: secret }\nservice:\n  container: { image: { image: public.ecr.aws/nginx/nginx:1 } }\n  healthCheck: { path: /health }\n  deployment: { type: codeDeploy }\n`;
    expect(configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": dev })).toEqual([
      expect.stringMatching(
        /^dev\.yaml:7:\d+ data\.stores\.0\.appAuthentication: secret restarts the service/,
      ),
    ]);
  });
});
