// Restarts an ECS service after a secret it reads rotates: ECS reads `secrets` only when a task starts, so tasks
// keep the old password after a rotation and their new connections fail until they are replaced. An EventBridge
// rule on the rotation event starts a Step Functions state machine that calls ecs:UpdateService with a forced
// deployment, with no code to maintain.
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { Construct } from "constructs";
import { assumeRolePolicy, dnsSuffixOf, partitionOf, policy, policyJson } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";

export interface RestartOnRotationProps {
  /** Prefix of the rule, state machine, roles and log group; the service's name. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterArn: string;
  readonly serviceArn: string;
  /** Secrets whose rotation restarts the service (without a JSON key suffix); at least one. */
  readonly secretArns: readonly string[];
  readonly logRetentionDays: number;
  readonly logKmsKeyArn: string;
}

/** The rotation rule, the state machine that forces a new deployment, their roles and the execution log group. */
export class RestartOnRotation extends Construct {
  public readonly resource: SfnStateMachine;
  public readonly rule: CloudwatchEventRule;
  /** Execution history of the state machine. */
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: RestartOnRotationProps) {
    super(scope, id);
    if (props.secretArns.length === 0) throw new ModuleError(this, "needs at least one secret to watch");
    const suffix = dnsSuffixOf(props.region);
    const sourceAccount = { StringEquals: { "aws:SourceAccount": props.accountId } };

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/aws/vendedlogs/states/${props.name}-restart`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });
    const machineRole = new IamRole(this, "MachineRole", {
      name: `${props.name}-restart`.slice(0, 64),
      description: `Forces a new deployment of ${props.name} after its database secret rotates`,
      assumeRolePolicy: assumeRolePolicy(`states.${suffix}`, sourceAccount),
    });
    new IamRolePolicy(this, "MachinePolicy", {
      name: "least-privilege",
      role: machineRole.id,
      policy: policyJson(
        policy(
          {
            Sid: "RestartService",
            Effect: "Allow",
            Action: "ecs:UpdateService",
            Resource: props.serviceArn,
            Condition: { ArnEquals: { "ecs:cluster": props.clusterArn } },
          },
          {
            Sid: "DeliverLogs",
            Effect: "Allow",
            // Log delivery and X-Ray have no resource-level permissions: AWS accepts only "*" for these actions.
            Action: [
              "logs:CreateLogDelivery",
              "logs:DeleteLogDelivery",
              "logs:DescribeLogGroups",
              "logs:DescribeResourcePolicies",
              "logs:GetLogDelivery",
              "logs:ListLogDeliveries",
              "logs:PutResourcePolicy",
              "logs:UpdateLogDelivery",
              "xray:GetSamplingRules",
              "xray:GetSamplingTargets",
              "xray:PutTelemetryRecords",
              "xray:PutTraceSegments",
            ],
            Resource: "*",
          },
        ),
      ),
    });
    this.resource = new SfnStateMachine(this, "Resource", {
      name: `${props.name}-restart`,
      roleArn: machineRole.arn,
      type: "STANDARD",
      definition: JSON.stringify({
        Comment: `Replace the tasks of ${props.name} so they read the rotated secret`,
        StartAt: "ForceNewDeployment",
        States: {
          ForceNewDeployment: {
            Type: "Task",
            Resource: `arn:${partitionOf(props.region)}:states:::aws-sdk:ecs:updateService`,
            Parameters: { Cluster: props.clusterArn, Service: props.serviceArn, ForceNewDeployment: true },
            Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 }],
            End: true,
          },
        },
      }),
      loggingConfiguration: {
        logDestination: `${this.logGroup.arn}:*`,
        // The input is the rotation event (the secret's ARN, never its value): safe to keep in the history.
        includeExecutionData: true,
        level: "ALL",
      },
      tracingConfiguration: { enabled: true },
    });

    // Secrets Manager reports each rotation, managed ones (RDS) included, as a service event through CloudTrail.
    this.rule = new CloudwatchEventRule(this, "Rule", {
      name: `${props.name}-secret-rotated`.slice(0, 64),
      description: `A secret ${props.name} reads has rotated: restart its tasks`,
      eventPattern: JSON.stringify({
        source: ["aws.secretsmanager"],
        "detail-type": ["AWS Service Event via CloudTrail"],
        detail: {
          eventSource: [`secretsmanager.${suffix}`],
          eventName: ["RotationSucceeded"],
          additionalEventData: { SecretId: [...props.secretArns] },
        },
      }),
    });
    const eventsRole = new IamRole(this, "EventsRole", {
      name: `${props.name}-restart-events`.slice(0, 64),
      description: `Lets EventBridge start the restart state machine of ${props.name}`,
      assumeRolePolicy: assumeRolePolicy(`events.${suffix}`, sourceAccount),
    });
    new IamRolePolicy(this, "EventsPolicy", {
      name: "least-privilege",
      role: eventsRole.id,
      policy: policyJson(
        policy({
          Sid: "StartRestart",
          Effect: "Allow",
          Action: "states:StartExecution",
          Resource: this.resource.arn,
        }),
      ),
    });
    new CloudwatchEventTarget(this, "Target", {
      rule: this.rule.name,
      arn: this.resource.arn,
      roleArn: eventsRole.arn,
    });
  }
}
