// `<env>-ecs`: the running application: load balancer with certificate and DNS name, web application firewall,
// ECS cluster and capacity, task and service, autoscaling, blue/green releases and alarms.
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Annotations, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { ServiceConfig } from "../environments/sections/service.ts";
import { allowCheck } from "../guardrails/exceptions.ts";
import { Alb, NO_DOMAIN_WARNING } from "../modules/alb/alb.ts";
import { BlueGreenDeployment } from "../modules/blue-green-deployment/blue-green-deployment.ts";
import type { Certificate } from "../modules/certificate/certificate.ts";
import { ModuleError } from "../modules/core/errors.ts";
import { resourceName } from "../modules/core/naming.ts";
import { EcsCluster } from "../modules/ecs-cluster/ecs-cluster.ts";
import { EcsService, type EcsServiceProps } from "../modules/ecs-service/ecs-service.ts";
import { cloudWatchLogsGrant, KmsKey } from "../modules/kms-key/kms-key.ts";
import { addServiceAlarms, type ServiceAlarmId } from "../modules/service-alarms/service-alarms.ts";
import { RestartOnRotation } from "../modules/restart-on-rotation/restart-on-rotation.ts";
import { ServiceScaling } from "../modules/service-scaling/service-scaling.ts";
import { Waf } from "../modules/waf/waf.ts";
import type { DbOutputs, EcsOutputs, NetworkOutputs, SharedOutputs } from "./contracts.ts";
import { BaseStack, type DnsAccount, type StackFrameProps } from "./base-stack.ts";
import { containerEnvironment, migrationSecrets } from "./ecs-environment.ts";

export type { DnsAccount } from "./base-stack.ts";

export interface EcsStackProps {
  readonly frame: StackFrameProps;
  /** The environment's `service:` section. */
  readonly config: ServiceConfig;
  readonly shared: SharedOutputs;
  readonly network: NetworkOutputs;
  /** The data stack's outputs, when the environment has one. @default - no data stores */
  readonly data?: DbOutputs;
  /** Where the hosted zone lives, when `config.domain` is set. @default - the environment's own account */
  readonly dnsAccount?: DnsAccount;
  /**
   * How the environment's CloudFront distribution reaches the load balancer when its frontend routes the API
   * (`frontend.api.originMode`): an internal load balancer, or a public one that refuses requests without the
   * frontend's secret header. @default - no CloudFront origin: `service.loadBalancer.ingress` decides
   */
  readonly cloudFrontOrigin?: "vpcOrigin" | "publicAlb";
  /**
   * A pipeline releases this service (shared.yaml `pipeline`) from this registry: the image comes from the release
   * parameter, which the pipeline writes and Terraform never overwrites, so no apply puts an older image back, and
   * the tasks may pull from the registry even while the configured first image is from elsewhere.
   * @default - not released: the image is the one in config
   */
  readonly releaseRegistry?: string;
}

/** The one warning synth prints for an environment without a domain. */
export { NO_DOMAIN_WARNING };

/** The name of the application container in the task definition (the pipeline's imagedefinitions refer to it). */
export const CONTAINER_NAME = "app";

/** Alarms that stop a blue/green release and roll it back. */
const ROLLBACK_ALARMS = ["LoadBalancer5xx", "Target5xx", "UnhealthyHosts", "UnhealthyHostsGreen"] as const;

/** The synth warning for databases the service signs in to with the master secret (`appAuthentication: secret`). */
export function secretModeWarning(storeNames: readonly string[]): string {
  return `data store(s) ${storeNames.join(", ")} use appAuthentication: secret: the application signs in as the master user, and its tasks restart after every rotation of the master secret (every 7 days); prefer appAuthentication: iam (README: How the application signs in)`;
}

/** Caches sign in with elasticache:Connect; databases with rds-db:connect or as their task role. */
const isCache = (engine: string): boolean => engine === "redis" || engine === "valkey";

