// `service.deployment: { type: nativeBlueGreen }`: defaults, the shapes it accepts, and one positioned line per
// class of bad input.
import { loadConfig } from "../environments/load.ts";
import { configProblems, DEV_YAML, envDir, SHARED_WITH_ZONE_YAML } from "./helpers.ts";

const SHARED = SHARED_WITH_ZONE_YAML;
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

const files = (deployment: string) => ({
  "shared.yaml": SHARED,
  "dev.yaml": DEV_YAML + SERVICE + deployment,
});
const deploymentOf = (deployment: string) =>
  loadConfig(envDir(files(deployment))).environments[0]!.service!.deployment;
const problems = (deployment: string) => configProblems(files(deployment));

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
  it("requires a test listener port", () => {
    expect(problems("")).toEqual(["dev.yaml:13:5 service.deployment.testListenerPort: is required"]);
  });

  it("refuses a test listener port that a production listener uses", () => {
    expect(problems("    testListenerPort: 443\n")).toEqual([
      "dev.yaml:14:23 service.deployment.testListenerPort: 443 is a production listener port; choose another, e.g. 8443",
    ]);
  });

  it("refuses a bake time ECS does not accept", () => {
    expect(problems("    testListenerPort: 8443\n    bakeTimeMinutes: 1441\n")).toEqual([
      "dev.yaml:15:22 service.deployment.bakeTimeMinutes: 1441 is out of range: must be at most 1440",
    ]);
  });

  it("refuses a hook on a stage ECS does not know, and names the stages it does", () => {
    expect(problems(`    testListenerPort: 8443\n    hooks:\n      AFTER_INSTALL: ${HOOK}\n`)).toEqual([
      expect.stringMatching(
        /^dev\.yaml:16:7 service\.deployment\.hooks\.AFTER_INSTALL: unknown key; allowed: RECONCILE_SERVICE, PRE_SCALE_UP, .*POST_PRODUCTION_TRAFFIC_SHIFT$/,
      ),
    ]);
  });

  it("refuses a hook that is not a Lambda function ARN", () => {
    expect(problems("    testListenerPort: 8443\n    hooks:\n      PRE_SCALE_UP: my-function\n")).toEqual([
      'dev.yaml:16:21 service.deployment.hooks.PRE_SCALE_UP: "my-function" is not a Lambda function ARN',
    ]);
  });

  it("refuses a linear step ECS does not accept", () => {
    expect(
      problems("    testListenerPort: 8443\n    shift:\n      type: linear\n      stepPercent: 2.5\n"),
    ).toEqual([
      "dev.yaml:17:20 service.deployment.shift.stepPercent: 2.5 is out of range: must be at least 3",
    ]);
    expect(
      problems("    testListenerPort: 8443\n    shift:\n      type: linear\n      stepPercent: 12.55\n"),
    ).toEqual(["dev.yaml:17:20 service.deployment.shift.stepPercent: 12.55 is not a multiple of 0.1"]);
  });
});
