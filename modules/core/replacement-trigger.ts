// A `terraform_data` record whose only job is to be replaced when its value changes, for `replace_triggered_by`.
import { TerraformResource } from "cdktf";
import type { Construct } from "constructs";

/**
 * cdktf's own `DataResource` adds a validation that runs `terraform version` at every synthesis, so synthesis
 * would fail on a machine without Terraform (a laptop that only synthesizes, a CI job before setup-terraform).
 * The project requires Terraform 1.10+ to deploy, well above the 1.4 that `terraform_data` needs.
 */
export class ReplacementTrigger extends TerraformResource {
  private readonly value: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, value: Readonly<Record<string, string>>) {
    super(scope, id, {
      terraformResourceType: "terraform_data",
      terraformGeneratorMetadata: { providerName: "terraform" },
    });
    this.value = value;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: { ...this.value } };
  }
}
