// One load-balanced ECS service: its task definition (one container), log group, execution and task roles with
// least privilege, its security group (admits only the load balancer), and the service itself; for ECS-native
// blue/green also the infrastructure role ECS moves the listener rules with, the hook role, and the release policy.
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsService as EcsServiceResource } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ECS_LIFECYCLE_STAGES, MAX_BAKE_MINUTES, type LifecycleStage } from "../../lib/ecs-deployment.ts";
import { allowCheck } from "../../guardrails/exceptions.ts";
import {
  assumeRolePolicy,
  ECR_LOGIN,
  partitionOf,
  policy,
  policyJson,
  type PolicyStatement,
  writeLogsStatement,
} from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";
import type { CapacityStrategyItem } from "../ecs-cluster/ecs-cluster.ts";

/** A variable injected from Secrets Manager or Parameter Store. The value never enters Terraform. */
export interface ContainerSecret {
  /** Environment variable name. */
  readonly name: string;
  readonly source: "secretsmanager" | "ssm";
  /** ARN of the secret (without a JSON key suffix) or of the parameter: what the execution role may read. */
  readonly arn: string;
  /**
   * What ECS fetches, e.g. `<arn>:password::` for one key of an RDS-managed secret
   * (`<arn>:<json-key>:<version-stage>:<version-id>`). @default - `arn`, the whole value
   */
  readonly valueFrom?: string;
}

