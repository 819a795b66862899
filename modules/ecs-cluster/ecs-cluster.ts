// An ECS cluster with Container Insights, logged ECS Exec, and its capacity: Fargate (with an optional Spot share) or
// EC2 container instances in an Auto Scaling group behind a managed capacity provider.
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Construct } from "constructs";
import { assumeRolePolicy, partitionOf } from "../core/aws.ts";
import { ModuleError } from "../core/errors.ts";

/** One entry of a capacity provider strategy. */
export interface CapacityStrategyItem {
  readonly capacityProvider: string;
  readonly weight: number;
  readonly base: number;
}

/** Serverless capacity. */
export interface FargateCapacityProps {
  readonly type: "fargate";
  /** Percentage of tasks beyond the base placed on Fargate Spot. */
  readonly spotPercent: number;
  /** Tasks always placed on regular Fargate. */
  readonly onDemandBase: number;
}

/** Container instances of your own. */
export interface Ec2CapacityProps {
  readonly type: "ec2";
  readonly instanceType: string;
  readonly architecture: "x86_64" | "arm64";
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly volumeSizeGiB: number;
  /** How full managed scaling keeps the instances, in percent. */
  readonly targetCapacityPercent: number;
  readonly vpcId: string;
  /** Private subnets the instances are spread across. */
  readonly subnetIds: readonly string[];
}

export interface EcsClusterProps {
  /** Cluster name; also the prefix of the capacity provider, instance role and launch template. */
  readonly name: string;
  readonly region: string;
  readonly capacity: FargateCapacityProps | Ec2CapacityProps;
  /** KMS key for ECS Exec sessions and their log group. */
  readonly kmsKeyArn: string;
  /** Days ECS Exec session logs are kept. */
  readonly execLogRetentionDays: number;
  /** @default "enabled" */
  readonly containerInsights?: "enabled" | "enhanced";
}

const DEFAULT_CONTAINER_INSIGHTS = "enabled";
/** The ECS-optimized Amazon Linux 2023 AMI, as AWS publishes it in Parameter Store. */
const ECS_AMI_PARAMETER = {
  x86_64: "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
  arm64: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
} as const;

/** The cluster and the capacity its services use through `capacityProviderStrategy`. */
export class EcsCluster extends Construct {
  public readonly resource: EcsClusterResource;
  public readonly name: string;
  public readonly arn: string;
  /** The strategy services pass on; it names this cluster's providers only. */
  public readonly capacityProviderStrategy: readonly CapacityStrategyItem[];
  /** What kind of capacity the strategy places tasks on. */
  public readonly launchType: "FARGATE" | "EC2";
  /** The Auto Scaling group of EC2 capacity. */
  public readonly autoScalingGroup?: AutoscalingGroup;
  /** The security group of the container instances (EC2 capacity); tasks have their own. */
  public readonly instanceSecurityGroupId?: string;
  public readonly execLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    const insights = props.containerInsights ?? DEFAULT_CONTAINER_INSIGHTS;
    const { capacity } = props;
    if (capacity.type === "ec2") {
      if (capacity.minInstances > capacity.maxInstances)
        throw new ModuleError(
          this,
          `minInstances (${capacity.minInstances}) must be ≤ maxInstances (${capacity.maxInstances})`,
        );
      if (capacity.subnetIds.length === 0)
        throw new ModuleError(this, "EC2 capacity needs at least one subnet");
    } else if (capacity.spotPercent < 0 || capacity.spotPercent > 100)
      throw new ModuleError(this, `spotPercent must be 0 to 100, got ${capacity.spotPercent}`);

