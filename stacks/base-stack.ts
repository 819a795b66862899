// The frame every stack stands in: backend, AWS provider, default tags (design rule 5).
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record, type Route53RecordAlias } from "@cdktf/provider-aws/lib/route53-record";
import { Annotations, Aspects, Fn, LocalBackend, S3Backend, TerraformStack, TerraformVariable } from "cdktf";
import { DataSafetyAspect } from "../guardrails/data-safety.ts";
import { allowShortRetention } from "../guardrails/exceptions.ts";
import { takeSynthesized } from "../guardrails/view.ts";
import { Construct } from "constructs";
import { Certificate } from "../modules/certificate/certificate.ts";
import { prepareBlocks, stackJson, type PreparedBlocks } from "./stack-json.ts";
import { partitionOf } from "../modules/core/aws.ts";
import type { NameContext } from "../modules/core/naming.ts";

/** Where a stack keeps its state. */
export type StateLocation =
  | {
      readonly kind: "s3";
      readonly bucket: string;
      readonly region: string;
      readonly roleArn?: string;
    }
  /** Only the bootstrap stack, before its bucket exists: a file in the project root, outside cdktf.out. */
  | { readonly kind: "local" };

/** What the frame needs to know about a stack. */
export interface StackFrameProps {
  readonly project: string;
  /** Environment name, or "shared" for the bootstrap and shared stacks. */
  readonly environment: string;
  readonly region: string;
  readonly account: { readonly id: string; readonly roleArn?: string; readonly planRoleArn?: string };
  /** Extra tags (shared.yaml's, then the environment's), applied through the provider's default_tags. */
  readonly tags: Readonly<Record<string, string>>;
  readonly state: StateLocation;
  /**
   * The environment guards its stateful resources (config `protected`): deletion protection, prevent_destroy and
   * final snapshots, which the guardrail Aspect then requires. Always true for the bootstrap and shared stacks.
   */
  readonly protected: boolean;
}

/** Another account and/or region a stack must reach through a second AWS provider (e.g. the DNS account). */
export interface ProviderTarget {
  readonly account: string;
  readonly region: string;
  /** Role to assume there. @default - the caller's credentials */
  readonly roleArn?: string;
  /** Read-only role assumed instead of `roleArn` when the stack is planned with TF_VAR_plan=true. @default - none */
  readonly planRoleArn?: string;
}

/** The account and region that hold the shared hosted zone. */
export interface DnsAccount {
  readonly id: string;
  readonly region: string;
  /** Role to assume there for the DNS records. @default - the caller's credentials */
  readonly roleArn?: string;
  /** Read-only role assumed instead of `roleArn` in plans (TF_VAR_plan=true). @default - roleArn in plans too */
  readonly planRoleArn?: string;
}

/** A domain's certificate in the shared hosted zone, and what the domain's alias records there need. */
export interface DomainCertificate {
  readonly certificate: Certificate;
  /** The domain's name, then its aliases. */
  readonly names: readonly string[];
  /** The shared hosted zone. */
  readonly zoneId: string;
  /** The provider that writes to the zone, when the zone is in another account. @default - the stack's own */
  readonly dnsProvider?: AwsProvider;
}

/** Where cdktf keeps a construct's custom synthesis (synthesize/synthesizer.ts), which runs after the Aspects. */
const CUSTOM_SYNTHESIS = Symbol.for("cdktf/customSynthesis");

/**
 * True when nothing cdktf runs between the Aspects and the stack's toTerraform() can change a block: the only Aspect
 * on the stack, its children and its ancestors is the guardrail's (which reads blocks and changes none), and no
 * construct has a custom synthesis. (Validations run there too; they check and never change a block.)
 */
function blocksFixedAfterAspects(stack: TerraformStack): boolean {
  const all = [...stack.node.scopes, ...stack.node.findAll()];
  return all.every(
    (n) =>
      Aspects.of(n).all.every((a) => a instanceof DataSafetyAspect) &&
      (n as unknown as Record<symbol, unknown>)[CUSTOM_SYNTHESIS] === undefined,
  );
}

/** Tag that says which tool owns a resource. */
export const MANAGED_BY = "cdktf";

/**
 * A TerraformStack with its backend, its AWS provider (region, allowed account, optional role, default tags) and
 * a naming context. Every stack of the app extends this; none declares a backend or provider of its own.
 */
