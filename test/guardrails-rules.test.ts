// The synthesis-time guardrails: each rule fails on the mistake it exists for and passes the safe form.
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbInstance, type DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketPublicAccessBlock,
  type S3BucketPublicAccessBlockConfig,
} from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { SecurityGroup, type SecurityGroupIngress } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack } from "cdktf";
import { applyGuardrails, synthCollectingErrors } from "../guardrails/data-safety.ts";
import { bucketPublicAccess } from "../guardrails/rules/bucket-public-access.ts";
import { dataStores } from "../guardrails/rules/data-stores.ts";
import { deletionProtection } from "../guardrails/rules/deletion-protection.ts";
import { iamAdmin } from "../guardrails/rules/iam-admin.ts";
import { openIngress } from "../guardrails/rules/open-ingress.ts";
import { replacementNames } from "../guardrails/rules/replacement-names.ts";
import type { Rule } from "../guardrails/rules/rule.ts";
import { blocksOf } from "../guardrails/view.ts";
import { testApp, testStack } from "./helpers.ts";

/** What a case builds in its fresh stack. */
type Build = (stack: TerraformStack) => unknown;
/** A case of one rule: what it is, what it builds, and the findings (`checkId address`) the rule must report. */
type Case = [what: string, build: Build, expected: string[]];

/** `checkId address` of each finding of `rule` in a fresh stack holding what `build` adds. */
function findings(rule: Rule, build: Build, isProtected = true): string[] {
  const stack = testStack();
  build(stack);
  return rule({ stackId: "test", blocks: blocksOf(stack), protected: isProtected }).map(
    (f) => `${f.checkId} ${f.block.address}`,
  );
}

/** One test per case: `rule` reports exactly the case's findings. */
const itFinds = (rule: Rule, cases: Case[]) =>
  it.each(cases)("%s", (_, build, expected) => expect(findings(rule, build)).toEqual(expected));

const WORLD_HTTPS = { fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] };
const WORLD_SSH = { fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] };

/** A PostgreSQL instance "Db" with what the case names on top of its class and engine. */
const postgres = (stack: TerraformStack, props: Partial<DbInstanceConfig> = {}) =>
  new DbInstance(stack, "Db", { instanceClass: "db.t4g.micro", engine: "postgres", ...props });

/** A bucket "Logs" with a public access block that sets these flags. */
function bucketWithAccessBlock(stack: TerraformStack, flags: Partial<S3BucketPublicAccessBlockConfig>) {
  const b = new S3Bucket(stack, "Logs", { bucket: "logs" });
  new S3BucketPublicAccessBlock(stack, "Pab", { bucket: b.id, ...flags });
}
const BLOCK_ALL_BUT_RESTRICT = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
} as const;

/** A load balancer using a security group "Alb" to which `rules` add ingress. */
function loadBalancerGroup(
  stack: TerraformStack,
  inline: SecurityGroupIngress[],
  rules: (sg: string) => void,
) {
  const sg = new SecurityGroup(stack, "Alb", { ingress: inline });
  rules(sg.id);
  new Lb(stack, "Lb", { securityGroups: [sg.id] });
}

const ADMIN = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

