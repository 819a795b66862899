// A CloudFront VPC origin for an internal load balancer, replaced (never updated) when its settings change.
import { CloudfrontVpcOrigin } from "@cdktf/provider-aws/lib/cloudfront-vpc-origin";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";
import { ReplacementTrigger } from "../core/replacement-trigger.ts";

export interface VpcOriginProps {
  /** Start of the name; a hash of the settings follows it (≤ 55 characters, so the name stays ≤ 64). */
  readonly namePrefix: string;
  /** ARN of the internal load balancer. */
  readonly loadBalancerArn: string;
  /** HTTPS when the load balancer has a certificate for the origin's domain name, else HTTP inside the VPC. */
  readonly protocol: "https" | "http";
}

const MAX_PREFIX = 55;
const HASH_LENGTH = 8;

/**
 * AWS refuses to update or delete a VPC origin that a distribution uses (409 CannotUpdateEntityWhileInUse,
 * CannotDeleteEntityWhileInUse). So any change of settings replaces it, new before old: the new one gets a name
 * that contains a hash of its settings, the distribution moves to it, and only then is the old one deleted.
 */
export class VpcOrigin extends Construct {
  public readonly resource: CloudfrontVpcOrigin;
  public readonly id: string;
  public readonly arn: string;
  /** The name, `<prefix>-<hash of the settings>`; known once the load balancer's ARN is. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: VpcOriginProps) {
    super(scope, id);
    if (props.namePrefix.length > MAX_PREFIX)
      throw new ModuleError(this, `namePrefix "${props.namePrefix}" is longer than ${MAX_PREFIX} characters`);
    const settings = {
      arn: props.loadBalancerArn,
      httpPort: 80,
      httpsPort: 443,
      originProtocolPolicy: `${props.protocol}-only`,
      originSslProtocols: ["TLSv1.2"],
    };
    this.name = `${props.namePrefix}-${Fn.substr(Fn.sha1(Fn.jsonencode(settings)), 0, HASH_LENGTH)}`;
    // The provider updates a changed endpoint config in place, which AWS refuses while the origin is in use:
    // replacing this record replaces the origin instead.
    const trigger = new ReplacementTrigger(this, "Settings", { name: this.name });
    this.resource = new CloudfrontVpcOrigin(this, "Resource", {
      vpcOriginEndpointConfig: [
        {
          name: this.name,
          arn: settings.arn,
          httpPort: settings.httpPort,
          httpsPort: settings.httpsPort,
          originProtocolPolicy: settings.originProtocolPolicy,
          originSslProtocols: [{ items: settings.originSslProtocols, quantity: 1 }],
        },
      ],
      lifecycle: { createBeforeDestroy: true },
    });
    // Terraform's JSON syntax wants a bare address here; cdktf would write "${...}", which init refuses.
    this.resource.addOverride("lifecycle.replace_triggered_by", [
      `${trigger.terraformResourceType}.${trigger.friendlyUniqueId}`,
    ]);
    this.id = this.resource.id;
    this.arn = this.resource.arn;
  }
}
