// modules/blue-green-deployment: CodeDeploy releases an ECS service blue/green and rolls back on failure or alarm.
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { CodedeployDeploymentGroup } from "@cdktf/provider-aws/lib/codedeploy-deployment-group";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import {
  BlueGreenDeployment,
  type BlueGreenDeploymentProps,
} from "../../modules/blue-green-deployment/blue-green-deployment.ts";
import { itRefuses, moduleBuilder, TEST_REGION } from "../helpers.ts";

const PROD = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/shop/1/443";
const TEST = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/shop/1/8443";
const MINIMAL: BlueGreenDeploymentProps = {
  name: "shop-test-app",
  region: TEST_REGION,
  clusterName: "shop-test",
  serviceName: "app",
  productionListenerArns: [PROD],
  testListenerArn: TEST,
  targetGroupNames: ["shop-test-blue", "shop-test-green"],
  deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
  terminationWaitMinutes: 5,
};

const deployment = moduleBuilder((s, p) => new BlueGreenDeployment(s, "Deployment", p), MINIMAL);

it("switches the production listener between the two target groups and rolls back a failed deployment", () => {
  // GIVEN / WHEN a deployment with minimal props
  const built = deployment();
  const group = built.one(CodedeployDeploymentGroup);
  // THEN
  expect(group).toMatchObject({
    deployment_config_name: "CodeDeployDefault.ECSAllAtOnce",
    deployment_style: { deployment_option: "WITH_TRAFFIC_CONTROL", deployment_type: "BLUE_GREEN" },
    blue_green_deployment_config: {
      terminate_blue_instances_on_deployment_success: {
        action: "TERMINATE",
        termination_wait_time_in_minutes: 5,
      },
    },
    ecs_service: { cluster_name: "shop-test", service_name: "app" },
    load_balancer_info: {
      target_group_pair_info: {
        prod_traffic_route: { listener_arns: [PROD] },
        test_traffic_route: { listener_arns: [TEST] },
        target_group: [{ name: "shop-test-blue" }, { name: "shop-test-green" }],
      },
    },
    auto_rollback_configuration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
  });
  expect(group).not.toHaveProperty("alarm_configuration");
  expect(built.text).toHaveResourceWithProperties(CodedeployApp, { compute_platform: "ECS" });
  expect(built.text).toHaveResourceWithProperties(IamRolePolicyAttachment, {
    policy_arn: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS",
  });
});

it("stops and rolls back while one of its alarms fires", () => {
  expect(deployment({ alarmNames: ["shop-test-5xx"] }).one(CodedeployDeploymentGroup)).toMatchObject({
    alarm_configuration: { enabled: true, alarms: ["shop-test-5xx"] },
    auto_rollback_configuration: { events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  });
});

itRefuses(deployment, "test/Deployment", [
  [
    "the same target group as blue and green",
    { targetGroupNames: ["shop-test-tg", "shop-test-tg"] },
    "blue and green target groups must differ",
  ],
]);
