// The environment files: every class of bad input gets one positioned line, and good input gets defaults.
import { readFileSync } from "node:fs";
import { expectTypeOf } from "vitest";
import { loadConfig } from "../environments/load.ts";
import type { Config, EnvironmentConfig } from "../environments/schema.ts";
import { configProblems, DEV_YAML, envDir, lines, SHARED_YAML } from "./helpers.ts";

/** The environment files: shared.yaml and dev.yaml with these contents. */
const files = (dev: string | Buffer, shared = SHARED_YAML) => ({ "shared.yaml": shared, "dev.yaml": dev });
const tabbed = readFileSync("environments/dev.yaml", "utf8").replace(
  "  cidr: 10.10.0.0/16",
  "\tcidr: 10.10.0.0/16",
);
const bomb = [
  "a: &a [x, x, x, x, x, x, x, x, x]",
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
].join("\n");

describe("loading valid environment files", () => {
  it("applies schema defaults and resolves the region from shared.yaml", () => {
    const config = loadConfig(envDir(files(DEV_YAML)));
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
    const config = loadConfig(envDir(files(DEV_YAML.replace("protected: false\n", ""))));
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
  it.each<[string, Record<string, string | Buffer>, (string | RegExp)[]]>([
    [
      "points at an unclosed [ rather than the line after it",
      files("name: dev\naccount: [\nprotected: false\n"),
      [
        'dev.yaml:2:10 this "[" is never closed: end the list with "]" on the same line, or write one item per line',
      ],
    ],
    [
      "points at an unclosed { inside a nested mapping",
      files(`${DEV_YAML}network:\n  nat: { mode: single\n  azCount: 2\n`),
      [/^dev\.yaml:6:8 this "\{" is never closed: end the mapping with "\}"/],
    ],
    [
      "names a duplicated key and the line of its first occurrence",
      files(`${DEV_YAML}name: dev\n`),
      ["dev.yaml:5:1 name: is given twice in this mapping; the first is on line 1"],
    ],
    [
      "reports every duplicated key, each with its key path",
      files(`${DEV_YAML}network:\n  cidr: 10.0.0.0/16\n  azCount: 2\n  cidr: 10.1.0.0/16\nprotected: true\n`),
      [
        "dev.yaml:8:3 network.cidr: is given twice in this mapping; the first is on line 6",
        "dev.yaml:9:1 protected: is given twice in this mapping; the first is on line 4",
      ],
    ],
    [
      "refuses tabs used for indentation with one line, not the errors that follow from it",
      files(tabbed),
      ["dev.yaml:10:1 Tabs are not allowed as indentation"],
    ],
    ["refuses an empty file", files(""), ["dev.yaml:1:1 is empty; expected a mapping of keys"]],
    [
      "refuses a comment-only file",
      files("# nothing here yet\n"),
      ["dev.yaml:1:1 is empty; expected a mapping of keys"],
    ],
    [
      "refuses a folder without shared.yaml",
      { "dev.yaml": DEV_YAML },
      [/shared\.yaml file not found: every environments folder needs one$/],
    ],
    [
      "refuses a folder without environment files",
      { "shared.yaml": SHARED_YAML },
      [/no environment files \(<env>\.yaml\) found$/],
    ],
    [
      "reports a wrong type at the value's position",
      files(DEV_YAML.replace("protected: false", "protected: maybe")),
      ['dev.yaml:4:12 protected: expected boolean, got string "maybe"'],
    ],
    [
      "reports a number out of range with the allowed bound",
      files(DEV_YAML, `${SHARED_YAML}  noncurrentVersionDays: 0\n`),
      ["shared.yaml:8:26 state.noncurrentVersionDays: 0 is out of range: must be at least 1"],
    ],
    [
      "suggests the closest key for an unknown key",
      files(DEV_YAML.replace("protected:", "protectd:")),
      ['dev.yaml:4:1 protectd: unknown key; did you mean "protected"?'],
    ],
    [
      "lists the allowed keys for an unknown key that resembles none",
      files(`${DEV_YAML}colour: blue\n`),
      [/^dev\.yaml:5:1 colour: unknown key; allowed: name, account, region, protected/],
    ],
    [
      "finds unknown keys in nested mappings",
      files(DEV_YAML.replace('  id: "', '  idd: "')),
      ["dev.yaml:3:3 account.id: is required", 'dev.yaml:3:3 account.idd: unknown key; did you mean "id"?'],
    ],
    [
      "refuses an account id that is not 12 digits",
      files(DEV_YAML.replace('"222222222222"', '"2222"')),
      ['dev.yaml:3:7 account.id: "2222" is not a 12-digit AWS account id'],
    ],
    [
      "explains that an unquoted account id loses leading zeros",
      files(DEV_YAML.replace('"222222222222"', "022222222222")),
      [/^dev\.yaml:3:7 account\.id: .*quotes/],
    ],
    [
      "refuses a region that does not exist",
      files(`${DEV_YAML}region: eu-westeros-1\n`),
      ['dev.yaml:5:9 region: "eu-westeros-1" is not an AWS region (for example eu-west-1, us-east-1)'],
    ],
    [
      "requires the file name to equal the environment name",
      { ...files(DEV_YAML, SHARED_YAML.replace("[dev]", "[dev, qa]")), "qa.yaml": DEV_YAML },
      ['qa.yaml:1:7 name: "dev" must equal the file name "qa"'],
    ],
    [
      "requires every environment file to be listed in shared.yaml",
      { ...files(DEV_YAML), "qa.yaml": DEV_YAML.replace("dev", "qa") },
      ['qa.yaml:1:7 name: "qa" is not listed under environments in shared.yaml (dev)'],
    ],
    [
      "requires every listed environment to have a file",
      files(DEV_YAML, SHARED_YAML.replace("[dev]", "[dev, prod]")),
      ['shared.yaml:5:21 environments.1: "prod" has no file prod.yaml beside shared.yaml'],
    ],
    [
      "refuses an environment listed twice",
      files(DEV_YAML, SHARED_YAML.replace("[dev]", "[dev, dev]")),
      ['shared.yaml:5:21 environments.1: "dev" is listed twice'],
    ],
    [
      "refuses an unprotected environment promoted after a protected one",
      {
        ...files(DEV_YAML, SHARED_YAML.replace("[dev]", "[prod, dev]")),
        "prod.yaml":
          DEV_YAML.replace("name: dev", "name: prod").replace("protected: false\n", "") +
          "network: { cidr: 10.1.0.0/16 }\n",
      },
      [/^dev\.yaml:4:12 protected: "dev" is unprotected but comes after/],
    ],
    [
      "refuses an alias bomb",
      files(`${DEV_YAML}${bomb}\n`),
      [/^dev\.yaml:6:\d+ aliases expand to too many nodes .*alias bomb/],
    ],
    [
      "refuses a file that is not text",
      files(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2])),
      ["dev.yaml:1:1 is not a UTF-8 text file"],
    ],
    [
      "reports every problem of every file at once",
      files(DEV_YAML.replace("protected: false", "protected: 3"), SHARED_YAML.replace("eu-west-1", "mars-1")),
      [/^dev\.yaml:4:12 protected:/, /^shared\.yaml:2:9 region:/],
    ],
  ])("%s", (_, environmentFiles, expected) => {
    expect(configProblems(environmentFiles)).toEqual(lines(...expected));
  });

  it("refuses a missing folder", () => {
    expect(() => loadConfig("/nonexistent/environments")).toThrow(/is not a folder of environment files/);
  });
});
