// The synthesis-time guardrails: each rule fails on the mistake it exists for and passes the safe form.
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
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
import type { Rule } from "../guardrails/rules/rule.ts";
import { blocksOf } from "../guardrails/view.ts";
import { testApp } from "./helpers.ts";

function newStack(): TerraformStack {
  const stack = new TerraformStack(testApp(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

/** `checkId address` of each finding of `rule` in `stack`. */
function findings(rule: Rule, stack: TerraformStack, isProtected = true): string[] {
  return rule({ stackId: "test", blocks: blocksOf(stack), protected: isProtected }).map(
    (f) => `${f.checkId} ${f.block.address}`,
  );
}

const WORLD_HTTPS = { fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] };

describe("open ingress (CKV_AWS_24/25/260/277)", () => {
  it("fails an inline ingress open to 0.0.0.0/0 on port 22 as CKV_AWS_24", () => {
    // GIVEN a security group with SSH open to the world
    const stack = newStack();
    new SecurityGroup(stack, "Ssh", {
      ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
    });
    // THEN
    expect(findings(openIngress, stack)).toEqual(["CKV_AWS_24 aws_security_group.Ssh"]);
  });

  it("fails a separate ingress rule open to ::/0 on every port as CKV_AWS_277", () => {
    const stack = newStack();
    const sg = new SecurityGroup(stack, "App", {});
    new SecurityGroupRule(stack, "All", {
      type: "ingress",
      securityGroupId: sg.id,
      fromPort: 0,
      toPort: 0,
      protocol: "-1",
      ipv6CidrBlocks: ["::/0"],
    });
    expect(findings(openIngress, stack)).toEqual(["CKV_AWS_277 aws_security_group_rule.All"]);
  });

  it("fails 443 from the world on a group no load balancer uses", () => {
    const stack = newStack();
    new SecurityGroup(stack, "Tasks", { ingress: [WORLD_HTTPS] });
    expect(findings(openIngress, stack)).toEqual(["GUARD_OPEN_INGRESS aws_security_group.Tasks"]);
  });

  it("passes 80 and 443 from the world on a load balancer's group, in any of the three ingress forms", () => {
    // GIVEN a load balancer whose group opens 443 inline, 80 by rule and 443 by VPC rule
    const stack = newStack();
    const sg = new SecurityGroup(stack, "Alb", { ingress: [WORLD_HTTPS] });
    new SecurityGroupRule(stack, "Http", {
      type: "ingress",
      securityGroupId: sg.id,
      fromPort: 80,
      toPort: 80,
      protocol: "tcp",
      cidrBlocks: ["0.0.0.0/0"],
    });
    new VpcSecurityGroupIngressRule(stack, "Https6", {
      securityGroupId: sg.id,
      fromPort: 443,
      toPort: 443,
      ipProtocol: "tcp",
      cidrIpv6: "::/0",
    });
    new Lb(stack, "Lb", { securityGroups: [sg.id] });
    // THEN nothing is reported
    expect(findings(openIngress, stack)).toEqual([]);
  });

  it("fails a load balancer's group open to the world on another port", () => {
    const stack = newStack();
    const sg = new SecurityGroup(stack, "Alb", {});
    new VpcSecurityGroupIngressRule(stack, "Admin", {
      securityGroupId: sg.id,
      fromPort: 8080,
      toPort: 8080,
      ipProtocol: "tcp",
      cidrIpv4: "0.0.0.0/0",
    });
    new Lb(stack, "Lb", { securityGroups: [sg.id] });
    expect(findings(openIngress, stack)).toEqual([
      "GUARD_OPEN_INGRESS aws_vpc_security_group_ingress_rule.Admin",
    ]);
  });
});

describe("data stores (CKV_AWS_16/17/29/30/96)", () => {
  it("fails a publicly accessible, unencrypted database", () => {
    const stack = newStack();
    new DbInstance(stack, "Db", {
      instanceClass: "db.t4g.micro",
      engine: "postgres",
      publiclyAccessible: true,
    });
    expect(findings(dataStores, stack)).toEqual([
      "CKV_AWS_17 aws_db_instance.Db",
      "CKV_AWS_16 aws_db_instance.Db",
    ]);
  });

  it("fails an unencrypted Aurora cluster and a cache without at-rest and transit encryption", () => {
    const stack = newStack();
    new RdsCluster(stack, "Aurora", { engine: "aurora-postgresql" });
    new ElasticacheReplicationGroup(stack, "Cache", { replicationGroupId: "c", description: "c" });
    expect(findings(dataStores, stack)).toEqual([
      "CKV_AWS_96 aws_rds_cluster.Aurora",
      "CKV_AWS_29 aws_elasticache_replication_group.Cache",
      "CKV_AWS_30 aws_elasticache_replication_group.Cache",
    ]);
  });

  it("passes private, encrypted stores", () => {
    const stack = newStack();
    new DbInstance(stack, "Db", {
      instanceClass: "db.t4g.micro",
      engine: "postgres",
      storageEncrypted: true,
    });
    new RdsCluster(stack, "Aurora", { engine: "aurora-postgresql", storageEncrypted: true });
    new ElasticacheReplicationGroup(stack, "Cache", {
      replicationGroupId: "c",
      description: "c",
      atRestEncryptionEnabled: "true",
      transitEncryptionEnabled: true,
    });
    expect(findings(dataStores, stack)).toEqual([]);
  });
});

describe("bucket public access block (CKV2_AWS_6)", () => {
  it("fails a bucket without a public access block in its stack", () => {
    const stack = newStack();
    new S3Bucket(stack, "Logs", { bucket: "logs" });
    expect(findings(bucketPublicAccess, stack)).toEqual(["CKV2_AWS_6 aws_s3_bucket.Logs"]);
  });

  it("fails a bucket whose access block leaves a setting off", () => {
    const stack = newStack();
    const b = new S3Bucket(stack, "Logs", { bucket: "logs" });
    new S3BucketPublicAccessBlock(stack, "Pab", {
      bucket: b.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
    });
    expect(findings(bucketPublicAccess, stack)).toEqual(["CKV2_AWS_6 aws_s3_bucket.Logs"]);
  });

  it("passes a bucket whose access block blocks everything", () => {
    const stack = newStack();
    const b = new S3Bucket(stack, "Logs", { bucket: "logs" });
    new S3BucketPublicAccessBlock(stack, "Pab", {
      bucket: b.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(findings(bucketPublicAccess, stack)).toEqual([]);
  });
});

describe("IAM * on * (CKV_AWS_62, CKV_AWS_1)", () => {
  const admin = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  });

  it("fails */* in a managed policy, a role's inline policy and a policy document", () => {
    const stack = newStack();
    new IamPolicy(stack, "Admin", { policy: admin });
    new IamRole(stack, "Role", { assumeRolePolicy: "{}", inlinePolicy: [{ name: "all", policy: admin }] });
    new DataAwsIamPolicyDocument(stack, "Doc", { statement: [{ actions: ["*"], resources: ["*"] }] });
    expect(findings(iamAdmin, stack)).toEqual([
      "CKV_AWS_62 aws_iam_policy.Admin",
      "CKV_AWS_62 aws_iam_role.Role",
      "CKV_AWS_1 data.aws_iam_policy_document.Doc",
    ]);
  });

  it("passes scoped statements, service wildcards and denies", () => {
    const stack = newStack();
    new IamPolicy(stack, "Scoped", {
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "kms:*", Resource: "*" },
          { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::bucket/*" },
          { Effect: "Deny", Action: "*", Resource: "*" },
        ],
      }),
    });
    expect(findings(iamAdmin, stack)).toEqual([]);
  });
});

describe("deletion protection in a protected environment (CKV_AWS_293, prevent_destroy)", () => {
  it("fails a database without deletion protection, prevent_destroy and a final snapshot", () => {
    const stack = newStack();
    new DbInstance(stack, "Db", {
      instanceClass: "db.t4g.micro",
      engine: "postgres",
      storageEncrypted: true,
      skipFinalSnapshot: true,
    });
    expect(findings(deletionProtection, stack)).toEqual([
      "GUARD_PREVENT_DESTROY aws_db_instance.Db",
      "CKV_AWS_293 aws_db_instance.Db",
      "GUARD_FINAL_SNAPSHOT aws_db_instance.Db",
    ]);
  });

  it("passes a guarded database and table", () => {
    const stack = newStack();
    new DbInstance(stack, "Db", {
      instanceClass: "db.t4g.micro",
      engine: "postgres",
      storageEncrypted: true,
      deletionProtection: true,
      lifecycle: { preventDestroy: true },
    });
    new DynamodbTable(stack, "Table", {
      name: "t",
      hashKey: "k",
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
    expect(findings(deletionProtection, stack)).toEqual([]);
  });

  it("passes an unguarded database in an environment that is not protected", () => {
    const stack = newStack();
    new DbInstance(stack, "Db", {
      instanceClass: "db.t4g.micro",
      engine: "postgres",
      storageEncrypted: true,
    });
    expect(findings(deletionProtection, stack, false)).toEqual([]);
  });
});

describe("the guardrail Aspect at synthesis", () => {
  it("reports one line per finding across every stack and writes none of the failing stacks", () => {
    // GIVEN two stacks, each with one mistake, and one clean stack
    const app = testApp();
    const { outdir } = app;
    for (const id of ["one", "two"]) {
      const s = new TerraformStack(app, id);
      new AwsProvider(s, "aws", { region: "eu-west-1" });
      new SecurityGroup(s, "Ssh", {
        ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
      });
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
