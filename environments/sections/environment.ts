// The schema of environments/<env>.yaml. Each capability adds its own section file and one key here.
import { z } from "zod";
import { Account, EnvironmentName, Region, Tags } from "./common.ts";
import { NetworkSection } from "./network.ts";
import { DataConfigSchema } from "./data.ts";
import { ServiceSection } from "./service.ts";
import { FrontendSection } from "./frontend.ts";
import { ReleaseSection } from "./pipeline.ts";

export const EnvironmentConfigSchema = z
  .strictObject({
    name: EnvironmentName.describe("The environment's name; must equal the file name (dev for dev.yaml)"),
    account: Account,
    region: Region.optional().describe(
      "Region of this environment's stacks; defaults to shared.yaml's region",
    ),
    protected: z
      .boolean()
      .default(true)
      .describe(
        "Guard stateful resources: deletion protection, prevent_destroy and final snapshots. Turn off only for disposable environments",
      ),
    tags: Tags,
    network: NetworkSection,
    data: DataConfigSchema.optional().describe(
      "Databases, caches, DynamoDB tables and their backups; omit for an environment without data stores (no <env>-db stack)",
    ),
    service: ServiceSection.optional().describe(
      "The application behind a load balancer and firewall; omit for an environment without it (no <env>-ecs stack)",
    ),
    frontend: FrontendSection.optional().describe(
      "CloudFront with an S3 bucket: a single-page app, optionally with the API on the same domain, or the service's pages with their static files; omit for none (no <env>-frontend stack)",
    ),
    pipeline: ReleaseSection,
  })
  .describe("One deployment environment");

export type EnvironmentInput = z.input<typeof EnvironmentConfigSchema>;
/** An environment as the stacks see it: defaults applied and the region resolved. */
export type EnvironmentConfig = z.output<typeof EnvironmentConfigSchema> & { readonly region: string };
