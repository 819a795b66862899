// CKV2_AWS_6: every S3 bucket has a public access block, in the same stack, with all four settings on.
import { isExpression, isTrue, referencedAddresses } from "../view.ts";
import { ofType, type Finding, type Rule } from "./rule.ts";

const SETTINGS = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
] as const;

/** An S3 bucket without an `aws_s3_bucket_public_access_block` that blocks everything. */
export const bucketPublicAccess: Rule = (facts) => {
  const pabs = ofType(facts, "aws_s3_bucket_public_access_block");
  const findings: Finding[] = [];
  for (const bucket of ofType(facts, "aws_s3_bucket")) {
    const name = bucket.attrs.bucket;
    const pab = pabs.find(
      (p) =>
        referencedAddresses(p.attrs.bucket).includes(bucket.address) ||
        (typeof name === "string" && !name.includes("${") && p.attrs.bucket === name),
    );
    if (!pab) {
      findings.push({
        block: bucket,
        checkId: "CKV2_AWS_6",
        message:
          "the bucket has no aws_s3_bucket_public_access_block in this stack (use modules/secure-bucket)",
      });
      continue;
    }
    const off = SETTINGS.filter((s) => !isTrue(pab.attrs[s]) && !isExpression(pab.attrs[s]));
    if (off.length > 0)
      findings.push({
        block: bucket,
        checkId: "CKV2_AWS_6",
        message: `its public access block ${pab.address} leaves ${off.join(", ")} off`,
      });
  }
  return findings;
};
