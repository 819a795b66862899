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