/** Docker health check inside the container. */
export interface ContainerHealthCheckProps {
  readonly command: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

export interface ServiceContainerProps {
  /** Container name; the load balancer and the pipeline refer to it. */
  readonly name: string;
  readonly image: string;
  /** ECR repository the image comes from, so the execution role may pull only from it. @default - a public image */
  readonly repositoryArn?: string;
  readonly port: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly ContainerSecret[];
  /** user[:group]. @default - the image's user */
  readonly user?: string;
  readonly readOnlyRootFilesystem: boolean;
  /** Paths backed by an empty task volume, writable under a read-only root. */
  readonly writablePaths: readonly string[];
  /** @default - none */
  readonly healthCheck?: ContainerHealthCheckProps;
}

/** Rolling updates by ECS, stopped and rolled back by the circuit breaker. */
export interface RollingDeployment {
  readonly type: "rolling";
  readonly circuitBreaker: boolean;
  readonly minimumHealthyPercent: number;
  readonly maximumPercent: number;
}

/** CodeDeploy owns task definition and target group changes. */
export interface CodeDeployDeployment {
  readonly type: "codeDeploy";
}

/** How ECS moves production traffic to the new tasks. */
export type TrafficShift =
  | { readonly type: "allAtOnce" }
  | { readonly type: "linear"; readonly stepPercent: number; readonly stepBakeTimeMinutes: number }
  | { readonly type: "canary"; readonly percent: number; readonly bakeTimeMinutes: number };

/**
 * Blue/green by ECS itself: new tasks go to the idle target group, ECS moves the listener rules' weights, and
 * alarms roll it back. The load balancer wiring is part of the type, so the mode cannot exist without it.
 */
export interface NativeBlueGreenDeployment {
  readonly type: "nativeBlueGreen";
  /** Minutes the old tasks keep running after production traffic has moved (0 to 1440). */
  readonly bakeTimeMinutes: number;
  readonly shift: TrafficShift;
  /** A Lambda function ARN per stage. */
  readonly hooks: Readonly<Partial<Record<LifecycleStage, string>>>;
  /** The second target group; `targetGroupArn` is the first. */
  readonly alternateTargetGroupArn: string;
  readonly productionListenerRuleArn: string;
  readonly testListenerRuleArn: string;
  /** CloudWatch alarms that stop a deployment and roll it back. */
  readonly rollbackAlarmNames: readonly string[];
}

/** ECS Exec: the session log group and key the task role may use. */
export interface ExecCommandProps {
  readonly logGroupArn: string;
  readonly kmsKeyArn: string;
}

export interface EcsServiceProps {
  /** Service name; also the task family and the prefix of the roles, log group and security group. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterArn: string;
  readonly capacityProviderStrategy: readonly CapacityStrategyItem[];
  readonly launchType: "FARGATE" | "EC2";
  readonly architecture: "x86_64" | "arm64";
  /** Task CPU units. */
  readonly cpu: number;
  /** Task memory, MiB. */
  readonly memory: number;
  readonly container: ServiceContainerProps;
  readonly logRetentionDays: number;
  readonly logKmsKeyArn: string;
  readonly vpcId: string;
  /** Private subnets; tasks never get a public IP. */
  readonly subnetIds: readonly string[];
  /** The load balancer's security group: the only source admitted, on the container port. */
  readonly loadBalancerSecurityGroupId: string;
  /** Further groups the tasks wear, e.g. the data stores' client group. @default - none */
  readonly extraSecurityGroupIds?: readonly string[];
  readonly targetGroupArn: string;
  readonly desiredCount: number;
  readonly healthCheckGracePeriodSeconds: number;
  readonly deployment: RollingDeployment | CodeDeployDeployment | NativeBlueGreenDeployment;
  /** Turn on ECS Exec, with writable volumes at the agent's paths (EXEC_AGENT_PATHS). @default - off */
  readonly execCommand?: ExecCommandProps;
  /** KMS keys the tasks may decrypt with (secrets for the execution role, tables for the task role). @default - none */
  readonly decryptKeyArns?: readonly string[];
  /** DynamoDB tables the application reads and writes. @default - none */
  readonly dynamodbTableArns?: readonly string[];
  /** ElastiCache replication groups and users the application signs in to with IAM. @default - none */
  readonly elasticacheConnectArns?: readonly string[];
  /** `arn:…:rds-db:…:dbuser:<resource id>/<user>` the application signs in as with IAM tokens. @default - none */
  readonly rdsConnectArns?: readonly string[];
  /**
   * Secrets only the migration task gets (the databases' master credentials), never the service: with any, a
   * second task definition `<name>-migrate` runs the same image with them under an execution role of its own.
   * @default - no migration task
   */
  readonly migrationSecrets?: readonly ContainerSecret[];
  /** Created after these (e.g. the listener that attaches the target group to the load balancer). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Compare the task definition with the family's newest revision rather than the one Terraform registered, for
   * families a release pipeline registers revisions of. @default false
   */
  readonly trackLatestRevision?: boolean;
}

const DYNAMODB_ACTIONS = [
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:DescribeTable",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:UpdateItem",
];

/**
 * Where the agent ECS Exec injects (the SSM agent) writes its binaries, state and logs. Under a read-only root it
 * crashes and no session starts; writable volumes there are the known workaround (aws/containers-roadmap#1359).
 */
export const EXEC_AGENT_PATHS = ["/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"] as const;

/** A Fargate or EC2 service of one container behind a target group. */
export class EcsService extends Construct {
  public readonly resource: EcsServiceResource;
  public readonly name: string;
  public readonly taskDefinition: EcsTaskDefinition;
  public readonly family: string;
  public readonly containerName: string;
  public readonly securityGroupId: string;
  public readonly executionRole: IamRole;
  public readonly taskRole: IamRole;
  public readonly logGroup: CloudwatchLogGroup;
  /** ECS-native blue/green: the role ECS changes the listener rules and target groups with. */
  public readonly infrastructureRole?: IamRole;
  /** ECS-native blue/green with hooks: the role ECS invokes the hook functions with. */
  public readonly hookRole?: IamRole;
  /**
   * ECS-native blue/green: what a release principal (the pipeline) needs to start a deployment: update this
   * service and pass its roles, each only to the service that uses it.
   */
  public readonly releasePolicy?: IamPolicy;
  /** The one-off task that creates the application's database users with the master secret. */
  public readonly migrationTaskDefinition?: EcsTaskDefinition;
  /** The migration task's own execution role (the only one that reads the master secrets). */
  public readonly migrationExecutionRole?: IamRole;
  /**
   * The task definition as `ecs register-task-definition` takes it, the image left as `<IMAGE1_NAME>`: the
   * template CodeDeploy's ECS action registers on each release, identical to Terraform's but for the image.
   */
  public readonly taskDefinitionTemplate: string;

