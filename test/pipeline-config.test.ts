// The `pipeline:` sections: defaults, and one positioned line for every class of bad input.
import { loadConfig } from "../environments/load.ts";
import { globProblem } from "../environments/sections/pipeline.ts";
import { configProblems, DEV_YAML, envDir, SHARED_YAML } from "./helpers.ts";

const SOURCE = `registries:
  - name: web
source:
  repository: example-org/shop
alerts:
  emails: [oncall@example.com]
`;
const PIPELINE = `pipeline:
  delivery: codepipeline
`;
const SERVICE = `service:
  container:
    image:
      repository: web
      tag: initial
`;
const DATA = `data:
  stores:
    - { name: main, engine: postgres, version: "16", multiAz: false }
`;

/** The problem lines for this shared.yaml tail and dev.yaml tail. */
const problems = (shared: string, dev: string) =>
  configProblems({ "shared.yaml": SHARED_YAML + shared, "dev.yaml": DEV_YAML + dev });
/** Loads this shared.yaml tail and dev.yaml tail, which must be valid. */
const loads = (shared: string, dev: string) =>
  loadConfig(envDir({ "shared.yaml": SHARED_YAML + shared, "dev.yaml": DEV_YAML + dev }));

describe("a valid pipeline section", () => {
  it("defaults to CodePipeline, queued, the source branch, the only registry, and approval by protection", () => {
    const c = loads(SOURCE + PIPELINE, SERVICE);
    expect(c.shared.pipeline).toMatchObject({
      delivery: "codepipeline",
      executionMode: "QUEUED",
      onPush: { includePaths: [], excludePaths: [] },
      onTags: [],
      build: { tests: { command: "make test", format: "JUNITXML" }, logRetentionDays: 365 },
    });
    expect(c.shared.pipeline!.onPush.branches).toBeUndefined();
    expect(c.environments[0]!.pipeline).toEqual({});
  });
});

describe("bad pipeline input", () => {
  it("rejects a pipeline without source in shared.yaml", () => {
    expect(problems("registries: [{ name: web }]\n" + PIPELINE, SERVICE)).toEqual([
      expect.stringMatching(
        /^shared\.yaml:\d+:\d+ pipeline\.delivery: a pipeline needs source \(the repository and connection it builds from\)$/,
      ),
    ]);
  });

  it("rejects github-actions without the repository its workflows run in", () => {
    expect(problems("registries: [{ name: web }]\npipeline:\n  delivery: github-actions\n", "")).toEqual([
      expect.stringMatching(
        /^shared\.yaml:\d+:\d+ pipeline\.delivery: github-actions needs the repository its workflows run in: add source\.repository/,
      ),
    ]);
  });

  it("rejects a tag pattern that is not a valid glob", () => {
    expect(problems(SOURCE + PIPELINE + "  onTags: [v*, 'v[0-9']\n", SERVICE)).toEqual([
      'shared.yaml:16:16 pipeline.onTags.1: "v[0-9" is not a valid glob: has a [ that is never closed',
    ]);
  });

  it("rejects an approval nobody would be asked for: no alerts e-mail", () => {
    const shared = SOURCE.replace("  emails: [oncall@example.com]", "  emails: []") + PIPELINE;
    expect(problems(shared, SERVICE + "pipeline:\n  approval: true\n")).toEqual([
      expect.stringMatching(
        /^dev\.yaml:11:13 pipeline\.approval: "dev" is released after a manual approval, but nobody would be asked: shared\.yaml alerts\.emails is empty$/,
      ),
    ]);
  });

  it("rejects a traffic-shifting configuration CodeDeploy does not know", () => {
    const lines = problems(
      SOURCE + PIPELINE,
      SERVICE + "  deployment:\n    type: codeDeploy\n    trafficShift: CodeDeployDefault.ECSHalfAtOnce\n",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^dev\.yaml:12:19 service\.deployment\.trafficShift: .*CodeDeployDefault\.ECSAllAtOnce/,
    );
  });

  it("rejects a migration for an environment without a service", () => {
    expect(problems(SOURCE + PIPELINE, DATA + "pipeline:\n  migration:\n    command: [migrate]\n")).toEqual([
      expect.stringMatching(/^dev\.yaml:10:5 pipeline\.migration: "dev" has no service: a migration runs/),
    ]);
  });

  it("rejects a migration for an environment without data stores", () => {
    expect(
      problems(SOURCE + PIPELINE, SERVICE + "pipeline:\n  migration:\n    command: [migrate]\n"),
    ).toEqual([
      expect.stringMatching(/^dev\.yaml:12:5 pipeline\.migration: "dev" has no data stores to migrate/),
    ]);
  });

  it("rejects a registry that shared.yaml does not declare, and a missing choice among several", () => {
    expect(problems(SOURCE + PIPELINE + "  registry: api\n", SERVICE)).toEqual([
      expect.stringMatching(
        /^shared\.yaml:\d+:\d+ pipeline\.registry: "api" is not a registry declared under registries \(web\)$/,
      ),
    ]);
    const two = SOURCE.replace("  - name: web\n", "  - name: web\n  - name: worker\n");
    expect(problems(two + PIPELINE, SERVICE)).toEqual([
      expect.stringMatching(
        /^shared\.yaml:\d+:\d+ pipeline: name the registry the image is pushed to: registry: one of web, worker$/,
      ),
    ]);
  });

  it("rejects a released service whose image comes from another registry than the pipeline's", () => {
    const two = SOURCE.replace("  - name: web\n", "  - name: web\n  - name: worker\n");
    const otherRegistry = SERVICE.replace("      repository: web\n", "      repository: worker\n");
    expect(problems(two + PIPELINE + "  registry: web\n", otherRegistry)).toEqual([
      expect.stringMatching(
        /^dev\.yaml:8:7 service\.container\.image: the pipeline releases the image it pushes to registry "web": use repository: web with an initial tag, or an outside image: to start from$/,
      ),
    ]);
  });

  it("lets a released service start from an outside image until the first release", () => {
    const publicImage = SERVICE.replace(
      "      repository: web\n      tag: initial\n",
      "      image: public.ecr.aws/nginx/nginx:stable\n",
    );
    expect(loads(SOURCE + PIPELINE, publicImage).environments[0]?.service?.container.image.image).toBe(
      "public.ecr.aws/nginx/nginx:stable",
    );
  });

  it("checks migrations under GitHub Actions too, and leaves its approvals to the GitHub environment", () => {
    const github = SOURCE + PIPELINE.replace("codepipeline", "github-actions");
    expect(problems(github, SERVICE + "pipeline:\n  migration:\n    command: [migrate]\n")).toEqual([
      expect.stringMatching(/^dev\.yaml:12:5 pipeline\.migration: "dev" has no data stores to migrate/),
    ]);
    const silent = github.replace("  emails: [oncall@example.com]", "  emails: []");
    expect(loads(silent, SERVICE + "pipeline:\n  approval: true\n").environments[0]?.pipeline.approval).toBe(
      true,
    );
  });
});

describe("globProblem", () => {
  it.each([
    ["v*", undefined],
    ["release/**", undefined],
    ["v{1,2}.*", undefined],
    ["v[0-9]*", undefined],
    ["", "is empty"],
    ["v 1", "contains whitespace or a control character"],
    ["v[]", "has an empty []"],
    ["v]", "has a ] without its opening bracket"],
    ["v{1,2", "has a { that is never closed"],
  ])("%j: %s", (pattern, problem) => {
    expect(globProblem(pattern)).toBe(problem);
  });
});
