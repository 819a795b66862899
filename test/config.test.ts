// The environment files: every class of bad input gets one positioned line, and good input gets defaults.
import { readFileSync } from "node:fs";
import { expectTypeOf } from "vitest";
import { loadConfig } from "../environments/load.ts";
import type { Config, EnvironmentConfig } from "../environments/schema.ts";
import { configProblems, DEV_YAML, envDir, SHARED_YAML } from "./helpers.ts";

describe("loading valid environment files", () => {
  it("applies schema defaults and resolves the region from shared.yaml", () => {
    const config = loadConfig(envDir({ "shared.yaml": SHARED_YAML, "dev.yaml": DEV_YAML }));
    expect(config.environments[0]).toMatchObject({
      name: "dev",
      region: "eu-west-1",
      protected: false,
      tags: {},
    });
    expect(config.shared.state.noncurrentVersionDays).toBe(90);
    expect(config.shared.state.bootstrapBackend).toBe("local");
  });

  it("protects an environment unless its file says otherwise", () => {
    const config = loadConfig(
      envDir({ "shared.yaml": SHARED_YAML, "dev.yaml": DEV_YAML.replace("protected: false\n", "") }),
    );
    expect(config.environments[0]!.protected).toBe(true);
  });

  it("orders environments as shared.yaml lists them, not by file name", () => {
    const shared = SHARED_YAML.replace("[dev]", "[zeta, alpha]");
    const config = loadConfig(
      envDir({
        "shared.yaml": shared,
        "alpha.yaml": DEV_YAML.replace("name: dev", "name: alpha") + "network: { cidr: 10.1.0.0/16 }\n",
        "zeta.yaml": DEV_YAML.replace("name: dev", "name: zeta") + "network: { cidr: 10.2.0.0/16 }\n",
      }),
    );
    expect(config.environments.map((e) => e.name)).toEqual(["zeta", "alpha"]);
  });

  it("accepts the sample environments", () => {
    expect(loadConfig("environments").environments.map((e) => e.name)).toEqual(["dev", "test", "prod"]);
  });

  it("types the protected flag as a boolean after defaults", () => {
    expectTypeOf<EnvironmentConfig["protected"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Config["shared"]["state"]["bootstrapBackend"]>().toEqualTypeOf<"local" | "s3">();
  });
});

describe("bad input gets one line per problem with file, line, column and key", () => {
  it("points at an unclosed [ rather than the line after it", () => {
    expect(
      configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": "name: dev\naccount: [\nprotected: false\n" }),
    ).toEqual([
      'dev.yaml:2:10 this "[" is never closed: end the list with "]" on the same line, or write one item per line',
    ]);
  });

  it("points at an unclosed { inside a nested mapping", () => {
    const dev = `${DEV_YAML}network:\n  nat: { mode: single\n  azCount: 2\n`;
    expect(configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": dev })).toEqual([
      expect.stringMatching(/^dev\.yaml:6:8 this "\{" is never closed: end the mapping with "\}"/),
    ]);
  });

  it("names a duplicated key and the line of its first occurrence", () => {
    expect(configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": DEV_YAML + "name: dev\n" })).toEqual([
      "dev.yaml:5:1 name: is given twice in this mapping; the first is on line 1",
    ]);
  });

  it("reports every duplicated key, each with its key path", () => {
    const dev = `${DEV_YAML}network:\n  cidr: 10.0.0.0/16\n  azCount: 2\n  cidr: 10.1.0.0/16\n`;
    expect(configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": dev + "protected: true\n" })).toEqual([
      "dev.yaml:8:3 network.cidr: is given twice in this mapping; the first is on line 6",
      "dev.yaml:9:1 protected: is given twice in this mapping; the first is on line 4",
    ]);
  });

  it("refuses tabs used for indentation with one line, not the errors that follow from it", () => {
    const dev = readFileSync("environments/dev.yaml", "utf8").replace(
      "  cidr: 10.10.0.0/16",
      "\tcidr: 10.10.0.0/16",
    );
    expect(configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": dev })).toEqual([
      "dev.yaml:10:1 Tabs are not allowed as indentation",
    ]);
  });

  it.each([
    ["an empty file", ""],
    ["a comment-only file", "# nothing here yet\n"],
  ])("refuses %s", (_, text) => {
    expect(configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": text })).toEqual([
      "dev.yaml:1:1 is empty; expected a mapping of keys",
    ]);
  });

  it("refuses a folder without shared.yaml", () => {
    expect(configProblems({ "dev.yaml": DEV_YAML })).toEqual([
      expect.stringMatching(/shared\.yaml file not found: every environments folder needs one$/),
    ]);
  });

  it("refuses a folder without environment files", () => {
    expect(configProblems({ "shared.yaml": SHARED_YAML })).toEqual([
      expect.stringMatching(/no environment files \(<env>\.yaml\) found$/),
    ]);
  });

  it("refuses a missing folder", () => {
    expect(() => loadConfig("/nonexistent/environments")).toThrow(/is not a folder of environment files/);
  });

  it("reports a wrong type at the value's position", () => {
    expect(
      configProblems({
        "shared.yaml": SHARED_YAML,
        "dev.yaml": DEV_YAML.replace("protected: false", "protected: maybe"),
      }),
    ).toEqual(['dev.yaml:4:12 protected: expected boolean, got string "maybe"']);
  });

  it("reports a number out of range with the allowed bound", () => {
    const shared = SHARED_YAML + "  noncurrentVersionDays: 0\n";
    expect(configProblems({ "shared.yaml": shared, "dev.yaml": DEV_YAML })).toEqual([
      "shared.yaml:8:26 state.noncurrentVersionDays: 0 is out of range: must be at least 1",
    ]);
  });

  it("suggests the closest key for an unknown key", () => {
    expect(
      configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": DEV_YAML.replace("protected:", "protectd:") }),
    ).toEqual(['dev.yaml:4:1 protectd: unknown key; did you mean "protected"?']);
  });

  it("lists the allowed keys for an unknown key that resembles none", () => {
    const [line] = configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": DEV_YAML + "colour: blue\n" });
    expect(line).toMatch(/^dev\.yaml:5:1 colour: unknown key; allowed: name, account, region, protected/);
  });

  it("finds unknown keys in nested mappings", () => {
    const lines = configProblems({
      "shared.yaml": SHARED_YAML,
      "dev.yaml": DEV_YAML.replace('  id: "', '  idd: "'),
    });
    expect(lines).toEqual([
      "dev.yaml:3:3 account.id: is required",
      'dev.yaml:3:3 account.idd: unknown key; did you mean "id"?',
    ]);
  });

  it("refuses an account id that is not 12 digits", () => {
    expect(
      configProblems({
        "shared.yaml": SHARED_YAML,
        "dev.yaml": DEV_YAML.replace('"222222222222"', '"2222"'),
      }),
    ).toEqual(['dev.yaml:3:7 account.id: "2222" is not a 12-digit AWS account id']);
  });

  it("explains that an unquoted account id loses leading zeros", () => {
    const [line] = configProblems({
      "shared.yaml": SHARED_YAML,
      "dev.yaml": DEV_YAML.replace('"222222222222"', "022222222222"),
    });
    expect(line).toMatch(/^dev\.yaml:3:7 account\.id: .*quotes/);
  });

  it("refuses a region that does not exist", () => {
    expect(
      configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": DEV_YAML + "region: eu-westeros-1\n" }),
    ).toEqual([
      'dev.yaml:5:9 region: "eu-westeros-1" is not an AWS region (for example eu-west-1, us-east-1)',
    ]);
  });

  it("requires the file name to equal the environment name", () => {
    expect(
      configProblems({
        "shared.yaml": SHARED_YAML.replace("[dev]", "[dev, qa]"),
        "dev.yaml": DEV_YAML,
        "qa.yaml": DEV_YAML,
      }),
    ).toEqual(['qa.yaml:1:7 name: "dev" must equal the file name "qa"']);
  });

  it("requires every environment file to be listed in shared.yaml", () => {
    const lines = configProblems({
      "shared.yaml": SHARED_YAML,
      "dev.yaml": DEV_YAML,
      "qa.yaml": DEV_YAML.replace("dev", "qa"),
    });
    expect(lines).toEqual(['qa.yaml:1:7 name: "qa" is not listed under environments in shared.yaml (dev)']);
  });

  it("requires every listed environment to have a file", () => {
    expect(
      configProblems({ "shared.yaml": SHARED_YAML.replace("[dev]", "[dev, prod]"), "dev.yaml": DEV_YAML }),
    ).toEqual(['shared.yaml:5:21 environments.1: "prod" has no file prod.yaml beside shared.yaml']);
  });

  it("refuses an environment listed twice", () => {
    expect(
      configProblems({ "shared.yaml": SHARED_YAML.replace("[dev]", "[dev, dev]"), "dev.yaml": DEV_YAML }),
    ).toEqual(['shared.yaml:5:21 environments.1: "dev" is listed twice']);
  });

  it("refuses an unprotected environment promoted after a protected one", () => {
    const lines = configProblems({
      "shared.yaml": SHARED_YAML.replace("[dev]", "[prod, dev]"),
      "dev.yaml": DEV_YAML,
      "prod.yaml":
        DEV_YAML.replace("name: dev", "name: prod").replace("protected: false\n", "") +
        "network: { cidr: 10.1.0.0/16 }\n",
    });
    expect(lines).toEqual([
      expect.stringMatching(/^dev\.yaml:4:12 protected: "dev" is unprotected but comes after/),
    ]);
  });

  it("refuses an alias bomb", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
    ].join("\n");
    expect(configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": `${DEV_YAML}${bomb}\n` })).toEqual([
      expect.stringMatching(/^dev\.yaml:6:\d+ aliases expand to too many nodes .*alias bomb/),
    ]);
  });

  it("refuses a file that is not text", () => {
    expect(
      configProblems({
        "shared.yaml": SHARED_YAML,
        "dev.yaml": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
      }),
    ).toEqual(["dev.yaml:1:1 is not a UTF-8 text file"]);
  });

  it("reports every problem of every file at once", () => {
    const lines = configProblems({
      "shared.yaml": SHARED_YAML.replace("eu-west-1", "mars-1"),
      "dev.yaml": DEV_YAML.replace("protected: false", "protected: 3"),
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^dev\.yaml:4:12 protected:/);
    expect(lines[1]).toMatch(/^shared\.yaml:2:9 region:/);
  });
});