  constructor(scope: Construct, id: string, props: EcsServiceProps) {
    super(scope, id);
    const c = props.container;
    const decryptKeys = props.decryptKeyArns ?? [];
    const tables = props.dynamodbTableArns ?? [];
    const caches = props.elasticacheConnectArns ?? [];
    const databases = props.rdsConnectArns ?? [];
    const migrationSecrets = props.migrationSecrets ?? [];
    const extraGroups = props.extraSecurityGroupIds ?? [];
    if (props.subnetIds.length === 0) throw new ModuleError(this, "a service needs at least one subnet");
    const clash = c.secrets.find((s) => s.name in c.environment);
    if (clash) throw new ModuleError(this, `"${clash.name}" is both an environment variable and a secret`);
    const names = new Set<string>();
    for (const s of c.secrets) {
      if (names.has(s.name)) throw new ModuleError(this, `secret "${s.name}" is injected twice`);
      names.add(s.name);
    }
    const partition = partitionOf(props.region);

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/ecs/${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });

    // Only ECS tasks of this account may assume the roles (confused-deputy guard).
    const trust = assumeRolePolicy("ecs-tasks.amazonaws.com", {
      StringEquals: { "aws:SourceAccount": props.accountId },
      ArnLike: { "aws:SourceArn": `arn:${partition}:ecs:${props.region}:${props.accountId}:*` },
    });
    this.executionRole = new IamRole(this, "ExecutionRole", {
      name: `${props.name}-execution`,
      description: `ECS agent for ${props.name}: pull the image, write logs, read the injected secrets`,
      assumeRolePolicy: trust,
    });
    new IamRolePolicy(this, "ExecutionPolicy", {
      name: "least-privilege",
      role: this.executionRole.id,
      policy: policyJson(policy(...this.executionStatements(props, c.secrets))),
    });
    this.taskRole = new IamRole(this, "TaskRole", {
      name: `${props.name}-task`,
      description: `The application ${props.name}: only what its code calls`,
      assumeRolePolicy: trust,
    });
    const taskStatements: PolicyStatement[] = [
      ...(tables.length
        ? [
            {
              Sid: "Tables",
              Effect: "Allow" as const,
              Action: DYNAMODB_ACTIONS,
              Resource: tables.flatMap((t) => [t, `${t}/index/*`]),
            },
          ]
        : []),
      ...(caches.length
        ? [
            {
              Sid: "CacheIamAuth",
              Effect: "Allow" as const,
              Action: "elasticache:Connect",
              Resource: [...caches],
            },
          ]
        : []),
      ...(databases.length
        ? [
            {
              Sid: "DatabaseIamAuth",
              Effect: "Allow" as const,
              Action: "rds-db:connect",
              Resource: [...databases],
            },
          ]
        : []),
      ...(decryptKeys.length
        ? [
            {
              Sid: "DecryptData",
              Effect: "Allow" as const,
              Action: ["kms:Decrypt", "kms:DescribeKey"],
              Resource: [...decryptKeys],
            },
          ]
        : []),
      ...(props.execCommand ? execStatements(props.execCommand) : []),
    ];
    if (taskStatements.length)
      new IamRolePolicy(this, "TaskPolicy", {
        name: "least-privilege",
        role: this.taskRole.id,
        policy: policyJson(policy(...taskStatements)),
      });

