// Mistakes that only show across environments (overlapping VPCs, one DNS name twice) and production's guards:
// errors through the loader, warnings through `npm run validate` and synthesis.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../environments/load.ts";
import { synthesizeInto } from "../stacks/synthesize.ts";
import { configProblems, DEV_YAML, envDir, SHARED_YAML } from "./helpers.ts";

const SHARED = `${SHARED_YAML.replace("[dev]", "[dev, prod]")}dns:
  zoneName: shop.example.com
`;
/**
 * A protected prod.yaml in account 333333333333, which Terraform reaches through its role (README: Credentials);
 * `protected:` is on line 4.
 */
const PROD_YAML = DEV_YAML.replace("name: dev", "name: prod")
  .replace(
    'id: "222222222222"',
    '{ id: "333333333333", roleArn: "arn:aws:iam::333333333333:role/shop-terraform" }',
  )
  .replace("protected: false", "protected: true");

const network = (cidr: string) => `network:\n  cidr: ${cidr}\n`;
const service = (domain: string, aliases = "[]") =>
  `service:\n  container:\n    image:\n      image: public.ecr.aws/nginx/nginx:stable\n  domain:\n    name: ${domain}\n    aliases: ${aliases}\n`;

/** dev.yaml and prod.yaml with these sections; distinct VPC ranges unless a section gives its own network. */
function files(dev: string, prod: string): Record<string, string> {
  const net = (text: string, cidr: string) => (text.startsWith("network:") ? text : network(cidr) + text);
  return {
    "shared.yaml": SHARED,
    "dev.yaml": DEV_YAML + net(dev, "10.10.0.0/16"),
    "prod.yaml": PROD_YAML + net(prod, "10.30.0.0/16"),
  };
}

/** The formatted warnings of a folder that loads. */
function warningsOf(f: Record<string, string>): string[] {
  return (loadConfig(envDir(f)).warnings ?? []).map(
    (w) => `${w.file.replace(/^.*envs-[^/]+\//, "")}:${w.line}:${w.col} ${w.path.join(".")}: ${w.message}`,
  );
}

describe("VPC ranges across environments", () => {
  it("refuses two environments in the same account whose VPCs overlap", () => {
    const prod = PROD_YAML.replaceAll("333333333333", "222222222222");
    expect(
      configProblems({ ...files(network("10.0.0.0/16"), ""), "prod.yaml": prod + network("10.0.128.0/17") }),
    ).toEqual([
      "prod.yaml:6:9 network.cidr: 10.0.128.0/17 overlaps dev's 10.0.0.0/16 in the same account 222222222222: peering, transit gateways and endpoints need distinct ranges; give each environment its own block",
    ]);
  });

  it("refuses the default range in two environments of one account, reported where the section sits", () => {
    const prod = PROD_YAML.replaceAll("333333333333", "222222222222");
    expect(configProblems({ ...files(network("10.0.0.0/16"), ""), "prod.yaml": prod })).toEqual([
      expect.stringMatching(
        /^prod\.yaml:1:1 network\.cidr: 10\.0\.0\.0\/16 overlaps dev's 10\.0\.0\.0\/16 in the same account/,
      ),
    ]);
  });

  it("warns, and still loads, when VPCs of different accounts overlap", () => {
    expect(warningsOf(files(network("10.0.0.0/16"), network("10.0.0.0/16")))).toEqual([
      "prod.yaml:6:9 network.cidr: 10.0.0.0/16 overlaps dev's 10.0.0.0/16 (account 222222222222): the two VPCs can never be peered or joined by a transit gateway without renumbering one",
    ]);
  });

  it("says nothing about distinct ranges", () => {
    expect(warningsOf(files(network("10.10.0.0/16"), network("10.30.0.0/16")))).toEqual([]);
  });
});

describe("DNS names across environments", () => {
  it("refuses a domain that another environment already uses", () => {
    expect(
      configProblems(
        files(service("shop.example.com"), service("www.shop.example.com", "[shop.example.com]")),
      ),
    ).toEqual([
      `prod.yaml:13:15 service.domain.aliases.0: "shop.example.com" is already dev's service.domain.name: both would write the same DNS record and certificate name; use another name`,
    ]);
  });

  it("refuses an alias that repeats the environment's own domain name", () => {
    expect(configProblems(files(service("dev.shop.example.com", "[dev.shop.example.com]"), ""))).toEqual([
      'dev.yaml:13:15 service.domain.aliases.0: "dev.shop.example.com" is already service.domain.name: both would write the same DNS record and certificate name; use another name',
    ]);
  });
});

describe("production's guards", () => {
  it("warns on every load that an unprotected production can be destroyed with its data", () => {
    expect(
      warningsOf({ ...files("", ""), "prod.yaml": PROD_YAML.replace("protected: true", "protected: false") }),
    ).toEqual([
      `prod.yaml:4:12 protected: production environment "prod" (last in shared.yaml's environments) is unprotected: a destroy or a replacing change now deletes its databases and caches without a final snapshot, and its DynamoDB tables, KMS keys and S3 buckets with their contents (no deletion protection, no prevent_destroy)`,
    ]);
  });

  it("warns that production's load balancer can be deleted when its deletion protection is off", () => {
    const prod = `${network("10.30.0.0/16")}${service("shop.example.com")}  loadBalancer:\n    deletionProtection: false\n`;
    expect(warningsOf(files("", prod))).toEqual([
      expect.stringMatching(
        /^prod\.yaml:15:25 service\.loadBalancer\.deletionProtection: production environment "prod" .* lets its load balancer be deleted: a destroy or a replacing change takes the site offline/,
      ),
    ]);
  });

  it("does not warn about an unprotected environment before production", () => {
    expect(warningsOf(files("", ""))).toEqual([]);
  });
});

describe("configuration warnings reach the person running the commands", () => {
  const folder = () =>
    envDir({ ...files("", ""), "prod.yaml": PROD_YAML.replace("protected: true", "protected: false") });

  it("npm run validate prints each warning with its position and still exits 0", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/validate.ts"], {
      env: { ...process.env, ENVIRONMENTS_DIR: folder() },
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: .*prod\.yaml:4:12 protected: production environment "prod" .* is unprotected: /m,
    );
    expect(r.stdout).toMatch(/: ok: project shop/);
  });

  it("synthesis prints the warning with the environment's first stack and writes every stack", () => {
    const lines: string[] = [];
    const outdir = join(mkdtempSync(join(tmpdir(), "out-")), "cdktf.out");
    synthesizeInto(loadConfig(folder()), outdir, (l) => lines.push(l));
    expect(lines).toEqual([
      expect.stringMatching(/^prod-network: .*prod\.yaml:4:12 protected: production environment "prod"/),
    ]);
    expect(readdirSync(join(outdir, "stacks"))).toEqual(
      expect.arrayContaining(["bootstrap", "shared", "dev-network", "prod-network"]),
    );
  });
});
