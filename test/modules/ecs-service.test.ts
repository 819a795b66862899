// modules/ecs-service: one load-balanced service, its task definition, least-privilege roles and security group.
import { EcsService as EcsServiceResource } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { EcsService, type EcsServiceProps } from "../../modules/ecs-service/ecs-service.ts";
import {
  type BuiltModule,
  FAKE_NETWORK,
  itRefuses,
  moduleBuilder,
  statementsOf,
  TEST_TARGET,
} from "../helpers.ts";

const REPOSITORY = "arn:aws:ecr:eu-west-1:111111111111:repository/shop/web";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf";
const MINIMAL: EcsServiceProps = {
  name: "shop-test-app",
  ...TEST_TARGET,
  clusterArn: "arn:aws:ecs:eu-west-1:111111111111:cluster/shop-test",
  capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 100, base: 0 }],
  launchType: "FARGATE",
  architecture: "arm64",
  cpu: 256,
  memory: 512,
  container: {
    name: "app",
    image: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/shop/web:v1",
    repositoryArn: REPOSITORY,
    port: 8080,
    environment: { MODE: "test" },
    secrets: [],
    readOnlyRootFilesystem: true,
    writablePaths: ["/tmp"],
  },
  logRetentionDays: 30,
  logKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs",
  vpcId: FAKE_NETWORK.vpcId,
  subnetIds: FAKE_NETWORK.privateSubnetIds,
  loadBalancerSecurityGroupId: "sg-alb",
  targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/shop-test-app/1",
  desiredCount: 2,
  healthCheckGracePeriodSeconds: 60,
  deployment: { type: "rolling", circuitBreaker: true, minimumHealthyPercent: 100, maximumPercent: 200 },
};

const service = moduleBuilder((s, p) => new EcsService(s, "Service", p), MINIMAL);
/** Props with the container's props changed. */
const withContainer = (container: Partial<EcsServiceProps["container"]>): Partial<EcsServiceProps> => ({
  container: { ...MINIMAL.container, ...container },
});
/** The statements of the inline policy on the role whose construct id is `roleId`. */
const roleStatements = (built: BuiltModule<EcsService>, roleId: string) =>
  statementsOf(built.all(IamRolePolicy).find((p) => String(p.role).includes(`_${roleId}_`))!);
const containerOf = (built: BuiltModule<EcsService>) =>
  (JSON.parse(built.one(EcsTaskDefinition).container_definitions as string) as Record<string, unknown>[])[0]!;

it("runs in private subnets without a public IP, rolls back with the circuit breaker and leaves the count to scaling", () => {
  // GIVEN / WHEN a rolling Fargate service with minimal props
  const svc = service().one(EcsServiceResource);
  // THEN
  expect(svc).toMatchObject({
    desired_count: 2,
    platform_version: "LATEST",
    network_configuration: { subnets: [...FAKE_NETWORK.privateSubnetIds], assign_public_ip: false },
    deployment_controller: { type: "ECS" },
    deployment_circuit_breaker: { enable: true, rollback: true },
    enable_execute_command: false,
    propagate_tags: "SERVICE",
    lifecycle: { ignore_changes: ["desired_count"] },
  });
});

it("runs one awsvpc container with a read-only root, its writable paths and its environment", () => {
  const built = service();
  expect(built.one(EcsTaskDefinition)).toMatchObject({
    network_mode: "awsvpc",
    requires_compatibilities: ["FARGATE"],
    runtime_platform: expect.objectContaining({ cpu_architecture: "ARM64" }),
  });
  expect(containerOf(built)).toMatchObject({
    name: "app",
    readonlyRootFilesystem: true,
    portMappings: [expect.objectContaining({ containerPort: 8080 })],
    environment: [{ name: "MODE", value: "test" }],
  });
});

it("admits only the load balancer's group on the container port", () => {
  expect(service().all(VpcSecurityGroupIngressRule)).toEqual([
    expect.objectContaining({ from_port: 8080, to_port: 8080, referenced_security_group_id: "sg-alb" }),
  ]);
});

it("lets the execution role pull only from its repository and read only the secrets it injects", () => {
  const built = service(
    withContainer({ secrets: [{ name: "DB_PASSWORD", source: "secretsmanager", arn: SECRET }] }),
  );
  const statements = roleStatements(built, "ExecutionRole");
  expect(statements.find((s) => s.Sid === "PullImage")?.Resource).toEqual(REPOSITORY);
  expect(statements.find((s) => s.Sid === "ReadSecrets")?.Resource).toEqual([SECRET]);
  expect(containerOf(built).secrets).toEqual([{ name: "DB_PASSWORD", valueFrom: SECRET }]);
});

it("hands task definition and target group to CodeDeploy under a CodeDeploy deployment", () => {
  const svc = service({ deployment: { type: "codeDeploy" } }).one(EcsServiceResource);
  expect(svc).toMatchObject({
    deployment_controller: { type: "CODE_DEPLOY" },
    lifecycle: { ignore_changes: ["desired_count", "task_definition", "load_balancer"] },
  });
  expect(svc).not.toHaveProperty("deployment_circuit_breaker");
});

const secret = {
  name: "TOKEN",
  source: "ssm" as const,
  arn: "arn:aws:ssm:eu-west-1:111111111111:parameter/t",
};
itRefuses(service, "test/Service", [
  ["a service without a subnet", { subnetIds: [] }, "a service needs at least one subnet"],
  [
    "a name that is both an environment variable and a secret",
    withContainer({ secrets: [{ name: "MODE", source: "ssm", arn: "arn:aws:ssm:x" }] }),
    '"MODE" is both an environment variable and a secret',
  ],
  [
    "a secret injected twice",
    withContainer({ secrets: [secret, secret] }),
    'secret "TOKEN" is injected twice',
  ],
]);
