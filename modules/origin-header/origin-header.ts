// A secret request header that proves a request came through our CloudFront distribution: its value generated into
// Secrets Manager, and the load balancer rule that forwards only requests carrying it.
import { DataAwsSecretsmanagerRandomPassword } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Construct } from "constructs";
import { allowCheck } from "../../guardrails/exceptions.ts";

export interface OriginHeaderProps {
  /** Secret name. */
  readonly secretName: string;
  /** KMS key of the secret. */
  readonly kmsKeyArn: string;
  /** The load balancer listener CloudFront reaches; its default action must refuse (403). */
  readonly listenerArn: string;
  /** Where requests with the header go. */
  readonly targetGroupArn: string;
  /** Rule priority on the listener. @default 1 */
  readonly priority?: number;
  /** @default "X-Origin-Verify" */
  readonly headerName?: string;
}

const DEFAULT_HEADER = "X-Origin-Verify";
const DEFAULT_PRIORITY = 1;
/** Long enough to resist guessing, short of CloudFront's 1,783-character header limit. */
const VALUE_LENGTH = 64;

/**
 * The value is a reference everywhere it is used (distribution header, listener rule), never a literal in
 * cdk.tf.json; it does reach the Terraform state, which is encrypted. Rotate with
 * `terraform apply -replace=<version address>`: both users read the new version in the same apply.
 */
export class OriginHeader extends Construct {
  public readonly headerName: string;
  /** The header value (a Terraform reference, sensitive). */
  public readonly value: string;
  public readonly resource: SecretsmanagerSecret;
  public readonly rule: LbListenerRule;

  constructor(scope: Construct, id: string, props: OriginHeaderProps) {
    super(scope, id);
    this.headerName = props.headerName ?? DEFAULT_HEADER;
    const generated = new DataAwsSecretsmanagerRandomPassword(this, "Generated", {
      passwordLength: VALUE_LENGTH,
      excludePunctuation: true,
    });
    this.resource = new SecretsmanagerSecret(this, "Resource", {
      name: props.secretName,
      description: `Value of the ${this.headerName} header CloudFront sends to the load balancer`,
      kmsKeyId: props.kmsKeyArn,
    });
    allowCheck(
      this.resource,
      "CKV2_AWS_57",
      "the value must change in CloudFront and in the listener rule in one apply, which a rotation Lambda cannot do; rotate with terraform apply -replace on the version",
    );
    // The data source draws a new value on every plan; only the first one is stored and used.
    const version = new SecretsmanagerSecretVersion(this, "Value", {
      secretId: this.resource.id,
      secretString: generated.randomPassword,
      lifecycle: { ignoreChanges: ["secret_string"] },
    });
    this.value = version.secretString;
    this.rule = new LbListenerRule(this, "Rule", {
      listenerArn: props.listenerArn,
      priority: props.priority ?? DEFAULT_PRIORITY,
      condition: [{ httpHeader: { httpHeaderName: this.headerName, values: [this.value] } }],
      action: [{ type: "forward", targetGroupArn: props.targetGroupArn }],
    });
  }
}