export class BaseStack extends TerraformStack {
  /** Prefix of every physical name in this stack. */
  public readonly names: NameContext;
  /** Where the stack's resources live: the region, the account and the ARN partition of both. */
  public readonly where: { readonly region: string; readonly accountId: string; readonly partition: string };
  public readonly provider: AwsProvider;
  public readonly frame: StackFrameProps;
  /** Whether this stack guards its stateful resources: the frame's `protected`, the one source of that fact. */
  public readonly protect: boolean;

  constructor(scope: Construct, id: string, frame: StackFrameProps) {
    super(scope, id);
    this.frame = frame;
    this.names = { project: frame.project, environment: frame.environment };
    this.where = { region: frame.region, accountId: frame.account.id, partition: partitionOf(frame.region) };
    this.protect = frame.protected;
    // Every stack carries the synthesis-time guardrails from birth; none can be added without them (design rule 6).
    Aspects.of(this).add(new DataSafetyAspect({ protected: frame.protected }));
    // What the prepare pass and the guardrail Aspect resolved serves only the synthesis they belong to: one that
    // fails must not leave it, to this stack or to the stacks app.synth() has not reached yet, for a later one.
    const synthesizer = this.synthesizer;
    this.synthesizer = {
      synthesize: (session) => {
        this.synthesizing = true;
        try {
          synthesizer.synthesize(session);
        } catch (e) {
          for (const node of this.node.root.node.findAll())
            if (node instanceof BaseStack) node.prepared = undefined;
          throw e;
        } finally {
          this.synthesizing = false;
          this.prepared = undefined;
          takeSynthesized(this);
        }
      },
    };

    if (frame.state.kind === "s3") {
      const backend = new S3Backend(this, {
        bucket: frame.state.bucket,
        key: `${frame.project}/${id}.tfstate`,
        region: frame.state.region,
        encrypt: true,
        ...(frame.state.roleArn ? { assumeRole: { roleArn: frame.state.roleArn } } : {}),
      });
      // S3-native locking (Terraform 1.10+) only: `dynamodb_table` is deprecated and Terraform warns on every run.
      // cdktf 0.21's S3BackendConfig has no typed `useLockfile` yet.
      backend.addOverride("use_lockfile", true);
    } else {
      // Relative to cdktf.out/stacks/<id>, where Terraform runs: the project root, so `rm -rf cdktf.out` cannot
      // lose the only copy of the state before it is migrated into the bucket.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }

    this.provider = this.awsProvider("aws", {
      account: frame.account.id,
      region: frame.region,
      ...(frame.account.roleArn ? { roleArn: frame.account.roleArn } : {}),
      ...(frame.account.planRoleArn ? { planRoleArn: frame.account.planRoleArn } : {}),
    });
  }

  /** The blocks app.synth()'s prepare pass resolved, for this stack's synthesis in the same app.synth(). */
  private prepared?: PreparedBlocks;
  /** True while this stack's synthesizer runs. */
  private synthesizing = false;

  /** cdktf's prepare pass (backend, cross-stack references), keeping the blocks it resolves (stacks/stack-json.ts). */
  override prepareStack(): void {
    this.prepared = prepareBlocks(this);
  }

  /**
   * The synthesized JSON. When nothing since could have changed a block (see blocksFixedAfterAspects): the guardrail
   * Aspect's, resolved moments ago by this synthesis's Aspects, or, inside the synthesizer, built from the blocks
   * of app.synth()'s prepare pass. Otherwise every block is resolved now. A Lazy value must therefore not depend on
   * what the prepare passes of later stacks add (the cross-stack outputs they register here).
   */
  override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    const reviewed = takeSynthesized(this);
    if (!blocksFixedAfterAspects(this)) return stackJson(this);
    return reviewed ?? stackJson(this, this.synthesizing ? this.prepared : undefined);
  }

  /**
   * A second AWS provider, for resources in another account or region, with the frame's default tags. Resources
   * that only need another region set the provider's per-resource `region` argument instead.
   */
  public aliasProvider(alias: string, target: ProviderTarget): AwsProvider {
    return this.awsProvider(alias, target, alias);
  }

