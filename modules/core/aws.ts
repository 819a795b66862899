// Small facts about AWS ARNs and principals that modules share.

/** The ARN partition of a region: aws, aws-cn or aws-us-gov. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The ARN of an account's root principal, which key and resource policies delegate to IAM. */
export function accountRoot(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:root`;
}

/** DNS suffix of service principals and endpoints in a region. */
export function dnsSuffixOf(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/** An IAM policy document as plain data; serialized with JSON.stringify into the resource's policy argument. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  /** Required in identity and resource policies; absent in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>
  >;
}

/** Serializes a policy document for a `policy` argument. */
export const policyJson = (doc: PolicyDocument): string => JSON.stringify(doc);

/** Builds a policy document from statements. */
export const policy = (...Statement: PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement,
});

/** The trust policy that lets one AWS service assume a role. */
export const assumeRolePolicy = (service: string, condition?: PolicyStatement["Condition"]): string =>
  policyJson(
    policy({
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(condition ? { Condition: condition } : {}),
    }),
  );

/**
 * The ECR registry login, for pulling and pushing alike: GetAuthorizationToken has no resource-level permissions,
 * so AWS accepts only "*" for it.
 */
export const ECR_LOGIN: PolicyStatement = {
  Sid: "EcrLogin",
  Effect: "Allow",
  Action: "ecr:GetAuthorizationToken",
  Resource: "*",
};

/** What pushing an image to ECR takes: the registry login, and the layer and image calls on these repositories. */
export const ecrPushStatements = (repositoryArns: string | readonly string[]): PolicyStatement[] => [
  ECR_LOGIN,
  {
    Sid: "PushImage",
    Effect: "Allow",
    Action: [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ],
    Resource: typeof repositoryArns === "string" ? repositoryArns : [...repositoryArns],
  },
];

/** Writing to one log group's streams: what a task, a build or a release project needs of its own logs. */
export const writeLogsStatement = (logGroupArn: string): PolicyStatement => ({
  Sid: "WriteLogs",
  Effect: "Allow",
  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
  Resource: `${logGroupArn}:*`,
});
