// A customer-managed KMS key with rotation, a key policy that delegates to IAM, and optional service grants.
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import {
  accountRoot,
  dnsSuffixOf,
  partitionOf,
  policy,
  policyJson,
  type PolicyStatement,
} from "../core/aws.ts";

/** A service allowed to use the key, e.g. CloudWatch Logs for encrypted log groups. */
export interface KmsServiceGrant {
  /** Service principal, e.g. `logs.eu-west-1.amazonaws.com`. */
  readonly service: string;
  /** @default - encrypt, decrypt, re-encrypt, generate data key, describe */
  readonly actions?: readonly string[];
  /** Narrows the grant, e.g. to one encryption context or source account. */
  readonly condition?: PolicyStatement["Condition"];
}

/**
 * The grant that lets CloudWatch Logs in `region` encrypt log groups of `accountId` with the key: every log group
 * of the account, or only the one named (the encryption context names the group the data is for).
 */
export function cloudWatchLogsGrant(
  region: string,
  accountId: string,
  logGroupName?: string,
): KmsServiceGrant {
  const groups = `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group:${logGroupName ?? "*"}`;
  return {
    service: `logs.${region}.${dnsSuffixOf(region)}`,
    condition: { [logGroupName ? "ArnEquals" : "ArnLike"]: { "kms:EncryptionContext:aws:logs:arn": groups } },
  };
}

export interface KmsKeyProps {
  /** Alias, without the `alias/` prefix. */
  readonly alias: string;
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /** Keep the key on `terraform destroy` (lifecycle prevent_destroy). */
  readonly protect: boolean;
  readonly services?: readonly KmsServiceGrant[];
  /** Further key-policy statements, e.g. other accounts decrypting through one service. @default - none */
  readonly statements?: readonly PolicyStatement[];
  /** Days a scheduled deletion waits. @default 30, the AWS maximum */
  readonly deletionWindowDays?: number;
  /**
   * Create the key in this region through the per-resource `region` argument (e.g. us-east-1 for what CloudFront
   * needs there). @default - the provider's region
   */
  readonly resourceRegion?: string;
}

const DEFAULT_SERVICE_ACTIONS = [
  "kms:Encrypt*",
  "kms:Decrypt*",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:Describe*",
];
const DEFAULT_DELETION_WINDOW_DAYS = 30;

/** A customer-managed key that rotates yearly. Its ARN is `arn`. */
export class KmsKey extends Construct {
  public readonly arn: string;
  public readonly keyId: string;
  public readonly resource: KmsKeyResource;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const deletionWindow = props.deletionWindowDays ?? DEFAULT_DELETION_WINDOW_DAYS;
    const placement = props.resourceRegion ? { region: props.resourceRegion } : {};
    const statements: PolicyStatement[] = [
      {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: accountRoot(props.region, props.accountId) },
        Action: "kms:*",
        Resource: "*",
      },
      ...(props.services ?? []).map((g, i): PolicyStatement => ({
        Sid: `Service${i}`,
        Effect: "Allow",
        Principal: { Service: g.service },
        Action: [...(g.actions ?? DEFAULT_SERVICE_ACTIONS)],
        Resource: "*",
        ...(g.condition ? { Condition: g.condition } : {}),
      })),
      ...(props.statements ?? []),
    ];
    this.resource = new KmsKeyResource(this, "Resource", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindow,
      policy: policyJson(policy(...statements)),
      lifecycle: { preventDestroy: props.protect },
      ...placement,
    });
    new KmsAlias(this, "Alias", {
      name: `alias/${props.alias}`,
      targetKeyId: this.resource.keyId,
      ...placement,
    });
    this.arn = this.resource.arn;
    this.keyId = this.resource.keyId;
  }
}
