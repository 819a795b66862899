// The DNS-validated certificate: its validation records must be plannable with any number of names.
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformStack, Testing } from "cdktf";
import { Certificate } from "../modules/certificate/certificate.ts";
import { onlyResource, synthJson } from "./helpers.ts";

const NAMES = ["shop.example.com", "www.shop.example.com", "api.shop.example.com", "admin.shop.example.com"];

function validationRecords(alternativeNames: readonly string[]): Record<string, unknown> {
  const stack = new TerraformStack(Testing.app(), "certificate");
  new Certificate(stack, "Certificate", { domainName: NAMES[0]!, alternativeNames, zoneId: "Z0ZONE" });
  return onlyResource(synthJson(stack), Route53Record.tfResourceType);
}

describe("Certificate", () => {
  it("keys the validation records on the names, which are known at plan time, for several aliases", () => {
    // GIVEN a domain with three aliases WHEN synthesized
    const record = validationRecords(NAMES.slice(1));
    // THEN for_each is a literal map of the names, not a list derived from the certificate's computed options
    expect(record.for_each).toEqual(Object.fromEntries(NAMES.map((n) => [n, n])));
    // AND each record reads its own name's option by domain name
    expect(record.name).toMatch(/o\.domain_name => o \}\[each\.key\]\.resource_record_name\}$/);
    expect(record.records).toEqual([expect.stringMatching(/\[each\.key\]\.resource_record_value\}$/)]);
  });

  it("keeps one record for a certificate without aliases", () => {
    expect(validationRecords([]).for_each).toEqual({ [NAMES[0]!]: NAMES[0] });
  });
});