describe("open ingress (CKV_AWS_24/25/260/277)", () => {
  itFinds(openIngress, [
    [
      "fails an inline ingress open to 0.0.0.0/0 on port 22 as CKV_AWS_24",
      (s) => new SecurityGroup(s, "Ssh", { ingress: [WORLD_SSH] }),
      ["CKV_AWS_24 aws_security_group.Ssh"],
    ],
    [
      "fails a separate ingress rule open to ::/0 on every port as CKV_AWS_277",
      (s) =>
        new SecurityGroupRule(s, "All", {
          type: "ingress",
          securityGroupId: new SecurityGroup(s, "App", {}).id,
          fromPort: 0,
          toPort: 0,
          protocol: "-1",
          ipv6CidrBlocks: ["::/0"],
        }),
      ["CKV_AWS_277 aws_security_group_rule.All"],
    ],
    [
      "fails 443 from the world on a group no load balancer uses",
      (s) => new SecurityGroup(s, "Tasks", { ingress: [WORLD_HTTPS] }),
      ["GUARD_OPEN_INGRESS aws_security_group.Tasks"],
    ],
    [
      // A load balancer whose group opens 443 inline, 80 by rule and 443 by VPC rule.
      "passes 80 and 443 from the world on a load balancer's group, in any of the three ingress forms",
      (s) =>
        loadBalancerGroup(s, [WORLD_HTTPS], (sg) => {
          new SecurityGroupRule(s, "Http", {
            type: "ingress",
            securityGroupId: sg,
            ...WORLD_HTTPS,
            fromPort: 80,
            toPort: 80,
          });
          new VpcSecurityGroupIngressRule(s, "Https6", {
            securityGroupId: sg,
            fromPort: 443,
            toPort: 443,
            ipProtocol: "tcp",
            cidrIpv6: "::/0",
          });
        }),
      [],
    ],
    [
      "fails a load balancer's group open to the world on another port",
      (s) =>
        loadBalancerGroup(s, [], (sg) => {
          new VpcSecurityGroupIngressRule(s, "Admin", {
            securityGroupId: sg,
            fromPort: 8080,
            toPort: 8080,
            ipProtocol: "tcp",
            cidrIpv4: "0.0.0.0/0",
          });
        }),
      ["GUARD_OPEN_INGRESS aws_vpc_security_group_ingress_rule.Admin"],
    ],
  ]);
});

describe("data stores (CKV_AWS_16/17/29/30/96)", () => {
  itFinds(dataStores, [
    [
      "fails a publicly accessible, unencrypted database",
      (s) => postgres(s, { publiclyAccessible: true }),
      ["CKV_AWS_17 aws_db_instance.Db", "CKV_AWS_16 aws_db_instance.Db"],
    ],
    [
      "fails an unencrypted Aurora cluster and a cache without at-rest and transit encryption",
      (s) => {
        new RdsCluster(s, "Aurora", { engine: "aurora-postgresql" });
        new ElasticacheReplicationGroup(s, "Cache", { replicationGroupId: "c", description: "c" });
      },
      [
        "CKV_AWS_96 aws_rds_cluster.Aurora",
        "CKV_AWS_29 aws_elasticache_replication_group.Cache",
        "CKV_AWS_30 aws_elasticache_replication_group.Cache",
      ],
    ],
    [
      "passes private, encrypted stores",
      (s) => {
        postgres(s, { storageEncrypted: true });
        new RdsCluster(s, "Aurora", { engine: "aurora-postgresql", storageEncrypted: true });
        new ElasticacheReplicationGroup(s, "Cache", {
          replicationGroupId: "c",
          description: "c",
          atRestEncryptionEnabled: "true",
          transitEncryptionEnabled: true,
        });
      },
      [],
    ],
  ]);
});

describe("bucket public access block (CKV2_AWS_6)", () => {
  itFinds(bucketPublicAccess, [
    [
      "fails a bucket without a public access block in its stack",
      (s) => new S3Bucket(s, "Logs", { bucket: "logs" }),
      ["CKV2_AWS_6 aws_s3_bucket.Logs"],
    ],
    [
      "fails a bucket whose access block leaves a setting off",
      (s) => bucketWithAccessBlock(s, BLOCK_ALL_BUT_RESTRICT),
      ["CKV2_AWS_6 aws_s3_bucket.Logs"],
    ],
    [
      "passes a bucket whose access block blocks everything",
      (s) => bucketWithAccessBlock(s, { ...BLOCK_ALL_BUT_RESTRICT, restrictPublicBuckets: true }),
      [],
    ],
  ]);
});

