// An ACM certificate validated through DNS records in a Route 53 hosted zone.
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformIterator, Token, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";

export interface CertificateProps {
  readonly domainName: string;
  /** More names on the same certificate. @default - none */
  readonly alternativeNames?: readonly string[];
  /** Hosted zone that holds the validation records. */
  readonly zoneId: string;
  /**
   * Provider that can write to the hosted zone, when the zone lives in another account than the certificate.
   * @default - the stack's default provider
   */
  readonly dnsProvider?: TerraformProvider;
  /**
   * Request the certificate in this region through the per-resource `region` argument (CloudFront takes only
   * us-east-1 certificates). @default - the provider's region
   */
  readonly region?: string;
}

/** A DNS-validated certificate; `arn` is only usable once validation has finished (Terraform waits for it). */
export class Certificate extends Construct {
  public readonly resource: AcmCertificate;
  /** The ARN of the validated certificate: listeners that use it wait for validation. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const alternativeNames = props.alternativeNames ?? [];
    const placement = props.region ? { region: props.region } : {};
    this.resource = new AcmCertificate(this, "Resource", {
      domainName: props.domainName,
      ...(alternativeNames.length ? { subjectAlternativeNames: [...alternativeNames] } : {}),
      validationMethod: "DNS",
      keyAlgorithm: "EC_prime256v1",
      // A renamed certificate must exist before the listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
      ...placement,
    });
    // One record per name, keyed on the names themselves: they are known at plan time, while the certificate's
    // domain_validation_options is a set that `tolist()` makes a list of unknown length when there are two or more
    // names ("Invalid for_each argument"). Each record reads its name's option by domain name.
    const names = [props.domainName, ...alternativeNames];
    const byName = TerraformIterator.fromMap(Object.fromEntries(names.map((n) => [n, n])));
    const option = (attribute: string): string =>
      `\${{ for o in ${this.resource.fqn}.domain_validation_options : o.domain_name => o }[each.key].${attribute}}`;
    const records = new Route53Record(this, "ValidationRecord", {
      forEach: byName,
      zoneId: props.zoneId,
      name: option("resource_record_name"),
      type: option("resource_record_type"),
      records: [option("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
      ...(props.dnsProvider ? { provider: props.dnsProvider } : {}),
    });
    const validation = new AcmCertificateValidation(this, "Validation", {
      certificateArn: this.resource.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty("fqdn")),
      ...placement,
    });
    this.arn = validation.certificateArn;
  }
}