/** The application of one environment. */
export class EcsStack extends BaseStack {
  public readonly outputs: EcsOutputs;
  public readonly alb: Alb;
  public readonly waf: Waf;
  public readonly cluster: EcsCluster;
  public readonly service: EcsService;
  public readonly scaling: ServiceScaling;
  /** Restarts the service after a rotation of a master secret it reads (`appAuthentication: secret`). */
  public readonly restartOnRotation?: RestartOnRotation;
  public readonly certificate?: Certificate;
  public readonly blueGreen?: BlueGreenDeployment;
  /** Alarms by id: CpuHigh, MemoryHigh, LoadBalancer5xx, Target5xx, UnhealthyHosts[Green], ResponseTimeP95. */
  public readonly alarms: Readonly<Partial<Record<ServiceAlarmId, CloudwatchMetricAlarm>>>;

  constructor(scope: Construct, id: string, props: EcsStackProps) {
    super(scope, id, props.frame);
    const { config, network, shared, data } = props;
    const { region, accountId } = this.where;
    const deployment = config.deployment;
    const blueGreen = deployment.type === "codeDeploy" ? deployment : undefined;
    const clusterName = resourceName(this.names, "ecs", { maxLength: 255 });
    const serviceName = resourceName(this.names, "app", { maxLength: 255 });

    const logsKey = new KmsKey(this, "LogsKey", {
      alias: resourceName(this.names, "ecs-logs", { maxLength: 250 }),
      description: `Encrypts ${serviceName}'s container, ECS Exec and WAF logs, and ECS Exec sessions`,
      accountId,
      region,
      protect: this.protect,
      services: [cloudWatchLogsGrant(region, accountId)],
    });

    // DNS: certificate validation and alias records go to the shared zone, possibly in the shared account.
    const site = this.domainCertificate("service.domain", config.domain, shared.zone, props.dnsAccount);
    this.certificate = site?.certificate;
    if (!site) Annotations.of(this).addWarning(NO_DOMAIN_WARNING);

    const lb = config.loadBalancer;
    const origin = props.cloudFrontOrigin;
    this.alb = new Alb(this, "LoadBalancer", {
      name: resourceName(this.names, "app", { maxLength: 32 }),
      targetGroupPrefix: resourceName(this.names, "app", { maxLength: 26 }),
      vpcId: network.vpcId,
      subnetIds: origin === "vpcOrigin" ? network.privateSubnetIds : network.publicSubnetIds,
      region,
      accountId,
      logBucketName: resourceName(this.names, ["alb-logs", accountId, region], { maxLength: 63 }),
      accessLogDays: lb.accessLogDays,
      protect: this.protect,
      deletionProtection: lb.deletionProtection,
      ingress: origin === "vpcOrigin" ? "vpcOrigin" : origin === "publicAlb" ? "cloudfront" : lb.ingress,
      forwardOnlyByRule: origin === "publicAlb",
      ...(this.certificate ? { certificateArn: this.certificate.arn } : {}),
      sslPolicy: lb.sslPolicy,
      targetPort: config.container.port,
      healthCheck: config.healthCheck,
      idleTimeoutSeconds: lb.idleTimeoutSeconds,
      ...(deployment.type === "codeDeploy"
        ? {
            blueGreen: {
              controller: "codeDeploy" as const,
              testListenerPort: deployment.testListenerPort,
              testTrafficCidrs: deployment.testTrafficCidrs,
            },
          }
        : {}),
      ...(deployment.type === "nativeBlueGreen"
        ? {
            blueGreen: {
              controller: "ecs" as const,
              testListenerPort: deployment.testListenerPort,
              testTrafficCidrs: deployment.testCidrs,
              vpcCidr: network.vpcCidr,
            },
          }
        : {}),
    });

    if (site)
      this.aliasRecords(site, ["A"], {
        name: this.alb.dnsName,
        zoneId: this.alb.zoneId,
        evaluateTargetHealth: true,
      }).forEach((record, i) =>
        // The addresses the records were deployed under: a new address would replace them, and a replaced record
        // drops its name from DNS between the delete and the create (a `moved` block would also do, but Checkov's
        // JSON parser fails on one).
        record.overrideLogicalId(i === 0 ? "AliasRecord" : `AliasRecord${i}`),
      );

    const w = config.waf;
    this.waf = new Waf(this, "Firewall", {
      name: resourceName(this.names, "app", { maxLength: 128 }),
      logGroupName: `aws-waf-logs-${resourceName(this.names, "app", { maxLength: 499 })}`,
      logRetentionDays: w.logRetentionDays,
      logKmsKeyArn: logsKey.arn,
      managedGroups: w.ruleGroups,
      rateLimit: w.rateLimit,
      captchaPaths: w.captchaPaths,
      captchaImmunitySeconds: w.captchaImmunitySeconds,
      ...(w.botControl.enabled
        ? { botControl: { inspectionLevel: w.botControl.inspectionLevel, count: w.botControl.count } }
        : {}),
      resourceArn: this.alb.arn,
    });
    this.shortRetention(this.waf.logGroup, w.logRetentionDays, "service.waf.logRetentionDays");

    const capacity = config.capacity;
    this.cluster = new EcsCluster(this, "Cluster", {
      name: clusterName,
      region,
      kmsKeyArn: logsKey.arn,
      execLogRetentionDays: config.logging.retentionDays,
      capacity:
        capacity.type === "fargate"
          ? capacity
          : { ...capacity, vpcId: network.vpcId, subnetIds: network.privateSubnetIds },
    });
    this.shortRetention(
      this.cluster.execLogGroup,
      config.logging.retentionDays,
      "service.logging.retentionDays",
    );

    const image = config.container.image;
    const pulledFrom = image.repository ?? props.releaseRegistry;
    const repositoryArn = pulledFrom ? shared.repositoryArns[pulledFrom] : undefined;
    const configuredImage = image.repository
      ? `${shared.repositoryUrls[image.repository]}:${image.tag}`
      : image.image!;
    const release = props.releaseRegistry ? this.releaseParameter(serviceName, configuredImage) : undefined;
    const imageRef = release?.image ?? configuredImage;
    const { environment, secrets } = containerEnvironment(config.container, data);
    const stores = data?.stores ?? [];
    const scaling = config.scaling;
    const targetGroups = [
      this.alb.targetGroup,
      ...(this.alb.greenTargetGroup ? [this.alb.greenTargetGroup] : []),
    ];
    // The alarms name the service by its known name, not its resource: they exist before the service, so ECS can be
    // given the rollback alarms when it creates it. One unhealthy-host alarm per group: each reports only while it
    // holds tasks, so together they follow the live group.
    this.alarms = addServiceAlarms(this, {
      names: this.names,
      component: "app",
      displayName: serviceName,
      clusterName: this.cluster.name,
      serviceName,
      loadBalancerArnSuffix: this.alb.arnSuffix,
      targetGroupArnSuffixes: targetGroups.map((tg) => tg.arnSuffix),
      thresholds: config.alarms,
      actionArns: [shared.alertsTopicArn],
    });
    // A release that makes the load balancer answer 5xx or lose healthy tasks is rolled back.
    const rollbackAlarmNames = ROLLBACK_ALARMS.flatMap((a) => this.alarms[a]?.alarmName ?? []);
    this.service = new EcsService(this, "Service", {
      name: serviceName,
      region,
      accountId,
      clusterArn: this.cluster.arn,
      capacityProviderStrategy: this.cluster.capacityProviderStrategy,
      launchType: this.cluster.launchType,
      architecture: capacity.architecture,
      cpu: config.cpu,
      memory: config.memory,
      container: {
        name: CONTAINER_NAME,
        image: imageRef,
        ...(repositoryArn ? { repositoryArn } : {}),
        port: config.container.port,
        environment,
        secrets,
        ...(config.container.user ? { user: config.container.user } : {}),
        readOnlyRootFilesystem: config.container.readOnlyRootFilesystem,
        writablePaths: config.container.writablePaths,
        ...(config.container.healthCheck ? { healthCheck: config.container.healthCheck } : {}),
      },
      logRetentionDays: config.logging.retentionDays,
      logKmsKeyArn: logsKey.arn,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      loadBalancerSecurityGroupId: this.alb.securityGroupId,
      extraSecurityGroupIds: data ? [data.clientSecurityGroupId] : [],
      targetGroupArn: this.alb.targetGroup.arn,
      desiredCount: scaling.desiredTasks ?? scaling.minTasks,
      healthCheckGracePeriodSeconds: config.healthCheck.gracePeriodSeconds,
      deployment: this.serviceDeployment(config, rollbackAlarmNames),
      ...(config.execCommand
        ? { execCommand: { logGroupArn: this.cluster.execLogGroup.arn, kmsKeyArn: logsKey.arn } }
        : {}),
      decryptKeyArns: data?.kmsKeyArns ?? [],
      dynamodbTableArns: data?.tables.map((t) => t.arn) ?? [],
      elasticacheConnectArns: stores
        .filter((s) => isCache(s.engine))
        .flatMap((s) => s.iamAuth?.connectArns ?? []),
      rdsConnectArns: stores
        .filter((s) => !isCache(s.engine) && s.appAuthentication === "iam")
        .flatMap((s) => s.iamAuth?.connectArns ?? []),
      migrationSecrets: migrationSecrets(data),
      dependsOn: [this.alb.productionListener, ...(this.alb.testListener ? [this.alb.testListener] : [])],
      // The pipeline registers revisions of the family; Terraform compares with the newest, which carries the
      // released image it reads from the parameter too, so a plan after a release shows no change.
      trackLatestRevision: release !== undefined,
    });
    this.shortRetention(this.service.logGroup, config.logging.retentionDays, "service.logging.retentionDays");

    // Databases whose file opts into the master secret: ECS reads it only at task start, so each rotation must
    // restart the tasks, and the application holds the master user's rights (hence the warning).
    const secretStores = config.container.injectDataStores
      ? stores.filter((s) => s.appAuthentication === "secret" && s.secretArn)
      : [];
    if (secretStores.length) {
      Annotations.of(this).addWarning(secretModeWarning(secretStores.map((s) => s.name)));
      this.restartOnRotation = new RestartOnRotation(this, "RestartOnRotation", {
        name: serviceName,
        region,
        accountId,
        clusterArn: this.cluster.arn,
        serviceArn: this.service.resource.id,
        secretArns: secretStores.map((s) => s.secretArn!),
        logRetentionDays: config.logging.retentionDays,
        logKmsKeyArn: logsKey.arn,
      });
      this.shortRetention(
        this.restartOnRotation.logGroup,
        config.logging.retentionDays,
        "service.logging.retentionDays",
      );
    }

    // Blue/green serves from either group, whichever the last release left live.
    this.scaling = new ServiceScaling(this, "Scaling", {
      name: serviceName,
      clusterName: this.cluster.name,
      serviceName: this.service.name,
      minTasks: scaling.minTasks,
      maxTasks: scaling.maxTasks,
      cpuTargetPercent: scaling.cpuTargetPercent,
      requestsPerTarget: {
        target: scaling.requestsPerTarget,
        loadBalancerArnSuffix: this.alb.arnSuffix,
        targetGroupArnSuffixes: targetGroups.map((tg) => tg.arnSuffix),
      },
      scaleOutCooldownSeconds: scaling.scaleOutCooldownSeconds,
      scaleInCooldownSeconds: scaling.scaleInCooldownSeconds,
      windows: scaling.schedules,
    });

    if (blueGreen && this.alb.greenTargetGroup && this.alb.testListener)
      this.blueGreen = new BlueGreenDeployment(this, "BlueGreen", {
        name: serviceName,
        region,
        clusterName: this.cluster.name,
        serviceName: this.service.name,
        productionListenerArns: [this.alb.productionListener.arn],
        testListenerArn: this.alb.testListener.arn,
        targetGroupNames: [this.alb.targetGroup.name, this.alb.greenTargetGroup.name],
        deploymentConfigName: blueGreen.trafficShift,
        terminationWaitMinutes: blueGreen.terminationWaitMinutes,
        alarmNames: rollbackAlarmNames,
      });

    const url = config.domain ? `https://${config.domain.name}` : `http://${this.alb.dnsName}`;
    this.outputs = {
      loadBalancer: {
        arn: this.alb.arn,
        arnSuffix: this.alb.arnSuffix,
        dnsName: this.alb.dnsName,
        zoneId: this.alb.zoneId,
        securityGroupId: this.alb.securityGroupId,
        productionListenerArn: this.alb.productionListener.arn,
        ...(this.alb.testListener ? { testListenerArn: this.alb.testListener.arn } : {}),
        ...(this.certificate ? { domainName: config.domain!.name } : {}),
        ...(origin === "publicAlb" ? { originTargetGroupArn: this.alb.targetGroup.arn } : {}),
      },
      url,
      clusterName: this.cluster.name,
      clusterArn: this.cluster.arn,
      serviceName: this.service.name,
      taskFamily: this.service.family,
      containerName: CONTAINER_NAME,
      containerPort: config.container.port,
      taskRoleArn: this.service.taskRole.arn,
      executionRoleArn: this.service.executionRole.arn,
      taskSecurityGroupIds: [this.service.securityGroupId, ...(data ? [data.clientSecurityGroupId] : [])],
      taskSubnetIds: network.privateSubnetIds,
      ...(this.service.migrationExecutionRole
        ? { migrationExecutionRoleArn: this.service.migrationExecutionRole.arn }
        : {}),
      taskDefinitionTemplate: this.service.taskDefinitionTemplate,
      ...(release ? { imageParameter: { name: release.name, arn: release.arn } } : {}),
      targetGroupNames: targetGroups.map((tg) => tg.name),
      deployment: this.deploymentOutputs(),
      webAclArn: this.waf.arn,
    };
    new TerraformOutput(this, "url", { value: url, description: "Where the application answers" });
    new TerraformOutput(this, "cluster_name", { value: this.cluster.name });
    new TerraformOutput(this, "service_name", { value: this.service.name });
    if (this.service.migrationTaskDefinition)
      new TerraformOutput(this, "migration_task_family", {
        value: this.service.migrationTaskDefinition.family,
        description:
          "Run once per release before the service (aws ecs run-task, the service's network configuration)",
      });
    new TerraformOutput(this, "task_role_arn", {
      value: this.service.taskRole.arn,
      description: "The identity the application signs in to AWS (and DocumentDB) as",
    });
  }

