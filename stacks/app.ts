// Composition: turns a validated Config into the app's stacks, in deploy order.
import { Annotations, App } from "cdktf";
import { formatProblem } from "../environments/errors.ts";
import type { Config, EnvironmentConfig } from "../environments/schema.ts";
import { BootstrapStack } from "./bootstrap.ts";
import type { BaseStack, DnsAccount, StackFrameProps, StateLocation } from "./base-stack.ts";
import { needsApproval, pipelineRegistry } from "../environments/checks.ts";
import { DbStack } from "./db.ts";
import { DeliveryStack, type ReleaseEnvironment } from "./delivery.ts";
import { EcsStack } from "./ecs.ts";
import { FrontendStack } from "./frontend.ts";
import { NetworkStack } from "./network.ts";
import { GithubPipelineStack } from "./github-pipeline.ts";
import { githubDeployRole, registryArn, releaseProjectRole } from "./release-names.ts";
import { EnvPipelineStack } from "./pipeline.ts";
import { SharedStack } from "./shared.ts";

/** Options of one synthesis. */
export interface BuildOptions {
  /** Where `app.synth()` writes. @default - cdktf's own (CDKTF_OUTDIR, else cdktf.out) */
  readonly outdir?: string;
  /** Build only these environments' stacks (bootstrap and shared always). @default - every environment */
  readonly environments?: readonly string[];
}

/** The app and its stacks, in the order they are deployed. */
export interface BuiltApp {
  readonly app: App;
  readonly stacks: readonly BaseStack[];
}

/** The frame of a stack of `environment` (or of the shared account when undefined). */
export function frameFor(config: Config, environment?: EnvironmentConfig): StackFrameProps {
  const { shared } = config;
  const state: StateLocation = {
    kind: "s3",
    bucket: shared.state.bucket,
    region: shared.region,
    ...(shared.state.roleArn ? { roleArn: shared.state.roleArn } : {}),
  };
  return {
    project: shared.project,
    environment: environment?.name ?? "shared",
    region: environment?.region ?? shared.region,
    account: environment?.account ?? shared.account,
    tags: { ...shared.tags, ...environment?.tags },
    protected: environment?.protected ?? true,
    state,
  };
}

/**
 * Where the hosted zone lives (the shared account) and the role an environment in another account assumes to write
 * its records there: shared.yaml's dns.roleArn, else the role the shared stack itself uses, else none, as Terraform
 * already runs with the shared account's credentials (README: Credentials). In plans, the read-only dns.planRoleArn,
 * else the shared stack's own plan role, stands in for it.
 */
export function dnsAccountOf({ shared }: Config): DnsAccount {
  const roleArn = shared.dns?.roleArn ?? shared.account.roleArn;
  const planRoleArn = shared.dns?.planRoleArn ?? shared.account.planRoleArn;
  return {
    id: shared.account.id,
    region: shared.region,
    ...(roleArn ? { roleArn, ...(planRoleArn ? { planRoleArn } : {}) } : {}),
  };
}