    // The agent's paths come after the configured ones, so the configured volumes keep their names.
    const writablePaths = [...new Set([...c.writablePaths, ...(props.execCommand ? EXEC_AGENT_PATHS : [])])];
    const volumes = writablePaths.map((path, i) => ({ name: `writable-${i}`, path }));
    const containerDefinition = {
      name: c.name,
      image: c.image,
      essential: true,
      privileged: false,
      readonlyRootFilesystem: c.readOnlyRootFilesystem,
      ...(c.user ? { user: c.user } : {}),
      portMappings: [
        { name: "http", containerPort: c.port, hostPort: c.port, protocol: "tcp", appProtocol: "http" },
      ],
      environment: Object.entries(c.environment)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value })),
      secrets: c.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom ?? s.arn })),
      mountPoints: volumes.map((v) => ({ sourceVolume: v.name, containerPath: v.path, readOnly: false })),
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": this.logGroup.name,
          "awslogs-region": props.region,
          "awslogs-stream-prefix": c.name,
          // A slow log stream must not block the application.
          mode: "non-blocking",
          "max-buffer-size": "25m",
        },
      },
      // An init process reaps zombies and lets ECS Exec sessions start.
      linuxParameters: { initProcessEnabled: true },
      ...(c.healthCheck
        ? {
            healthCheck: {
              command: [...c.healthCheck.command],
              interval: c.healthCheck.intervalSeconds,
              timeout: c.healthCheck.timeoutSeconds,
              retries: c.healthCheck.retries,
              startPeriod: c.healthCheck.startPeriodSeconds,
            },
          }
        : {}),
    };
    // The service's tasks and the one-off migration task run alike: network mode, capacity, size, platform, task
    // role and volumes. The release pipeline registers both families' revisions with each released image.
    const taskBase = () => ({
      networkMode: "awsvpc",
      requiresCompatibilities: [props.launchType],
      cpu: String(props.cpu),
      memory: String(props.memory),
      taskRoleArn: this.taskRole.arn,
      runtimePlatform: {
        operatingSystemFamily: "LINUX",
        cpuArchitecture: props.architecture === "arm64" ? "ARM64" : "X86_64",
      },
      volume: volumes.map((v) => ({ name: v.name })),
      ...(props.trackLatestRevision ? { trackLatest: true } : {}),
    });
    this.taskDefinition = new EcsTaskDefinition(this, "TaskDefinition", {
      ...taskBase(),
      family: props.name,
      executionRoleArn: this.executionRole.arn,
      containerDefinitions: JSON.stringify([containerDefinition]),
    });
    if (!c.readOnlyRootFilesystem)
      allowCheck(
        this.taskDefinition,
        "CKV_AWS_336",
        "service.container.readOnlyRootFilesystem is false in this environment's file: the image writes outside its writable paths",
      );
    this.family = this.taskDefinition.family;
    this.containerName = c.name;
    this.taskDefinitionTemplate = JSON.stringify({
      family: props.name,
      taskRoleArn: this.taskRole.arn,
      executionRoleArn: this.executionRole.arn,
      networkMode: "awsvpc",
      requiresCompatibilities: [props.launchType],
      cpu: String(props.cpu),
      memory: String(props.memory),
      runtimePlatform: {
        operatingSystemFamily: "LINUX",
        cpuArchitecture: props.architecture === "arm64" ? "ARM64" : "X86_64",
      },
      volumes: volumes.map((v) => ({ name: v.name })),
      containerDefinitions: [{ ...containerDefinition, image: "<IMAGE1_NAME>" }],
    });

    if (migrationSecrets.length) {
      // Its own execution role: the service's cannot read the master secret, so only this task ever holds it.
      const migrationRole = new IamRole(this, "MigrationExecutionRole", {
        name: `${props.name}-migrate-execution`,
        description: `ECS agent for the migration task of ${props.name}: pull the image, write logs, read the master secrets`,
        assumeRolePolicy: trust,
      });
      new IamRolePolicy(this, "MigrationExecutionPolicy", {
        name: "least-privilege",
        role: migrationRole.id,
        policy: policyJson(policy(...this.executionStatements(props, [...c.secrets, ...migrationSecrets]))),
      });
      const {
        portMappings: _ports,
        healthCheck: _check,
        ...base
      } = containerDefinition as typeof containerDefinition & {
        healthCheck?: unknown;
      };
      this.migrationTaskDefinition = new EcsTaskDefinition(this, "MigrationTaskDefinition", {
        ...taskBase(),
        family: `${props.name}-migrate`,
        executionRoleArn: migrationRole.arn,
        containerDefinitions: JSON.stringify([
          {
            ...base,
            secrets: [...c.secrets, ...migrationSecrets].map((s) => ({
              name: s.name,
              valueFrom: s.valueFrom ?? s.arn,
            })),
            logConfiguration: {
              ...base.logConfiguration,
              options: { ...base.logConfiguration.options, "awslogs-stream-prefix": "migrate" },
            },
          },
        ]),
      });
      this.migrationExecutionRole = migrationRole;
    }

    const sg = new SecurityGroup(this, "SecurityGroup", {
      // A prefix, not a name: a port change rewrites the description, which replaces the group, and
      // create_before_destroy needs the new group to exist beside the old one.
      namePrefix: `${props.name}-tasks-`,
      description: `Tasks of ${props.name}: the load balancer in on ${c.port}, HTTPS out`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = sg.id;
    new VpcSecurityGroupIngressRule(this, "FromLoadBalancer", {
      securityGroupId: sg.id,
      description: `HTTP from the load balancer on the container port ${c.port}`,
      ipProtocol: "tcp",
      fromPort: c.port,
      toPort: c.port,
      referencedSecurityGroupId: props.loadBalancerSecurityGroupId,
    });
    new VpcSecurityGroupEgressRule(this, "LoadBalancerToTasks", {
      securityGroupId: props.loadBalancerSecurityGroupId,
      description: `To the tasks of ${props.name} on ${c.port} (traffic and health checks)`,
      ipProtocol: "tcp",
      fromPort: c.port,
      toPort: c.port,
      referencedSecurityGroupId: sg.id,
    });
    new VpcSecurityGroupEgressRule(this, "EgressHttps", {
      securityGroupId: sg.id,
      description:
        "HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch Logs) and the services the application calls",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });

    const d = props.deployment;
    // Autoscaling owns the task count; with CodeDeploy, CodeDeploy owns the task definition and the target group.
    // ECS-native blue/green changes only the listener rules (ignored where they live): the service stays managed.
    const ignoreChanges =
      d.type === "codeDeploy" ? ["desired_count", "task_definition", "load_balancer"] : ["desired_count"];
    const native = d.type === "nativeBlueGreen" ? this.nativeBlueGreen(props, d) : undefined;
    const loadBalancer = {
      targetGroupArn: props.targetGroupArn,
      containerName: c.name,
      containerPort: c.port,
      ...(native ? { advancedConfiguration: native.advancedConfiguration } : {}),
    };
    const dependsOn = [...(props.dependsOn ?? []), ...(native?.dependsOn ?? [])];
    this.infrastructureRole = native?.infrastructureRole;
    this.hookRole = native?.hookRole;
    this.resource = new EcsServiceResource(this, "Resource", {
      name: props.name,
      cluster: props.clusterArn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      capacityProviderStrategy: props.capacityProviderStrategy.map((s) => ({ ...s })),
      ...(props.launchType === "FARGATE" ? { platformVersion: "LATEST" } : {}),
      networkConfiguration: {
        subnets: [...props.subnetIds],
        securityGroups: [sg.id, ...extraGroups],
        assignPublicIp: false,
      },
      loadBalancer: [loadBalancer],
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds,
      deploymentController: { type: d.type === "codeDeploy" ? "CODE_DEPLOY" : "ECS" },
      ...(d.type === "rolling"
        ? {
            deploymentCircuitBreaker: { enable: d.circuitBreaker, rollback: d.circuitBreaker },
            deploymentMinimumHealthyPercent: d.minimumHealthyPercent,
            deploymentMaximumPercent: d.maximumPercent,
          }
        : {}),
      ...(native
        ? {
            deploymentConfiguration: native.deploymentConfiguration,
            // A deployment that sets one of these alarms off is stopped and rolled back.
            alarms: { alarmNames: native.rollbackAlarmNames, enable: true, rollback: true },
          }
        : {}),
      enableExecuteCommand: props.execCommand !== undefined,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      waitForSteadyState: false,
      lifecycle: { ignoreChanges },
      ...(dependsOn.length ? { dependsOn } : {}),
    });
    this.name = this.resource.name;
    if (native) this.releasePolicy = this.createReleasePolicy(props.name, native.infrastructureRole);
  }

  /** The roles ECS-native blue/green needs, and the service's deployment configuration for it. */
  private nativeBlueGreen(props: EcsServiceProps, d: NativeBlueGreenDeployment) {
    if (d.alternateTargetGroupArn === props.targetGroupArn)
      throw new ModuleError(this, "the alternate target group must differ from the production one");
    if (d.bakeTimeMinutes < 0 || d.bakeTimeMinutes > MAX_BAKE_MINUTES)
      throw new ModuleError(this, `bakeTimeMinutes ${d.bakeTimeMinutes} is outside 0 to ${MAX_BAKE_MINUTES}`);
    const partition = partitionOf(props.region);
    // AWS documents this trust without conditions; only a principal allowed iam:PassRole on the role (the release
    // policy below, with iam:PassedToService) can hand it to ECS.
    const infrastructureRole = new IamRole(this, "InfrastructureRole", {
      name: `${props.name}-ecs-infra`,
      description: `ECS moves ${props.name}'s listener rules and target groups during blue/green deployments`,
      assumeRolePolicy: assumeRolePolicy("ecs.amazonaws.com"),
    });
    // The AWS managed policy follows what ECS's blue/green needs as AWS extends it; an inline copy would not.
    const attachment = new IamRolePolicyAttachment(this, "InfrastructureRolePolicy", {
      role: infrastructureRole.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers`,
    });

    // One hook per function, with every stage it serves.
    const byFunction = new Map<string, LifecycleStage[]>();
    for (const stage of ECS_LIFECYCLE_STAGES) {
      const arn = d.hooks[stage];
      if (arn) byFunction.set(arn, [...(byFunction.get(arn) ?? []), stage]);
    }
    let hookRole: IamRole | undefined;
    let hookPolicy: IamRolePolicy | undefined;
    if (byFunction.size) {
      hookRole = new IamRole(this, "HookRole", {
        name: `${props.name}-ecs-hooks`,
        description: `ECS invokes ${props.name}'s deployment lifecycle hooks`,
        assumeRolePolicy: assumeRolePolicy("ecs.amazonaws.com"),
      });
      hookPolicy = new IamRolePolicy(this, "HookPolicy", {
        name: "invoke-hooks",
        role: hookRole.id,
        policy: policyJson(
          policy({
            Sid: "InvokeHooks",
            Effect: "Allow",
            Action: "lambda:InvokeFunction",
            Resource: [...byFunction.keys()],
          }),
        ),
      });
    }
    const shift = d.shift;
    const strategy = { allAtOnce: "BLUE_GREEN", linear: "LINEAR", canary: "CANARY" }[shift.type];
    return {
      infrastructureRole,
      hookRole,
      rollbackAlarmNames: [...d.rollbackAlarmNames],
      advancedConfiguration: {
        alternateTargetGroupArn: d.alternateTargetGroupArn,
        productionListenerRule: d.productionListenerRuleArn,
        testListenerRule: d.testListenerRuleArn,
        roleArn: infrastructureRole.arn,
      },
      deploymentConfiguration: {
        strategy,
        bakeTimeInMinutes: String(d.bakeTimeMinutes),
        ...(shift.type === "linear"
          ? {
              linearConfiguration: {
                stepPercent: shift.stepPercent,
                stepBakeTimeInMinutes: String(shift.stepBakeTimeMinutes),
              },
            }
          : {}),
        ...(shift.type === "canary"
          ? {
              canaryConfiguration: {
                canaryPercent: shift.percent,
                canaryBakeTimeInMinutes: String(shift.bakeTimeMinutes),
              },
            }
          : {}),
        ...(hookRole
          ? {
              lifecycleHook: [...byFunction].map(([hookTargetArn, lifecycleStages]) => ({
                hookTargetArn,
                lifecycleStages,
                roleArn: hookRole.arn,
              })),
            }
          : {}),
      },
      // The roles must carry their permissions before ECS first uses them, and keep them until the service is gone.
      dependsOn: [attachment, ...(hookPolicy ? [hookPolicy] : [])],
    };
  }

  /** UpdateService on this service, and PassRole on its roles only towards the service that assumes each. */
  private createReleasePolicy(name: string, infrastructureRole: IamRole): IamPolicy {
    const ecsRoles = [infrastructureRole.arn, ...(this.hookRole ? [this.hookRole.arn] : [])];
    return new IamPolicy(this, "ReleasePolicy", {
      name: `${name}-release`,
      description: `Start a blue/green deployment of ${name}: update the service, pass its roles`,
      policy: policyJson(
        policy(
          {
            Sid: "UpdateService",
            Effect: "Allow",
            Action: ["ecs:DescribeServices", "ecs:UpdateService"],
            // aws_ecs_service's id is the service ARN.
            Resource: this.resource.id,
          },
          {
            Sid: "PassTaskRoles",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: [this.executionRole.arn, this.taskRole.arn],
            Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
          },
          {
            Sid: "PassDeploymentRoles",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: ecsRoles,
            Condition: { StringEquals: { "iam:PassedToService": "ecs.amazonaws.com" } },
          },
        ),
      ),
    });
  }

  /** What an execution role needs to start a task that gets `secrets`. */
  private executionStatements(
    props: EcsServiceProps,
    secrets: readonly ContainerSecret[],
  ): PolicyStatement[] {
    const c = props.container;
    const secretArns = secrets.filter((s) => s.source === "secretsmanager").map((s) => s.arn);
    const parameterArns = secrets.filter((s) => s.source === "ssm").map((s) => s.arn);
    const decryptKeys = props.decryptKeyArns ?? [];
    const out: PolicyStatement[] = [writeLogsStatement(this.logGroup.arn)];
    if (c.repositoryArn)
      out.push(ECR_LOGIN, {
        Sid: "PullImage",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: c.repositoryArn,
      });
    if (secretArns.length)
      out.push({
        Sid: "ReadSecrets",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: [...new Set(secretArns)],
      });
    if (parameterArns.length)
      out.push({
        Sid: "ReadParameters",
        Effect: "Allow",
        Action: "ssm:GetParameters",
        Resource: [...new Set(parameterArns)],
      });
    if (secrets.length && decryptKeys.length)
      out.push({ Sid: "DecryptSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: [...decryptKeys] });
    return out;
  }
}

/** What the SSM agent inside a task needs for ECS Exec, and logging of the sessions. */
function execStatements(exec: ExecCommandProps): PolicyStatement[] {
  return [
    {
      Sid: "ExecChannels",
      Effect: "Allow",
      // ssmmessages has no resource-level permissions: AWS accepts only "*" for these four actions.
      Action: [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ],
      Resource: "*",
    },
    { Sid: "ExecFindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
    {
      Sid: "ExecLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
      Resource: `${exec.logGroupArn}:*`,
    },
    {
      Sid: "ExecDecrypt",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: exec.kmsKeyArn,
    },
  ];
}
