// modules/ecr-repository: immutable tags, scan on push, KMS, a lifecycle policy and pull access for other accounts.
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { EcrRepository, type EcrRepositoryProps } from "../../modules/ecr-repository/ecr-repository.ts";
import { moduleBuilder, TEST_REGION } from "../helpers.ts";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/k";
const MINIMAL: EcrRepositoryProps = {
  repositoryName: "shop/web",
  kmsKeyArn: KEY,
  keepTaggedImages: 20,
  untaggedExpiryDays: 7,
  keepReleasedImages: 100,
  pullAccountIds: [],
  region: TEST_REGION,
  protect: true,
};

const repository = moduleBuilder((s, p) => new EcrRepository(s, "Repository", p), MINIMAL);

describe("EcrRepository", () => {
  it("is immutable, scanned on push, KMS-encrypted and kept with its images when protected", () => {
    // GIVEN / WHEN a repository with minimal props THEN
    expect(repository().text).toHaveResourceWithProperties(EcrRepositoryResource, {
      name: "shop/web",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: KEY }],
      force_delete: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("keeps released images apart, then expires untagged images, then keeps the newest tagged ones", () => {
    const policy = JSON.parse(repository().one(EcrLifecyclePolicy).policy as string) as {
      rules: { rulePriority: number; selection: Record<string, unknown> }[];
    };
    // An image matching a rule's tags is expired by that rule only: released images first, by their own count.
    expect(policy.rules).toEqual([
      expect.objectContaining({
        rulePriority: 1,
        selection: expect.objectContaining({
          tagStatus: "tagged",
          tagPrefixList: ["released-"],
          countType: "imageCountMoreThan",
          countNumber: 100,
        }),
      }),
      expect.objectContaining({
        rulePriority: 2,
        selection: expect.objectContaining({
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countNumber: 7,
        }),
      }),
      expect.objectContaining({
        rulePriority: 3,
        selection: expect.objectContaining({
          tagStatus: "tagged",
          countType: "imageCountMoreThan",
          countNumber: 20,
        }),
      }),
    ]);
  });

  it("has no repository policy until another account pulls, then lets only those accounts pull", () => {
    expect(repository().all(EcrRepositoryPolicy)).toEqual([]);
    const built = repository({ pullAccountIds: ["222222222222", "333333333333"] });
    const { Statement } = JSON.parse(built.one(EcrRepositoryPolicy).policy as string) as {
      Statement: { Principal: unknown; Action: string[] }[];
    };
    expect(Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"] },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      }),
    ]);
  });

  it("admits a pushing role of another account by its ARN alone, through that account's root", () => {
    // GIVEN a deploy role in another account that builds the image
    const role = "arn:aws:iam::222222222222:role/shop-dev-github-release";
    const built = repository({ pushRoleArns: [role] });
    const { Statement } = JSON.parse(built.one(EcrRepositoryPolicy).policy as string) as {
      Statement: Record<string, unknown>[];
    };
    // THEN the statement names the account (the role may not exist yet) and admits only that role
    expect(Statement).toEqual([
      expect.objectContaining({
        Sid: "BuildingRolePush",
        Principal: { AWS: ["arn:aws:iam::222222222222:root"] },
        Action: expect.arrayContaining(["ecr:PutImage", "ecr:UploadLayerPart"]),
        Condition: { ArnEquals: { "aws:PrincipalArn": [role] } },
      }),
    ]);
  });
});
