// Real Terraform on a single stack through cdktf's own matchers, with the offline stand-in AWS provider
// (../shared/terraform-offline) instead of the registry. Skipped where Terraform or tf-offline is missing.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { onPath } from "../scripts/lib/on-path.ts";
import { findTfOffline } from "../scripts/tf-offline.ts";
import { build, sampleConfig, stackOf } from "./helpers.ts";

const tool = findTfOffline();
const available = tool !== undefined && onPath("terraform") !== undefined;

/** TF_CLI_CONFIG_FILE pointing at a provider mirror that holds the stand-in hashicorp/aws. */
function offlineCliConfig(): string {
  const printed = execFileSync(tool!, ["mirror", mkdtempSync(join(tmpdir(), "tf-mirror-"))], {
    encoding: "utf8",
  });
  const file = /TF_CLI_CONFIG_FILE=(\S+)/.exec(printed)?.[1];
  if (!file) throw new Error(`tf-offline mirror printed no TF_CLI_CONFIG_FILE:\n${printed}`);
  return file;
}

describe.skipIf(!available)("real Terraform on one stack", () => {
  it("validates and plans the bootstrap stack (local backend) with cdktf's matchers", () => {
    // GIVEN the bootstrap stack of the sample, fully synthesized, and Terraform pointed at the offline provider
    const dir = Testing.fullSynth(stackOf(build(sampleConfig(), []), "bootstrap"));
    const saved = { config: process.env.TF_CLI_CONFIG_FILE, checkpoint: process.env.CHECKPOINT_DISABLE };
    process.env.TF_CLI_CONFIG_FILE = offlineCliConfig();
    process.env.CHECKPOINT_DISABLE = "1";
    try {
      // THEN terraform init + validate and init + plan succeed
      expect(dir).toBeValidTerraform();
      expect(dir).toPlanSuccessfully();
    } finally {
      if (saved.config === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = saved.config;
      if (saved.checkpoint === undefined) delete process.env.CHECKPOINT_DISABLE;
      else process.env.CHECKPOINT_DISABLE = saved.checkpoint;
    }
  });
});
