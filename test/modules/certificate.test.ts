// modules/certificate: an ACM certificate validated through DNS records in a Route 53 zone.
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Certificate, type CertificateProps } from "../../modules/certificate/certificate.ts";
import { onlyResource, synthJson, testStack } from "../helpers.ts";

const MINIMAL: CertificateProps = { domainName: "shop.example.com", zoneId: "Z0HOSTEDZONE" };

function certificate(
  props: Partial<CertificateProps> = {},
  build?: (stack: ReturnType<typeof testStack>) => Partial<CertificateProps>,
) {
  const stack = testStack();
  new Certificate(stack, "Certificate", { ...MINIMAL, ...props, ...build?.(stack) });
  return synthJson(stack);
}

describe("Certificate", () => {
  it("is validated by DNS with an EC key, replaced before it is destroyed, and names no alternative by default", () => {
    // GIVEN / WHEN a certificate with minimal props
    const cert = onlyResource(certificate(), AcmCertificate.tfResourceType);
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
    const json = certificate({ alternativeNames: ["www.shop.example.com"] });
    expect(onlyResource(json, AcmCertificate.tfResourceType).subject_alternative_names).toEqual([
      "www.shop.example.com",
    ]);
    const record = onlyResource(json, Route53Record.tfResourceType);
    expect(record).toMatchObject({ zone_id: "Z0HOSTEDZONE", ttl: 60, allow_overwrite: true });
    // One record per name, keyed by the names (known at plan time), so adding a name never renumbers the others.
    expect(record.for_each).toEqual({
      "shop.example.com": "shop.example.com",
      "www.shop.example.com": "www.shop.example.com",
    });
    expect(
      String(onlyResource(json, AcmCertificateValidation.tfResourceType).validation_record_fqdns),
    ).toMatch(/aws_route53_record\.Certificate_ValidationRecord.*fqdn/);
  });

  it("writes the records through the DNS provider when the zone lives in another account", () => {
    const json = certificate({}, (stack) => ({
      dnsProvider: new AwsProvider(stack, "dns", { region: "eu-west-1", alias: "dns" }),
    }));
    expect(onlyResource(json, Route53Record.tfResourceType).provider).toBe("aws.dns");
    expect(onlyResource(json, AcmCertificate.tfResourceType)).not.toHaveProperty("provider");
  });
});
