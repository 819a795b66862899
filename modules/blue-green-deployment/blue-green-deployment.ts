// A CodeDeploy application and deployment group that release an ECS service blue/green between two target groups.
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { assumeRolePolicy, partitionOf } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";

export interface BlueGreenDeploymentProps {
  /** Application and deployment group name. */
  readonly name: string;
  readonly region: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** Production listener(s) CodeDeploy switches. */
  readonly productionListenerArns: readonly string[];
  /** The test listener that reaches the new tasks before the switch. */
  readonly testListenerArn: string;
  /** Names of the blue and green target groups. */
  readonly targetGroupNames: readonly [string, string];
  /** A `CodeDeployDefault.ECS*` configuration. */
  readonly deploymentConfigName: string;
  /** Minutes the old tasks are kept after the switch. */
  readonly terminationWaitMinutes: number;
  /** Alarms that stop and roll back a deployment while they fire. @default - none */
  readonly alarmNames?: readonly string[];
}

/** CodeDeploy for one ECS service, with automatic rollback on failure or alarm. */
export class BlueGreenDeployment extends Construct {
  public readonly resource: CodedeployDeploymentGroup;
  public readonly applicationName: string;
  public readonly deploymentGroupName: string;
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: BlueGreenDeploymentProps) {
    super(scope, id);
    const alarms = props.alarmNames ?? [];
    if (props.targetGroupNames[0] === props.targetGroupNames[1])
      throw new ModuleError(this, "blue and green target groups must differ");
    this.role = new IamRole(this, "Role", {
      name: `${props.name}-codedeploy`,
      description: `CodeDeploy releases ${props.serviceName} blue/green`,
      assumeRolePolicy: assumeRolePolicy("codedeploy.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "RolePolicy", {
      role: this.role.name,
      policyArn: `arn:${partitionOf(props.region)}:iam::aws:policy/AWSCodeDeployRoleForECS`,
    });
    const app = new CodedeployApp(this, "Application", { name: props.name, computePlatform: "ECS" });
    this.resource = new CodedeployDeploymentGroup(this, "Resource", {
      appName: app.name,
      deploymentGroupName: props.name,
      serviceRoleArn: this.role.arn,
      deploymentConfigName: props.deploymentConfigName,
      deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
      blueGreenDeploymentConfig: {
        deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
        terminateBlueInstancesOnDeploymentSuccess: {
          action: "TERMINATE",
          terminationWaitTimeInMinutes: props.terminationWaitMinutes,
        },
      },
      ecsService: { clusterName: props.clusterName, serviceName: props.serviceName },
      loadBalancerInfo: {
        targetGroupPairInfo: {
          prodTrafficRoute: { listenerArns: [...props.productionListenerArns] },
          testTrafficRoute: { listenerArns: [props.testListenerArn] },
          targetGroup: props.targetGroupNames.map((name) => ({ name })),
        },
      },
      autoRollbackConfiguration: {
        enabled: true,
        events: alarms.length ? ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] : ["DEPLOYMENT_FAILURE"],
      },
      ...(alarms.length ? { alarmConfiguration: { enabled: true, alarms: [...alarms] } } : {}),
    });
    this.applicationName = app.name;
    this.deploymentGroupName = this.resource.deploymentGroupName;
  }
}
