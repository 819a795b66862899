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
  /** Images tagged `released-*` kept, newest first, apart from the other tagged images. */
  readonly keepReleasedImages: number;
  /** Accounts (other than the owner) whose ECS tasks pull from this repository. */
  readonly pullAccountIds: readonly string[];
  /**
   * Roles of other accounts that push images here (a GitHub Actions deploy role that builds), admitted by ARN.
   * Named, not referenced: the role may not exist yet, and ECR refuses a policy naming an unknown principal, so the
   * statement names the account and admits only that role (`aws:PrincipalArn`). @default - none
   */
  readonly pushRoleArns?: readonly string[];
  /**
   * Release principals of other accounts that tag the image they deployed `released-<env>-<digest>`, admitted by
   * ARN as pushRoleArns are. @default - none
   */
  readonly markRoleArns?: readonly string[];
  readonly region: string;
  /** prevent_destroy, and refuse to delete a repository that still holds images. */
  readonly protect: boolean;
}

/** Tag prefix a release adds to the image it deployed (`released-<env>-<digest>`), which the lifecycle keeps. */
export const RELEASED_TAG_PREFIX = "released-";

/**
 * The lifecycle rules. An image matching a rule's tags is expired by that rule only, never by a later one, so the
 * released images come first: the pushes after them cannot expire what an environment still runs. Then untagged
 * images (never deployed), then the count of the other tagged ones.
 */
export function lifecycleRules(keepTagged: number, untaggedDays: number, keepReleased: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Keep the ${keepReleased} newest released images`,
        selection: {
          tagStatus: "tagged",
          tagPrefixList: [RELEASED_TAG_PREFIX],
          countType: "imageCountMoreThan",
          countNumber: keepReleased,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
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
        rulePriority: 3,
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
      policy: lifecycleRules(props.keepTaggedImages, props.untaggedExpiryDays, props.keepReleasedImages),
    });
    const statements: PolicyStatement[] = [];
    if (props.pullAccountIds.length > 0)
      statements.push({
        Sid: "EnvironmentAccountsPull",
        Effect: "Allow",
        Principal: { AWS: props.pullAccountIds.map((a) => accountRoot(props.region, a)) },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      });
    // Roles of other accounts, named rather than referenced (they may not exist yet, and ECR refuses a policy naming
    // an unknown principal): the statement names their accounts and admits only those roles.
    const admitRoles = (Sid: string, roles: readonly string[] | undefined, Action: string[]) => {
      if (roles?.length)
        statements.push({
          Sid,
          Effect: "Allow",
          Principal: {
            AWS: [...new Set(roles.map((arn) => accountRoot(props.region, arn.split(":")[4] ?? "")))],
          },
          Action,
          Condition: { ArnEquals: { "aws:PrincipalArn": [...roles] } },
        });
    };
    admitRoles("BuildingRolePush", props.pushRoleArns, [
      "ecr:BatchCheckLayerAvailability",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]);
    admitRoles("ReleasePrincipalsMarkReleased", props.markRoleArns, ["ecr:BatchGetImage", "ecr:PutImage"]);
    if (statements.length > 0)
      new EcrRepositoryPolicy(this, "Policy", {
        repository: this.resource.name,
        policy: policyJson(policy(...statements)),
      });
  }
}