/** Builds every stack: bootstrap, shared, then per environment (in promotion order) its stacks in deploy order. */
export function buildApp(config: Config, options: BuildOptions = {}): BuiltApp {
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  const stacks: BaseStack[] = [];
  const add = <S extends BaseStack>(s: S): S => {
    stacks.push(s);
    return s;
  };

  const sharedFrame = frameFor(config);
  add(
    new BootstrapStack(app, "bootstrap", {
      frame:
        config.shared.state.bootstrapBackend === "local"
          ? { ...sharedFrame, state: { kind: "local" } }
          : sharedFrame,
      state: config.shared.state,
    }),
  );
  const pipeline = config.shared.pipeline;
  const registry = pipelineRegistry(config.shared);
  const github = githubDelivery(config);
  /** GitHub pipeline stacks built so far, by environment. */
  const githubStacks = new Map<string, GithubPipelineStack>();
  const shared = add(
    new SharedStack(app, "shared", {
      frame: sharedFrame,
      config: config.shared,
      consumerAccountIds: [...new Set(config.environments.map((e) => e.account.id))],
      ...(pipeline && registry
        ? {
            release: {
              registry,
              ...(github ? { pushRoleArn: github.builderRoleArn } : {}),
              markRoleArns: releasePrincipals(config),
            },
          }
        : {}),
    }),
  );
  const releases: ReleaseEnvironment[] = [];
  const releaseStacks: EnvPipelineStack[] = [];
  // The shared stack above still sees every environment (registry and topic access), so its output never depends
  // on which environments are built.
  const only = options.environments;
  for (const env of config.environments.filter((e) => !only || only.includes(e.name))) {
    const frame = frameFor(config, env);
    const network = add(new NetworkStack(app, `${env.name}-network`, { frame, config: env.network }));
    // An environment without data stores gets no <env>-db stack.
    const db = env.data
      ? add(
          new DbStack(app, `${env.name}-db`, {
            frame,
            config: env.data,
            network: network.outputs,
            alertsTopicArn: shared.outputs.alertsTopicArn,
          }),
        )
      : undefined;
    // An environment without a service gets no <env>-ecs stack.
    const ecs = env.service
      ? add(
          new EcsStack(app, `${env.name}-ecs`, {
            frame,
            config: env.service,
            shared: shared.outputs,
            network: network.outputs,
            ...(db ? { data: db.outputs } : {}),
            dnsAccount: dnsAccountOf(config),
            ...(env.frontend?.api ? { cloudFrontOrigin: env.frontend.api.originMode } : {}),
            ...(pipeline && registry ? { releaseRegistry: registry } : {}),
          }),
        )
      : undefined;
    // An environment without a frontend gets no <env>-frontend stack.
    const frontend = env.frontend
      ? add(
          new FrontendStack(app, `${env.name}-frontend`, {
            frame,
            config: env.frontend,
            shared: shared.outputs,
            dnsAccount: dnsAccountOf(config),
            ...(env.frontend.api && ecs ? { origin: { ecs: ecs.outputs, network: network.outputs } } : {}),
          }),
        )
      : undefined;
    // What either delivery's <env>-pipeline stack releases: this environment's service (and site).
    const released =
      ecs && env.service
        ? {
            frame,
            config: env.pipeline,
            ecs: ecs.outputs,
            capacityType: env.service.capacity.type,
            ...(frontend ? { frontend: frontend.outputs } : {}),
          }
        : undefined;
    if (github && released) {
      const oidcOwner = github.oidcProviderOwners.get(env.account.id);
      const release = add(
        new GithubPipelineStack(app, `${env.name}-pipeline`, {
          ...released,
          repository: github.repository,
          registry: {
            url: shared.outputs.repositoryUrls[github.registry] ?? "",
            arn: shared.outputs.repositoryArns[github.registry] ?? "",
          },
          builds: github.builder === env.name,
          oidcProvider: oidcOwner === env.name ? "create" : "lookup",
          oidcProviderShared: (github.releasedPerAccount.get(env.account.id) ?? 0) > 1,
          approval: needsApproval(env),
        }),
      );
      // Another environment's stack creates this account's OIDC provider: deploy it first, when it is synthesized.
      const ownerStack = oidcOwner !== undefined ? githubStacks.get(oidcOwner) : undefined;
      if (ownerStack) release.addDependency(ownerStack);
      githubStacks.set(env.name, release);
    }
    if (pipeline?.delivery === "codepipeline" && registry && released) {
      const home = {
        project: config.shared.project,
        accountId: config.shared.account.id,
        region: config.shared.region,
      };
      const release = add(
        new EnvPipelineStack(app, `${env.name}-pipeline`, {
          ...released,
          home,
          registryArn: registryArn(home, registry),
          logRetentionDays: pipeline.build.logRetentionDays,
        }),
      );
      releaseStacks.push(release);
      releases.push({
        name: env.name,
        target: release.outputs,
        ecs: released.ecs,
        approval: needsApproval(env),
        migration: env.pipeline.migration !== undefined,
        ...(frontend ? { frontend: frontend.outputs.content } : {}),
        url: frontend?.outputs.url ?? released.ecs.url,
      });
    }
  }
  // The promotion pipeline reads every environment's stacks, so it is deployed last; a synthesis of only some
  // environments leaves it out rather than write a pipeline that skips the others.
  if (pipeline?.delivery === "codepipeline" && config.shared.source && registry && releases.length && !only) {
    const delivery = add(
      new DeliveryStack(app, "delivery", {
        frame: sharedFrame,
        config: pipeline,
        source: config.shared.source,
        shared: shared.outputs,
        registry,
        environments: releases,
      }),
    );
    // Deployed after every release stack: it names their roles rather than referencing them.
    for (const release of releaseStacks) delivery.addDependency(release);
  }
  // Configuration warnings ride on a stack of their environment, so `npm run synth` and `cdktf synth` both print them.
  for (const w of config.warnings ?? [])
    Annotations.of(stacks.find((s) => s.frame.environment === w.environment) ?? shared).addWarning(
      formatProblem(w),
    );
  return { app, stacks };
}

/**
 * GitHub Actions delivery, decided over every environment so that a synthesis of some (`--env`) writes the same
 * stacks for them: the first released environment builds and pushes the image once, and the first released
 * environment of each account creates that account's OIDC provider (unless they exist already).
 */
function githubDelivery(config: Config) {
  const { pipeline, source } = config.shared;
  const registry = pipelineRegistry(config.shared);
  const released = config.environments.filter((e) => e.service);
  const builder = released[0];
  // The configuration checks guarantee a source and a registry for every pipeline.
  if (pipeline?.delivery !== "github-actions" || !source || !registry || !builder) return undefined;
  /** The environment whose stack creates each account's OIDC provider, by account; none to look up existing ones. */
  const owners = new Map<string, string>();
  const releasedPerAccount = new Map<string, number>();
  for (const e of released) {
    if (!owners.has(e.account.id)) owners.set(e.account.id, e.name);
    releasedPerAccount.set(e.account.id, (releasedPerAccount.get(e.account.id) ?? 0) + 1);
  }
  return {
    repository: source.repository,
    registry,
    builder: builder.name,
    builderRoleArn: releaseRoleArn(config, builder),
    oidcProviderOwners: pipeline.githubOidcProvider === "create" ? owners : new Map<string, string>(),
    releasedPerAccount,
  };
}

/** The role each released environment's release runs as, which tags the image it deployed in the registry. */
function releasePrincipals(config: Config): string[] {
  return config.environments.filter((e) => e.service).map((e) => releaseRoleArn(config, e));
}

/** The role an environment's release runs as: the GitHub deploy role, or CodePipeline's release project role. */
function releaseRoleArn(config: Config, e: EnvironmentConfig): string {
  const names = { project: config.shared.project, environment: e.name };
  const account = { id: e.account.id, region: e.region };
  return config.shared.pipeline?.delivery === "github-actions"
    ? githubDeployRole(names, account).arn
    : releaseProjectRole(names, account).arn;
}
