// The credentials model: Terraform runs as the shared account (where the state lives) and assumes a role in every
// other account it writes to.
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { build, configProblems, DEV_YAML, SHARED_YAML, sampleConfig, stackOf, synthJson } from "./helpers.ts";

const ROLE = "arn:aws:iam::111111111111:role/shop-dns";

/** The providers of a synthesized stack, by alias ("" for the default one). */
function providers(stackId: string, config = sampleConfig()): Record<string, Record<string, unknown>> {
  const json = synthJson(stackOf(build(config), stackId));
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

  it("has every sample environment in another account assume its role", () => {
    const { shared, environments } = sampleConfig();
    for (const e of environments.filter((x) => x.account.id !== shared.account.id))
      expect(providers(`${e.name}-network`)[""]).toMatchObject({
        allowed_account_ids: [e.account.id],
        assume_role: [{ role_arn: e.account.roleArn }],
      });
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

  it("refuses a dns.roleArn outside the zone's account", () => {
    const shared = `${SHARED_YAML}dns:\n  zoneName: shop.example.com\n  roleArn: arn:aws:iam::999999999999:role/dns\n`;
    expect(configProblems({ "shared.yaml": shared, "dev.yaml": DEV_YAML })).toEqual([
      expect.stringMatching(
        /^shared\.yaml:\d+:12 dns\.roleArn: the role is in account 999999999999, but the hosted zone is in account 222222222222$/,
      ),
    ]);
  });
});