describe("IAM * on * (CKV_AWS_62, CKV_AWS_1)", () => {
  itFinds(iamAdmin, [
    [
      "fails */* in a managed policy, a role's inline policy and a policy document",
      (s) => {
        new IamPolicy(s, "Admin", { policy: ADMIN });
        new IamRole(s, "Role", { assumeRolePolicy: "{}", inlinePolicy: [{ name: "all", policy: ADMIN }] });
        new DataAwsIamPolicyDocument(s, "Doc", { statement: [{ actions: ["*"], resources: ["*"] }] });
      },
      [
        "CKV_AWS_62 aws_iam_policy.Admin",
        "CKV_AWS_62 aws_iam_role.Role",
        "CKV_AWS_1 data.aws_iam_policy_document.Doc",
      ],
    ],
    [
      "passes scoped statements, service wildcards and denies",
      (s) =>
        new IamPolicy(s, "Scoped", {
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "kms:*", Resource: "*" },
              { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::bucket/*" },
              { Effect: "Deny", Action: "*", Resource: "*" },
            ],
          }),
        }),
      [],
    ],
  ]);
});

describe("deletion protection in a protected environment (CKV_AWS_293, prevent_destroy)", () => {
  itFinds(deletionProtection, [
    [
      "fails a database without deletion protection, prevent_destroy and a final snapshot",
      (s) => postgres(s, { storageEncrypted: true, skipFinalSnapshot: true }),
      [
        "GUARD_PREVENT_DESTROY aws_db_instance.Db",
        "CKV_AWS_293 aws_db_instance.Db",
        "GUARD_FINAL_SNAPSHOT aws_db_instance.Db",
      ],
    ],
    [
      "passes a guarded database and table",
      (s) => {
        postgres(s, {
          storageEncrypted: true,
          deletionProtection: true,
          lifecycle: { preventDestroy: true },
        });
        new DynamodbTable(s, "Table", {
          name: "t",
          hashKey: "k",
          deletionProtectionEnabled: true,
          lifecycle: { preventDestroy: true },
        });
      },
      [],
    ],
  ]);

  it("passes an unguarded database in an environment that is not protected", () => {
    expect(findings(deletionProtection, (s) => postgres(s, { storageEncrypted: true }), false)).toEqual([]);
  });
});

describe("replacement names (GUARD_REPLACEMENT_NAME)", () => {
  const lifecycle = { createBeforeDestroy: true };
  itFinds(replacementNames, [
    [
      "fails a create_before_destroy security group with a fixed name",
      (s) => new SecurityGroup(s, "Tasks", { name: "shop-prod-web-tasks", lifecycle }),
      ["GUARD_REPLACEMENT_NAME aws_security_group.Tasks"],
    ],
    [
      "passes name_prefix, and a fixed name without create_before_destroy",
      (s) => {
        new SecurityGroup(s, "Prefixed", { namePrefix: "shop-", lifecycle });
        new SecurityGroup(s, "Plain", { name: "shop-plain" });
      },
      [],
    ],
    [
      "passes a parameter group without name_prefix only when its name carries the family",
      (s) => {
        new ElasticacheParameterGroup(s, "Aware", { name: "shop-cache-redis7", family: "redis7", lifecycle });
        new ElasticacheParameterGroup(s, "Fixed", { name: "shop-cache", family: "redis7", lifecycle });
      },
      ["GUARD_REPLACEMENT_NAME aws_elasticache_parameter_group.Fixed"],
    ],
  ]);
});

describe("the guardrail Aspect at synthesis", () => {
  it("reports one line per finding across every stack and writes none of the failing stacks", () => {
    // GIVEN two stacks, each with one mistake, and one clean stack
    const app = testApp();
    const { outdir } = app;
    for (const id of ["one", "two"]) {
      const s = new TerraformStack(app, id);
      new AwsProvider(s, "aws", { region: "eu-west-1" });
      new SecurityGroup(s, "Ssh", { ingress: [WORLD_SSH] });
    }
    new AwsProvider(new TerraformStack(app, "clean"), "aws", { region: "eu-west-1" });
    applyGuardrails(app);
    // WHEN synthesizing
    const lines = synthCollectingErrors(app);
    // THEN each finding is one line naming the construct, the Checkov id and the address
    expect(lines).toEqual([
      expect.stringMatching(
        /^one\/Ssh: CKV_AWS_24 aws_security_group\.Ssh: ingress from 0\.0\.0\.0\/0 to port 22/,
      ),
      expect.stringMatching(/^two\/Ssh: CKV_AWS_24 aws_security_group\.Ssh: /),
    ]);
    expect(
      readdirSync(join(outdir, "stacks")).filter((s) => existsSync(join(outdir, "stacks", s, "cdk.tf.json"))),
    ).toEqual(["clean"]);
  });
});
