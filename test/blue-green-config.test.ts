// `service.deployment: { type: nativeBlueGreen }`: defaults, the shapes it accepts, and one positioned line per
// class of bad input.
import { devFiles, lines, SHARED_WITH_ZONE_YAML } from "./helpers.ts";

const SERVICE = `service:
  container:
    image:
      repository: web
      tag: v1
  domain:
    name: dev.shop.example.com
  deployment:
    type: nativeBlueGreen
`;
const HOOK = "arn:aws:lambda:eu-west-1:222222222222:function:smoke-test";

const { env, problems } = devFiles(SERVICE, SHARED_WITH_ZONE_YAML);
const deploymentOf = (deployment: string) => env(deployment).service!.deployment;

describe("a valid nativeBlueGreen deployment", () => {
  it("bakes 15 minutes, shifts all at once, admits no extra sources and runs no hooks by default", () => {
    expect(deploymentOf("    testListenerPort: 8443\n")).toEqual({
      type: "nativeBlueGreen",
      bakeTimeMinutes: 15,
      testListenerPort: 8443,
      testCidrs: [],
      hooks: {},
      shift: { type: "allAtOnce" },
    });
  });

  it("takes a Lambda hook per lifecycle stage and a linear shift with ECS's step defaults", () => {
    expect(
      deploymentOf(
        `    testListenerPort: 9000\n    hooks:\n      POST_TEST_TRAFFIC_SHIFT: ${HOOK}\n    shift:\n      type: linear\n      stepPercent: 12.5\n`,
      ),
    ).toMatchObject({
      hooks: { POST_TEST_TRAFFIC_SHIFT: HOOK },
      shift: { type: "linear", stepPercent: 12.5, stepBakeTimeMinutes: 6 },
    });
  });

  it("takes a canary shift with ECS's defaults", () => {
    expect(deploymentOf("    testListenerPort: 9000\n    shift: { type: canary }\n")).toMatchObject({
      shift: {
        type: "canary",
        percent: 5,
        bakeTimeMinutes: 10,
      },
    });
  });
});

describe("bad nativeBlueGreen input", () => {
  it.each<[string, string, string | RegExp]>([
    ["requires a test listener port", "", "dev.yaml:13:5 service.deployment.testListenerPort: is required"],
    [
      "refuses a test listener port that a production listener uses",
      "    testListenerPort: 443\n",
      "dev.yaml:14:23 service.deployment.testListenerPort: 443 is a production listener port; choose another, e.g. 8443",
    ],
    [
      "refuses a bake time ECS does not accept",
      "    testListenerPort: 8443\n    bakeTimeMinutes: 1441\n",
      "dev.yaml:15:22 service.deployment.bakeTimeMinutes: 1441 is out of range: must be at most 1440",
    ],
    [
      "refuses a hook on a stage ECS does not know, and names the stages it does",
      `    testListenerPort: 8443\n    hooks:\n      AFTER_INSTALL: ${HOOK}\n`,
      /^dev\.yaml:16:7 service\.deployment\.hooks\.AFTER_INSTALL: unknown key; allowed: RECONCILE_SERVICE, PRE_SCALE_UP, .*POST_PRODUCTION_TRAFFIC_SHIFT$/,
    ],
    [
      "refuses a hook that is not a Lambda function ARN",
      "    testListenerPort: 8443\n    hooks:\n      PRE_SCALE_UP: my-function\n",
      'dev.yaml:16:21 service.deployment.hooks.PRE_SCALE_UP: "my-function" is not a Lambda function ARN',
    ],
    [
      "refuses a linear step below the smallest ECS accepts",
      "    testListenerPort: 8443\n    shift:\n      type: linear\n      stepPercent: 2.5\n",
      "dev.yaml:17:20 service.deployment.shift.stepPercent: 2.5 is out of range: must be at least 3",
    ],
    [
      "refuses a linear step that is not a multiple of 0.1",
      "    testListenerPort: 8443\n    shift:\n      type: linear\n      stepPercent: 12.55\n",
      "dev.yaml:17:20 service.deployment.shift.stepPercent: 12.55 is not a multiple of 0.1",
    ],
  ])("%s", (_, deployment, line) => {
    expect(problems(deployment)).toEqual(lines(line));
  });
});