  /** A provider for the hosted zone's account, or undefined when the zone is in this stack's own account. */
  protected dnsProvider(dns: DnsAccount | undefined): AwsProvider | undefined {
    if (!dns || dns.id === this.frame.account.id) return undefined;
    return this.aliasProvider("dns", {
      account: dns.id,
      region: dns.region,
      ...(dns.roleArn ? { roleArn: dns.roleArn } : {}),
      ...(dns.planRoleArn ? { planRoleArn: dns.planRoleArn } : {}),
    });
  }

  /**
   * The DNS-validated certificate (child `Certificate`) of `domain` and its aliases, validated in the shared hosted
   * zone through the DNS account's provider when the zone is elsewhere. Undefined without a domain, and without a
   * zone, where an error names `key`, the environment-file key of the domain.
   */
  protected domainCertificate(
    key: string,
    domain: { readonly name: string; readonly aliases: readonly string[] } | undefined,
    zone: { readonly id: string } | undefined,
    dns: DnsAccount | undefined,
    certificateRegion?: string,
  ): DomainCertificate | undefined {
    if (!domain) return undefined;
    if (!zone) {
      Annotations.of(this).addError(
        `${key} is set but the shared stack publishes no hosted zone (shared.yaml dns)`,
      );
      return undefined;
    }
    const dnsProvider = this.dnsProvider(dns);
    const certificate = new Certificate(this, "Certificate", {
      domainName: domain.name,
      alternativeNames: domain.aliases,
      zoneId: zone.id,
      ...(certificateRegion ? { region: certificateRegion } : {}),
      ...(dnsProvider ? { dnsProvider } : {}),
    });
    return {
      certificate,
      names: [domain.name, ...domain.aliases],
      zoneId: zone.id,
      ...(dnsProvider ? { dnsProvider } : {}),
    };
  }

  /**
   * Alias records in the shared zone pointing every name of `site`'s domain at `target`, name by name, one per type:
   * `Aliases/Ipv4Alias<n>` (A) and `Aliases/Ipv6Alias<n>` (AAAA), n counted from 1.
   */
  protected aliasRecords(
    site: DomainCertificate,
    types: readonly ("A" | "AAAA")[],
    target: Route53RecordAlias,
  ): Route53Record[] {
    const aliases = new Construct(this, "Aliases");
    return site.names.flatMap((name, i) =>
      types.map(
        (type) =>
          new Route53Record(aliases, `${type === "A" ? "Ipv4Alias" : "Ipv6Alias"}${i + 1}`, {
            zoneId: site.zoneId,
            name,
            type,
            alias: target,
            ...(site.dnsProvider ? { provider: site.dnsProvider } : {}),
          }),
      ),
    );
  }

  /** The CKV_AWS_338 exception for a log group whose retention `key` (an environment-file key) set below a year. */
  protected shortRetention(group: CloudwatchLogGroup, days: number, key: string): void {
    allowShortRetention(
      group,
      days,
      `retention is ${days} days by ${key} in this environment's file (cost); raise it where audits need a year`,
    );
  }

  private planSwitch?: TerraformVariable;
  /**
   * `var.plan`: true in pull-request plans (TF_VAR_plan=true, which Terraform ignores in stacks without it), so the
   * providers assume the account's read-only plan role. Whoever sets it gets no more than that role may do.
   */
  private planVariable(): TerraformVariable {
    this.planSwitch ??= new TerraformVariable(this, "plan", {
      type: "bool",
      default: false,
      description: "true in pull-request plans: assume the read-only plan role instead of the deploy role",
    });
    return this.planSwitch;
  }

  private awsProvider(id: string, target: ProviderTarget, alias?: string): AwsProvider {
    const session = alias ? `cdktf-${this.node.id}-${alias}` : `cdktf-${this.node.id}`;
    return new AwsProvider(this, id, {
      ...(alias ? { alias } : {}),
      region: target.region,
      allowedAccountIds: [target.account],
      ...(target.roleArn
        ? {
            assumeRole: [
              {
                roleArn: target.planRoleArn
                  ? Fn.conditional(this.planVariable().booleanValue, target.planRoleArn, target.roleArn)
                  : target.roleArn,
                sessionName: session.slice(0, 64),
              },
            ],
          }
        : {}),
      defaultTags: [
        {
          tags: {
            ...this.frame.tags,
            Project: this.frame.project,
            Environment: this.frame.environment,
            Stack: this.node.id,
            ManagedBy: MANAGED_BY,
          },
        },
      ],
    });
  }
}
