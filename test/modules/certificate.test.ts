// modules/certificate: an ACM certificate validated through DNS records in a Route 53 zone.
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Certificate, type CertificateProps } from "../../modules/certificate/certificate.ts";
import { moduleBuilder } from "../helpers.ts";

const MINIMAL: CertificateProps = { domainName: "shop.example.com", zoneId: "Z0HOSTEDZONE" };

const certificate = moduleBuilder((s, p) => new Certificate(s, "Certificate", p), MINIMAL);

it("is validated by DNS with an EC key, replaced before it is destroyed, and names no alternative by default", () => {
  // GIVEN / WHEN a certificate with minimal props
  const cert = certificate().one(AcmCertificate);
  // THEN
  expect(cert).toMatchObject({
    domain_name: "shop.example.com",
    validation_method: "DNS",
    key_algorithm: "EC_prime256v1",
    lifecycle: { create_before_destroy: true },
  });
  expect(cert).not.toHaveProperty("subject_alternative_names");
});

it("writes one validation record per name into the zone and waits for their FQDNs", () => {
  const built = certificate({ alternativeNames: ["www.shop.example.com"] });
  expect(built.one(AcmCertificate).subject_alternative_names).toEqual(["www.shop.example.com"]);
  const record = built.one(Route53Record);
  expect(record).toMatchObject({ zone_id: "Z0HOSTEDZONE", ttl: 60, allow_overwrite: true });
  // One record per name, keyed by the names (known at plan time), so adding a name never renumbers the others.
  expect(record.for_each).toEqual({
    "shop.example.com": "shop.example.com",
    "www.shop.example.com": "www.shop.example.com",
  });
  expect(String(built.one(AcmCertificateValidation).validation_record_fqdns)).toMatch(
    /aws_route53_record\.Certificate_ValidationRecord.*fqdn/,
  );
});

it("writes the records through the DNS provider when the zone lives in another account", () => {
  const built = certificate((stack) => ({
    dnsProvider: new AwsProvider(stack, "dns", { region: "eu-west-1", alias: "dns" }),
  }));
  expect(built.one(Route53Record).provider).toBe("aws.dns");
  expect(built.one(AcmCertificate)).not.toHaveProperty("provider");
});

// The records must be plannable with any number of names: for_each over values known at plan time.
const NAMES = ["shop.example.com", "www.shop.example.com", "api.shop.example.com", "admin.shop.example.com"];
const validationRecord = (alternativeNames: string[]) =>
  certificate({ domainName: NAMES[0]!, alternativeNames }).one(Route53Record);

it("keys the validation records on the names, which are known at plan time, for several aliases", () => {
  // GIVEN a domain with three aliases WHEN synthesized
  const record = validationRecord(NAMES.slice(1));
  // THEN for_each is a literal map of the names, not a list derived from the certificate's computed options
  expect(record.for_each).toEqual(Object.fromEntries(NAMES.map((n) => [n, n])));
  // AND each record reads its own name's option by domain name
  expect(record.name).toMatch(/o\.domain_name => o \}\[each\.key\]\.resource_record_name\}$/);
  expect(record.records).toEqual([expect.stringMatching(/\[each\.key\]\.resource_record_value\}$/)]);
});

it("keeps one record for a certificate without aliases", () => {
  expect(validationRecord([]).for_each).toEqual({ [NAMES[0]!]: NAMES[0] });
});