  /** The service module's deployment props for the configured mode. */
  private serviceDeployment(
    config: ServiceConfig,
    rollbackAlarmNames: string[],
  ): EcsServiceProps["deployment"] {
    const d = config.deployment;
    if (d.type !== "nativeBlueGreen") return d.type === "rolling" ? d : { type: "codeDeploy" };
    const { greenTargetGroup, productionRule, testRule } = this.alb;
    if (!greenTargetGroup || !productionRule || !testRule)
      throw new ModuleError(this.alb, "nativeBlueGreen needs the blue/green pair and both listener rules");
    return {
      type: "nativeBlueGreen",
      bakeTimeMinutes: d.bakeTimeMinutes,
      shift: d.shift,
      hooks: d.hooks,
      alternateTargetGroupArn: greenTargetGroup.arn,
      productionListenerRuleArn: productionRule.arn,
      testListenerRuleArn: testRule.arn,
      rollbackAlarmNames,
    };
  }

  /** What the pipeline needs to know about the release mode. */
  private deploymentOutputs(): EcsOutputs["deployment"] {
    if (this.blueGreen)
      return {
        type: "codeDeploy",
        applicationName: this.blueGreen.applicationName,
        deploymentGroupName: this.blueGreen.deploymentGroupName,
      };
    const { infrastructureRole, releasePolicy } = this.service;
    if (infrastructureRole && releasePolicy)
      return {
        type: "nativeBlueGreen",
        infrastructureRoleArn: infrastructureRole.arn,
        releasePolicyArn: releasePolicy.arn,
      };
    return { type: "rolling" };
  }

  /**
   * The release parameter: created with the configured image, then written only by the pipeline (Terraform
   * ignores its value), and read back for the task definition.
   */
  private releaseParameter(serviceName: string, initialImage: string) {
    const parameter = new SsmParameter(this, "ReleasedImage", {
      name: `/${this.names.project}/${this.names.environment}/app/image`,
      description: `Image ${serviceName} runs: the configured one until the first release, then each release's digest`,
      type: "String",
      insecureValue: initialImage,
      lifecycle: { ignoreChanges: ["insecure_value"] },
    });
    allowCheck(
      parameter,
      "CKV2_AWS_34",
      "an image reference is no secret, and a plain String keeps the running image visible in every plan (a SecureString value is hidden as sensitive)",
    );
    // Read at plan time: the value the last release wrote, not the one in state or config.
    const current = new DataAwsSsmParameter(this, "CurrentImage", {
      name: parameter.name,
      dependsOn: [parameter],
    });
    return { name: parameter.name, arn: parameter.arn, image: current.insecureValue };
  }
}
