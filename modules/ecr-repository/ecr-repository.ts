// An ECR repository: immutable tags, scan on push, KMS, a lifecycle policy, and pull access for other accounts.
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { Construct } from "constructs";
import { accountRoot, policy, policyJson, type PolicyStatement } from "../core/aws.ts";

export interface EcrRepositoryProps {
  readonly repositoryName: string;
  readonly kmsKeyArn: string;
  /** Tagged images kept, newest first. */
  readonly keepTaggedImages: number;
  /** Days after which untagged images expire. */
  readonly untaggedExpiryDays: number;
  /** Accounts (other than the owner) whose ECS tasks pull from this repository. */
  readonly pullAccountIds: readonly string[];
  /**
   * Roles of other accounts that push images here (a GitHub Actions deploy role that builds), admitted by ARN.
   * Named, not referenced: the role may not exist yet, and ECR refuses a policy naming an unknown principal, so the
   * statement names the account and admits only that role (`aws:PrincipalArn`). @default - none
   */
  readonly pushRoleArns?: readonly string[];
  readonly region: string;
  /** prevent_destroy, and refuse to delete a repository that still holds images. */
  readonly protect: boolean;
}

/** The lifecycle rules: untagged images first (they are never deployed), then the tagged count. */
export function lifecycleRules(keepTagged: number, untaggedDays: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${untaggedDays} days`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: untaggedDays,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the ${keepTagged} newest tagged images`,
        selection: {
          tagStatus: "tagged",
          tagPatternList: ["*"],
          countType: "imageCountMoreThan",
          countNumber: keepTagged,
        },
        action: { type: "expire" },
      },
    ],
  });
}

/** One application image repository. */
export class EcrRepository extends Construct {
  public readonly resource: EcrRepositoryResource;
  public readonly url: string;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    this.resource = new EcrRepositoryResource(this, "Resource", {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.kmsKeyArn }],
      forceDelete: !props.protect,
      lifecycle: { preventDestroy: props.protect },
    });
    this.url = this.resource.repositoryUrl;
    this.arn = this.resource.arn;
    new EcrLifecyclePolicy(this, "Lifecycle", {
      repository: this.resource.name,
      policy: lifecycleRules(props.keepTaggedImages, props.untaggedExpiryDays),
    });
    const statements: PolicyStatement[] = [];
    if (props.pullAccountIds.length > 0)
      statements.push({
        Sid: "EnvironmentAccountsPull",
        Effect: "Allow",
        Principal: { AWS: props.pullAccountIds.map((a) => accountRoot(props.region, a)) },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      });
    const pushRoles = props.pushRoleArns ?? [];
    if (pushRoles.length > 0)
      statements.push({
        Sid: "BuildingRolePush",
        Effect: "Allow",
        Principal: {
          AWS: [...new Set(pushRoles.map((arn) => accountRoot(props.region, arn.split(":")[4] ?? "")))],
        },
        Action: [
          "ecr:BatchCheckLayerAvailability",
          "ecr:CompleteLayerUpload",
          "ecr:DescribeImages",
          "ecr:InitiateLayerUpload",
          "ecr:PutImage",
          "ecr:UploadLayerPart",
        ],
        Condition: { ArnEquals: { "aws:PrincipalArn": [...pushRoles] } },
      });
    if (statements.length > 0)
      new EcrRepositoryPolicy(this, "Policy", {
        repository: this.resource.name,
        policy: policyJson(policy(...statements)),
      });
  }
}