    this.execLogGroup = new CloudwatchLogGroup(this, "ExecLogGroup", {
      name: `/ecs/${props.name}/exec`,
      retentionInDays: props.execLogRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.resource = new EcsClusterResource(this, "Resource", {
      name: props.name,
      setting: [{ name: "containerInsights", value: insights }],
      // Exec sessions are encrypted with our key and every command is logged, whether or not a service enables it.
      configuration: {
        executeCommandConfiguration: {
          kmsKeyId: props.kmsKeyArn,
          logging: "OVERRIDE",
          logConfiguration: {
            cloudWatchLogGroupName: this.execLogGroup.name,
            cloudWatchEncryptionEnabled: true,
          },
        },
      },
    });
    this.name = this.resource.name;
    this.arn = this.resource.arn;

    if (capacity.type === "fargate") {
      this.launchType = "FARGATE";
      const spot = capacity.spotPercent;
      this.capacityProviderStrategy = [
        { capacityProvider: "FARGATE", weight: 100 - spot, base: capacity.onDemandBase },
        ...(spot > 0 ? [{ capacityProvider: "FARGATE_SPOT", weight: spot, base: 0 }] : []),
      ];
      new EcsClusterCapacityProviders(this, "CapacityProviders", {
        clusterName: this.resource.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy: this.capacityProviderStrategy.map((s) => ({ ...s })),
      });
    } else {
      this.launchType = "EC2";
      const { provider, asg, securityGroupId } = this.ec2Capacity(props.name, props.region, capacity);
      this.autoScalingGroup = asg;
      this.instanceSecurityGroupId = securityGroupId;
      this.capacityProviderStrategy = [{ capacityProvider: provider.name, weight: 1, base: 0 }];
      new EcsClusterCapacityProviders(this, "CapacityProviders", {
        clusterName: this.resource.name,
        capacityProviders: [provider.name],
        defaultCapacityProviderStrategy: this.capacityProviderStrategy.map((s) => ({ ...s })),
      });
    }
  }

  private ec2Capacity(
    name: string,
    region: string,
    c: Ec2CapacityProps,
  ): { provider: EcsCapacityProvider; asg: AutoscalingGroup; securityGroupId: string } {
    const scope = new Construct(this, "Ec2Capacity");
    const role = new IamRole(scope, "InstanceRole", {
      name: `${name}-instance`,
      description: "ECS container instances: register with the cluster and pull images for the agent",
      assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
    });
    new IamRolePolicyAttachment(scope, "InstanceRoleEcs", {
      role: role.name,
      policyArn: `arn:${partitionOf(region)}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role`,
    });
    const profile = new IamInstanceProfile(scope, "InstanceProfile", {
      name: `${name}-instance`,
      role: role.name,
    });

    const sg = new SecurityGroup(scope, "SecurityGroup", {
      name: `${name}-instances`,
      description: `Container instances of ${name}: no inbound; HTTPS out to the ECS, ECR and logs APIs`,
      vpcId: c.vpcId,
      revokeRulesOnDelete: true,
    });
    new VpcSecurityGroupEgressRule(scope, "EgressHttps", {
      securityGroupId: sg.id,
      description: "HTTPS to AWS APIs (ECS agent, ECR, CloudWatch Logs) through NAT or VPC endpoints",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });

    const ami = new DataAwsSsmParameter(scope, "EcsOptimizedAmi", {
      name: ECS_AMI_PARAMETER[c.architecture],
    });
    // awsvpc tasks get credentials from the ECS agent (169.254.170.2), never from instance metadata: block their
    // path to IMDS and keep the hop limit at 1 so no container can reach the instance role.
    const userData = [
      "#!/bin/bash",
      "cat >> /etc/ecs/ecs.config <<'EOF'",
      `ECS_CLUSTER=${name}`,
      "ECS_AWSVPC_BLOCK_IMDS=true",
      "ECS_ENABLE_TASK_IAM_ROLE=true",
      "ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance",
      "EOF",
      "",
    ].join("\n");
    const template = new LaunchTemplate(scope, "LaunchTemplate", {
      name: `${name}-instances`,
      description: `ECS-optimized container instances of ${name}`,
      imageId: ami.insecureValue,
      instanceType: c.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      ebsOptimized: "true",
      updateDefaultVersion: true,
      userData: Buffer.from(userData).toString("base64"),
      monitoring: { enabled: true },
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      networkInterfaces: [
        { associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [sg.id] },
      ],
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: c.volumeSizeGiB,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${name}-instance` } },
        { resourceType: "volume", tags: { Name: `${name}-instance` } },
      ],
    });
    const asg = new AutoscalingGroup(scope, "AutoScalingGroup", {
      name: `${name}-instances`,
      minSize: c.minInstances,
      maxSize: c.maxInstances,
      vpcZoneIdentifier: [...c.subnetIds],
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      healthCheckType: "EC2",
      // Managed termination protection needs scale-in protection: ECS decides which instance may go.
      protectFromScaleIn: true,
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 50 } },
      tag: [
        { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
        { key: "Name", value: `${name}-instance`, propagateAtLaunch: true },
      ],
      // ECS managed scaling owns the desired capacity.
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });
    const provider = new EcsCapacityProvider(scope, "CapacityProvider", {
      name: `${name}-ec2`,
      autoScalingGroupProvider: {
        autoScalingGroupArn: asg.arn,
        managedTerminationProtection: "ENABLED",
        managedDraining: "ENABLED",
        managedScaling: {
          status: "ENABLED",
          targetCapacity: c.targetCapacityPercent,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 10,
        },
      },
    });
    return { provider, asg, securityGroupId: sg.id };
  }
}
