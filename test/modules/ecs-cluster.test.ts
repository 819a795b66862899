// modules/ecs-cluster: Container Insights, encrypted and logged ECS Exec, and Fargate or EC2 capacity.
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import {
  EcsCluster,
  type Ec2CapacityProps,
  type EcsClusterProps,
} from "../../modules/ecs-cluster/ecs-cluster.ts";
import { FAKE_NETWORK, itRefuses, moduleBuilder, TEST_REGION } from "../helpers.ts";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/k";
const MINIMAL: EcsClusterProps = {
  name: "shop-test",
  region: TEST_REGION,
  capacity: { type: "fargate", spotPercent: 0, onDemandBase: 0 },
  kmsKeyArn: KEY,
  execLogRetentionDays: 30,
};
const EC2: Ec2CapacityProps = {
  type: "ec2",
  instanceType: "t4g.medium",
  architecture: "arm64",
  minInstances: 1,
  maxInstances: 4,
  volumeSizeGiB: 30,
  targetCapacityPercent: 90,
  vpcId: FAKE_NETWORK.vpcId,
  subnetIds: FAKE_NETWORK.privateSubnetIds,
};

const cluster = moduleBuilder((s, p) => new EcsCluster(s, "Cluster", p), MINIMAL);

it("turns Container Insights on and encrypts and logs every ECS Exec session by default", () => {
  // GIVEN / WHEN a Fargate cluster with minimal props THEN
  expect(cluster().one(EcsClusterResource)).toMatchObject({
    name: "shop-test",
    setting: [{ name: "containerInsights", value: "enabled" }],
    configuration: {
      execute_command_configuration: {
        kms_key_id: KEY,
        logging: "OVERRIDE",
        log_configuration: {
          cloud_watch_encryption_enabled: true,
          cloud_watch_log_group_name: expect.stringMatching(
            /^\$\{aws_cloudwatch_log_group\.Cluster_ExecLogGroup_/,
          ),
        },
      },
    },
  });
});

it("places every task on regular Fargate without a Spot share", () => {
  const built = cluster();
  expect(built.construct.launchType).toBe("FARGATE");
  expect(built.construct.capacityProviderStrategy).toEqual([
    { capacityProvider: "FARGATE", weight: 100, base: 0 },
  ]);
  expect(built.text).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
    capacity_providers: ["FARGATE", "FARGATE_SPOT"],
  });
});

it("splits tasks beyond the base between Fargate and Fargate Spot by percent", () => {
  const { construct } = cluster({ capacity: { type: "fargate", spotPercent: 70, onDemandBase: 2 } });
  expect(construct.capacityProviderStrategy).toEqual([
    { capacityProvider: "FARGATE", weight: 30, base: 2 },
    { capacityProvider: "FARGATE_SPOT", weight: 70, base: 0 },
  ]);
});

it("runs EC2 capacity from the ECS-optimized AMI, with IMDSv2 at hop limit 1, encrypted disks and no public IP", () => {
  // GIVEN EC2 capacity on Graviton
  const built = cluster({ capacity: EC2 });
  // THEN
  expect(built.construct.launchType).toBe("EC2");
  expect(built.text).toHaveDataSourceWithProperties(DataAwsSsmParameter, {
    name: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
  });
  expect(built.one(LaunchTemplate).image_id).toMatch(/data\.aws_ssm_parameter\..*\.insecure_value/);
  // Tasks in awsvpc mode must not reach the instance's metadata (and its role's credentials).
  expect(Buffer.from(String(built.one(LaunchTemplate).user_data), "base64").toString()).toMatch(
    /ECS_AWSVPC_BLOCK_IMDS=true/,
  );
  expect(built.one(LaunchTemplate)).toMatchObject({
    instance_type: "t4g.medium",
    metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
    network_interfaces: [expect.objectContaining({ associate_public_ip_address: "false" })],
    block_device_mappings: [
      expect.objectContaining({ ebs: expect.objectContaining({ encrypted: "true", volume_size: 30 }) }),
    ],
  });
  expect(built.one(AutoscalingGroup)).toMatchObject({
    min_size: 1,
    max_size: 4,
    protect_from_scale_in: true,
    vpc_zone_identifier: [...FAKE_NETWORK.privateSubnetIds],
  });
  expect(built.one(EcsCapacityProvider)).toMatchObject({
    auto_scaling_group_provider: {
      managed_termination_protection: "ENABLED",
      managed_scaling: expect.objectContaining({ status: "ENABLED", target_capacity: 90 }),
    },
  });
  expect(cluster().all(LaunchTemplate)).toEqual([]);
});

itRefuses(cluster, "test/Cluster", [
  [
    "more minimum instances than maximum",
    { capacity: { ...EC2, minInstances: 5, maxInstances: 2 } },
    "minInstances (5) must be ≤ maxInstances (2)",
  ],
  [
    "EC2 capacity without a subnet",
    { capacity: { ...EC2, subnetIds: [] } },
    "EC2 capacity needs at least one subnet",
  ],
  ...[-1, 101].map(
    (spotPercent) =>
      [
        `a Spot share of ${spotPercent} percent`,
        { capacity: { type: "fargate", spotPercent, onDemandBase: 0 } },
        `spotPercent must be 0 to 100, got ${spotPercent}`,
      ] as const,
  ),
]);
