// The credentials model: Terraform runs as the shared account (where the state lives) and assumes a role in every
// other account it writes to.
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Config } from "../environments/schema.ts";
import {
  build,
  configProblems,
  DEV_YAML,
  SHARED_YAML,
  sampleConfig,
  sampleStack,
  stackOf,
  synthJson,
} from "./helpers.ts";

const ROLE = "arn:aws:iam::111111111111:role/shop-dns";
const PLAN_ROLE = "arn:aws:iam::111111111111:role/shop-dns-plan";

/** The providers of a synthesized stack, by alias ("" for the default one). */
function providers(stackId: string, config?: Config): Record<string, Record<string, unknown>> {
  const json = config ? synthJson(stackOf(build(config), stackId)) : sampleStack(stackId).json;
  const list = (json.provider?.[AwsProvider.tfResourceType] ?? []) as Record<string, unknown>[];
  return Object.fromEntries(list.map((p) => [(p.alias as string | undefined) ?? "", p]));
}

describe("credentials", () => {
  it("refuses an environment in another account than shared.yaml's without account.roleArn", () => {
    // GIVEN dev in account 333333333333 while the shared account is 222222222222, with no role
    const dev = DEV_YAML.replace('"222222222222"', '"333333333333"');
    // THEN one line names the account, the shared one, and the fix
    expect(configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": dev })).toEqual([
      "dev.yaml:3:7 account.id: account 333333333333 is not shared.yaml's account 222222222222, whose credentials run Terraform: set account.roleArn to a role in 333333333333 that the shared account may assume (README: Credentials)",
    ]);
  });

  it("has every sample environment in another account assume its role, and its read-only role in plans", () => {
    const { shared, environments } = sampleConfig();
    for (const e of environments.filter((x) => x.account.id !== shared.account.id))
      expect(providers(`${e.name}-network`)[""]).toMatchObject({
        allowed_account_ids: [e.account.id],
        assume_role: [{ role_arn: `\${var.plan ? "${e.account.planRoleArn}" : "${e.account.roleArn}"}` }],
      });
  });

  it("plans with the deploy role unless TF_VAR_plan says otherwise, and declares var.plan only where it switches", () => {
    const json = synthJson(stackOf(build(), "prod-db"));
    expect(json.variable).toEqual({
      plan: expect.objectContaining({ type: "bool", default: false }),
    });
    const withoutPlanRole = sampleConfig();
    const config = {
      ...withoutPlanRole,
      environments: withoutPlanRole.environments.map((e) => ({
        ...e,
        account: { id: e.account.id, ...(e.account.roleArn ? { roleArn: e.account.roleArn } : {}) },
      })),
    };
    const plain = synthJson(stackOf(build(config), "prod-db"));
    expect(plain.variable).toBeUndefined();
    expect(providers("prod-db", config)[""]?.assume_role).toEqual([
      expect.objectContaining({ role_arn: "arn:aws:iam::333333333333:role/shop-terraform" }),
    ]);
  });

  it.each([
    [
      "a plan role without the deploy role it stands in for",
      "  planRoleArn: arn:aws:iam::222222222222:role/plan\n",
      /^dev\.yaml:4:16 account\.planRoleArn: a plan role stands in for roleArn in plans: set roleArn too, or drop planRoleArn$/,
    ],
    [
      "a role in another account",
      "  roleArn: arn:aws:iam::999999999999:role/deploy\n",
      /^dev\.yaml:4:12 account\.roleArn: the role is in account 999999999999, not in this account \(222222222222\)$/,
    ],
  ])("refuses %s", (_what, line, message) => {
    const dev = DEV_YAML.replace('  id: "222222222222"\n', `  id: "222222222222"\n${line}`);
    expect(configProblems({ "shared.yaml": SHARED_YAML, "dev.yaml": dev })).toEqual([
      expect.stringMatching(message),
    ]);
  });

  it("writes DNS records in the zone's account with the caller's credentials when shared.yaml names no role", () => {
    const dns = providers("dev-ecs").dns!;
    expect(dns.allowed_account_ids).toEqual(["111111111111"]);
    expect(dns.assume_role).toBeUndefined();
  });

  it("has the DNS provider assume dns.roleArn when the zone's account differs from the environment's", () => {
    const sample = sampleConfig();
    const config = { ...sample, shared: { ...sample.shared, dns: { ...sample.shared.dns!, roleArn: ROLE } } };
    expect(providers("prod-ecs", config).dns).toMatchObject({
      allowed_account_ids: ["111111111111"],
      assume_role: [{ role_arn: ROLE }],
    });
  });

  it.each([
    [
      "dns.planRoleArn",
      { roleArn: ROLE, planRoleArn: PLAN_ROLE },
      {},
      `\${var.plan ? "${PLAN_ROLE}" : "${ROLE}"}`,
    ],
    [
      "the shared account's plan role when dns.planRoleArn is unset",
      {},
      { roleArn: "arn:aws:iam::111111111111:role/shop-terraform", planRoleArn: PLAN_ROLE },
      `\${var.plan ? "${PLAN_ROLE}" : "arn:aws:iam::111111111111:role/shop-terraform"}`,
    ],
  ])("has pull-request plans read DNS records through %s, never the DNS role", (_, dns, account, roleArn) => {
    const sample = sampleConfig();
    const config = {
      ...sample,
      shared: {
        ...sample.shared,
        account: { ...sample.shared.account, ...account },
        dns: { ...sample.shared.dns!, ...dns },
      },
    };
    const assumed = (stack: string) => providers(stack, config).dns?.assume_role;
    const role = expect.arrayContaining([expect.objectContaining({ role_arn: roleArn })]);
    expect({ ecs: assumed("prod-ecs"), frontend: assumed("prod-frontend") }).toEqual({
      ecs: role,
      frontend: role,
    });
  });

  it.each([
    [
      "a dns.roleArn outside the zone's account",
      "  roleArn: arn:aws:iam::999999999999:role/dns\n",
      /^shared\.yaml:\d+:12 dns\.roleArn: the role is in account 999999999999, but the hosted zone is in account 222222222222$/,
    ],
    [
      "a dns.planRoleArn outside the zone's account",
      "  roleArn: arn:aws:iam::222222222222:role/dns\n  planRoleArn: arn:aws:iam::999999999999:role/dns-plan\n",
      /^shared\.yaml:\d+:16 dns\.planRoleArn: the role is in account 999999999999, but the hosted zone is in account 222222222222$/,
    ],
    [
      "a dns.planRoleArn without a DNS role it stands in for",
      "  planRoleArn: arn:aws:iam::222222222222:role/dns-plan\n",
      /^shared\.yaml:\d+:16 dns\.planRoleArn: a plan role stands in for the DNS role in plans: set dns\.roleArn \(or account\.roleArn\) too, or drop dns\.planRoleArn$/,
    ],
  ])("refuses %s", (_, lines, message) => {
    const shared = `${SHARED_YAML}dns:\n  zoneName: shop.example.com\n${lines}`;
    expect(configProblems({ "shared.yaml": shared, "dev.yaml": DEV_YAML })).toEqual([
      expect.stringMatching(message),
    ]);
  });
});
