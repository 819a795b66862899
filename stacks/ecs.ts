// `<env>-ecs`: the running application: load balancer with certificate and DNS name, web application firewall,
// ECS cluster and capacity, task and service, autoscaling, blue/green releases and alarms.
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Annotations, TerraformOutput, type TerraformProvider } from "cdktf";
import type { Construct } from "constructs";
import type { ServiceConfig } from "../environments/sections/service.ts";
import { allowCheck } from "../guardrails/exceptions.ts";
import { Alarm, type AlarmProps } from "../modules/alarm/alarm.ts";
import { Alb } from "../modules/alb/alb.ts";
import { BlueGreenDeployment } from "../modules/blue-green-deployment/blue-green-deployment.ts";
import { Certificate } from "../modules/certificate/certificate.ts";
import { dnsSuffixOf, partitionOf } from "../modules/core/aws.ts";
import { resourceName } from "../modules/core/naming.ts";
import { EcsCluster } from "../modules/ecs-cluster/ecs-cluster.ts";
import { EcsService, type ContainerSecret } from "../modules/ecs-service/ecs-service.ts";
import { KmsKey } from "../modules/kms-key/kms-key.ts";
import { ServiceScaling } from "../modules/service-scaling/service-scaling.ts";
import { Waf } from "../modules/waf/waf.ts";
import type { DbOutputs, EcsOutputs, NetworkOutputs, SharedOutputs } from "./contracts.ts";
import { BaseStack, type StackFrameProps } from "./base-stack.ts";

/** The account and region that hold the shared hosted zone. */
export interface DnsAccount {
  readonly id: string;
  readonly region: string;
  /** Role to assume there for the DNS records. @default - the caller's credentials */
  readonly roleArn?: string;
}

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
}

/** The one warning synth prints for an environment without a domain. */
export const NO_DOMAIN_WARNING =
  "service.domain is not set: the load balancer serves plain HTTP on its AWS name (no certificate, no redirect); set a domain for anything but a sandbox";

/** Checkov's CKV_AWS_338 wants a year of logs. */
const CHECKOV_MIN_LOG_RETENTION_DAYS = 365;
/** The name of the application container in the task definition (the pipeline's imagedefinitions refer to it). */
export const CONTAINER_NAME = "app";

/** Alarms that stop a blue/green release and roll it back. */
const ROLLBACK_ALARMS = ["LoadBalancer5xx", "Target5xx", "UnhealthyHosts", "UnhealthyHostsGreen"];

// A Secrets Manager ARN up to the random suffix; anything after it selects a JSON key, stage or version.
const SECRET_BASE_ARN = /^(arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:[^:]+)(:.*)?$/;

/** The application of one environment. */
export class EcsStack extends BaseStack {
  public readonly outputs: EcsOutputs;
  public readonly alb: Alb;
  public readonly waf: Waf;
  public readonly cluster: EcsCluster;
  public readonly service: EcsService;
  public readonly scaling: ServiceScaling;
  public readonly certificate?: Certificate;
  public readonly blueGreen?: BlueGreenDeployment;
  /** Alarms by id: CpuHigh, MemoryHigh, LoadBalancer5xx, Target5xx, UnhealthyHosts[Green], ResponseTimeP95. */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;

  constructor(scope: Construct, id: string, props: EcsStackProps) {
    super(scope, id, props.frame);
    const { config, frame, network, shared, data } = props;
    const region = frame.region;
    const accountId = frame.account.id;
    const partition = partitionOf(region);
    const blueGreen = config.deployment.type === "codeDeploy" ? config.deployment : undefined;
    const clusterName = resourceName(this.names, "ecs", { maxLength: 255 });
    const serviceName = resourceName(this.names, "app", { maxLength: 255 });

    const logsKey = new KmsKey(this, "LogsKey", {
      alias: resourceName(this.names, "ecs-logs", { maxLength: 250 }),
      description: `Encrypts ${serviceName}'s container, ECS Exec and WAF logs, and ECS Exec sessions`,
      accountId,
      region,
      protect: this.protect,
      services: [
        {
          service: `logs.${region}.${dnsSuffixOf(region)}`,
          condition: {
            ArnLike: {
              "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*`,
            },
          },
        },
      ],
    });

    // DNS: certificate validation and alias records go to the shared zone, possibly in the shared account.
    const zone = config.domain ? shared.zone : undefined;
    if (config.domain && !zone)
      Annotations.of(this).addError(
        "service.domain is set but the shared stack publishes no hosted zone (shared.yaml dns)",
      );
    const dnsProvider = zone ? this.dnsProvider(props.dnsAccount) : undefined;
    if (config.domain && zone)
      this.certificate = new Certificate(this, "Certificate", {
        domainName: config.domain.name,
        alternativeNames: config.domain.aliases,
        zoneId: zone.id,
        ...(dnsProvider ? { dnsProvider } : {}),
      });
    else Annotations.of(this).addWarning(NO_DOMAIN_WARNING);

    const lb = config.loadBalancer;
    this.alb = new Alb(this, "LoadBalancer", {
      name: resourceName(this.names, "app", { maxLength: 32 }),
      targetGroupPrefix: resourceName(this.names, "app", { maxLength: 26 }),
      vpcId: network.vpcId,
      subnetIds: network.publicSubnetIds,
      region,
      accountId,
      logBucketName: resourceName(this.names, ["alb-logs", accountId, region], { maxLength: 63 }),
      accessLogDays: lb.accessLogDays,
      protect: this.protect,
      deletionProtection: lb.deletionProtection,
      ingress: lb.ingress,
      ...(this.certificate ? { certificateArn: this.certificate.arn } : {}),
      sslPolicy: lb.sslPolicy,
      targetPort: config.container.port,
      healthCheck: config.healthCheck,
      idleTimeoutSeconds: lb.idleTimeoutSeconds,
      ...(blueGreen
        ? {
            blueGreen: {
              testListenerPort: blueGreen.testListenerPort,
              testTrafficCidrs: blueGreen.testTrafficCidrs,
            },
          }
        : {}),
    });
    this.exceptionsForLoadBalancer(config);

    if (this.certificate && zone)
      [config.domain!.name, ...config.domain!.aliases].forEach((name, i) => {
        new Route53Record(this, i === 0 ? "AliasRecord" : `AliasRecord${i}`, {
          zoneId: zone.id,
          name,
          type: "A",
          alias: { name: this.alb.dnsName, zoneId: this.alb.zoneId, evaluateTargetHealth: true },
          ...(dnsProvider ? { provider: dnsProvider } : {}),
        });
      });

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
    const repositoryArn = image.repository ? shared.repositoryArns[image.repository] : undefined;
    const imageRef = image.repository
      ? `${shared.repositoryUrls[image.repository]}:${image.tag}`
      : image.image!;
    const injected = config.container.injectDataStores
      ? dataStoreVariables(data)
      : { environment: {}, secrets: [] };
    const ownSecrets = Object.entries(config.container.secrets).map(([name, arn]) => toSecret(name, arn));
    const ownNames = new Set([
      ...Object.keys(config.container.environment),
      ...ownSecrets.map((s) => s.name),
    ]);
    const scaling = config.scaling;
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
        // What the file says wins over a variable injected from the data stack under the same name.
        environment: {
          ...Object.fromEntries(Object.entries(injected.environment).filter(([k]) => !ownNames.has(k))),
          ...config.container.environment,
        },
        secrets: [...injected.secrets.filter((s) => !ownNames.has(s.name)), ...ownSecrets],
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
      deployment: config.deployment.type === "rolling" ? config.deployment : { type: "codeDeploy" },
      ...(config.execCommand
        ? { execCommand: { logGroupArn: this.cluster.execLogGroup.arn, kmsKeyArn: logsKey.arn } }
        : {}),
      decryptKeyArns: data?.kmsKeyArns ?? [],
      dynamodbTableArns: data?.tables.map((t) => t.arn) ?? [],
      elasticacheConnectArns: data?.stores.flatMap((s) => s.iamAuth?.connectArns ?? []) ?? [],
      dependsOn: [this.alb.productionListener, ...(this.alb.testListener ? [this.alb.testListener] : [])],
    });
    this.shortRetention(this.service.logGroup, config.logging.retentionDays, "service.logging.retentionDays");
    if (!config.container.readOnlyRootFilesystem)
      allowCheck(
        this.service.taskDefinition,
        "CKV_AWS_336",
        "service.container.readOnlyRootFilesystem is false in this environment's file: the image writes outside its writable paths",
      );

    this.scaling = new ServiceScaling(this, "Scaling", {
      name: serviceName,
      clusterName: this.cluster.name,
      serviceName: this.service.name,
      minTasks: scaling.minTasks,
      maxTasks: scaling.maxTasks,
      cpuTargetPercent: scaling.cpuTargetPercent,
      requestsPerTarget: {
        target: scaling.requestsPerTarget,
        resourceLabel: `${this.alb.arnSuffix}/${this.alb.targetGroup.arnSuffix}`,
      },
      scaleOutCooldownSeconds: scaling.scaleOutCooldownSeconds,
      scaleInCooldownSeconds: scaling.scaleInCooldownSeconds,
      windows: scaling.schedules,
    });

    this.alarms = this.createAlarms(config, serviceName, shared.alertsTopicArn);

    const targetGroupNames = [
      this.alb.targetGroup.name,
      ...(this.alb.greenTargetGroup ? [this.alb.greenTargetGroup.name] : []),
    ];
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
        // A release that makes the load balancer answer 5xx or lose healthy tasks is rolled back.
        alarmNames: ROLLBACK_ALARMS.flatMap((a) => (this.alarms[a] ? [this.alarms[a].alarmName] : [])),
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
      targetGroupNames,
      deployment: this.blueGreen
        ? {
            type: "codeDeploy",
            applicationName: this.blueGreen.applicationName,
            deploymentGroupName: this.blueGreen.deploymentGroupName,
          }
        : { type: "rolling" },
      webAclArn: this.waf.arn,
    };
    new TerraformOutput(this, "url", { value: url, description: "Where the application answers" });
    new TerraformOutput(this, "cluster_name", { value: this.cluster.name });
    new TerraformOutput(this, "service_name", { value: this.service.name });
  }

  /** A provider for the hosted zone's account, or undefined when the zone is in this stack's own account. */
  private dnsProvider(dns: DnsAccount | undefined): TerraformProvider | undefined {
    if (!dns || dns.id === this.frame.account.id) return undefined;
    return this.aliasProvider("dns", {
      account: dns.id,
      region: dns.region,
      ...(dns.roleArn ? { roleArn: dns.roleArn } : {}),
    });
  }

  /** The Checkov exceptions the load balancer's configuration makes deliberate. */
  private exceptionsForLoadBalancer(config: ServiceConfig): void {
    const alb = this.alb;
    const bucket = alb.logBucket.bucket;
    allowCheck(bucket, "CKV_AWS_145", "ALB access-log delivery supports only SSE-S3 (AES256), not SSE-KMS");
    allowCheck(
      bucket,
      "CKV_AWS_18",
      "this bucket is itself a log destination; access-logging it would only produce logs about logs",
    );
    if (!config.loadBalancer.deletionProtection)
      allowCheck(
        alb.loadBalancer,
        "CKV_AWS_150",
        "service.loadBalancer.deletionProtection is false in this environment's file: a disposable environment",
      );
    for (const rule of alb.node.findChild("Ingress").node.children)
      // Checkov flags 0.0.0.0/0 and a prefix list on port 80, not ::/0.
      if (/^(Ipv4|CloudFront)Port80$/.test(rule.node.id))
        allowCheck(
          rule as VpcSecurityGroupIngressRule,
          "CKV_AWS_260",
          config.loadBalancer.ingress === "internet"
            ? "an internet-facing load balancer must accept HTTP on 80 to redirect browsers to HTTPS (or, without a domain, to serve at all)"
            : "the source is CloudFront's managed prefix list, not 0.0.0.0/0 (Checkov reads a rule without a CIDR as open); HTTP because there is no domain",
        );
    if (!alb.https) {
      for (const tg of [alb.targetGroup, ...(alb.greenTargetGroup ? [alb.greenTargetGroup] : [])])
        allowCheck(
          tg,
          "CKV_AWS_378",
          "without service.domain the whole path is HTTP; set a domain to get HTTPS at the load balancer",
        );
      allowCheck(alb.productionListener, "CKV_AWS_2", `${NO_DOMAIN_WARNING} (synth warns about it)`);
      allowCheck(
        alb.productionListener,
        "CKV_AWS_103",
        "without service.domain there is no certificate, so no TLS policy applies",
      );
      allowCheck(
        alb.loadBalancer,
        "CKV2_AWS_20",
        "without service.domain there is no HTTPS listener to redirect to",
      );
      if (alb.testListener) {
        allowCheck(
          alb.testListener,
          "CKV_AWS_2",
          "without service.domain the blue/green test listener is HTTP like production",
        );
        allowCheck(
          alb.testListener,
          "CKV_AWS_103",
          "without service.domain there is no certificate, so no TLS policy applies",
        );
      }
    }
  }

  private shortRetention(group: CloudwatchLogGroup, days: number, key: string): void {
    if (days < CHECKOV_MIN_LOG_RETENTION_DAYS)
      allowCheck(
        group,
        "CKV_AWS_338",
        `retention is ${days} days by ${key} in this environment's file (cost); raise it where audits need a year`,
      );
  }

  /** Service CPU and memory, load balancer and target 5xx, unhealthy tasks, p95 response time. */
  private createAlarms(
    config: ServiceConfig,
    serviceName: string,
    topicArn: string,
  ): Record<string, CloudwatchMetricAlarm> {
    const a = config.alarms;
    const common = {
      actionArns: [topicArn],
      periodSeconds: a.periodSeconds,
      evaluationPeriods: a.evaluationPeriods,
      datapointsToAlarm: a.datapointsToAlarm,
    };
    const ecs = { ClusterName: this.cluster.name, ServiceName: this.service.name };
    const lbDim = { LoadBalancer: this.alb.arnSuffix };
    const name = (what: string) => resourceName(this.names, ["app", what], { maxLength: 255 });
    const defs: [string, AlarmProps][] = [
      [
        "CpuHigh",
        {
          ...common,
          alarmName: name("cpu-high"),
          description: `${serviceName}: average CPU above ${a.cpuPercent}%`,
          namespace: "AWS/ECS",
          metricName: "CPUUtilization",
          dimensions: ecs,
          statistic: "Average",
          comparison: "GreaterThanThreshold",
          threshold: a.cpuPercent,
        },
      ],
      [
        "MemoryHigh",
        {
          ...common,
          alarmName: name("memory-high"),
          description: `${serviceName}: average memory above ${a.memoryPercent}%`,
          namespace: "AWS/ECS",
          metricName: "MemoryUtilization",
          dimensions: ecs,
          statistic: "Average",
          comparison: "GreaterThanThreshold",
          threshold: a.memoryPercent,
        },
      ],
      [
        "LoadBalancer5xx",
        {
          ...common,
          alarmName: name("alb-5xx"),
          description: `${serviceName}: the load balancer answered 5xx more than ${a.http5xxCount} times per period (no healthy task, timeouts)`,
          namespace: "AWS/ApplicationELB",
          metricName: "HTTPCode_ELB_5XX_Count",
          dimensions: lbDim,
          statistic: "Sum",
          comparison: "GreaterThanThreshold",
          threshold: a.http5xxCount,
          treatMissingData: "notBreaching",
        },
      ],
      [
        "Target5xx",
        {
          ...common,
          alarmName: name("target-5xx"),
          description: `${serviceName}: the application answered 5xx more than ${a.http5xxCount} times per period`,
          namespace: "AWS/ApplicationELB",
          metricName: "HTTPCode_Target_5XX_Count",
          dimensions: lbDim,
          statistic: "Sum",
          comparison: "GreaterThanThreshold",
          threshold: a.http5xxCount,
          treatMissingData: "notBreaching",
        },
      ],
    ];
    const groups = [this.alb.targetGroup, ...(this.alb.greenTargetGroup ? [this.alb.greenTargetGroup] : [])];
    groups.forEach((tg, i) =>
      defs.push([
        i === 0 ? "UnhealthyHosts" : "UnhealthyHostsGreen",
        {
          ...common,
          alarmName: name(i === 0 ? "unhealthy-hosts" : "unhealthy-hosts-green"),
          description: `${serviceName}: more than ${a.unhealthyHosts} unhealthy task(s) in a target group`,
          namespace: "AWS/ApplicationELB",
          metricName: "UnHealthyHostCount",
          dimensions: { ...lbDim, TargetGroup: tg.arnSuffix },
          statistic: "Maximum",
          comparison: "GreaterThanThreshold",
          threshold: a.unhealthyHosts,
          treatMissingData: "notBreaching",
        },
      ]),
    );
    const alarms: Record<string, CloudwatchMetricAlarm> = Object.fromEntries(
      defs.map(([id, p]) => [id, new Alarm(this, `Alarm${id}`, p).resource]),
    );
    // A percentile needs extended_statistic, which the shared Alarm module does not take.
    alarms.ResponseTimeP95 = new CloudwatchMetricAlarm(this, "AlarmResponseTimeP95", {
      alarmName: name("p95-response-time"),
      alarmDescription: `${serviceName}: 95th percentile response time above ${a.p95ResponseSeconds} s`,
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      dimensions: lbDim,
      extendedStatistic: "p95",
      period: a.periodSeconds,
      evaluationPeriods: a.evaluationPeriods,
      datapointsToAlarm: a.datapointsToAlarm,
      comparisonOperator: "GreaterThanThreshold",
      threshold: a.p95ResponseSeconds,
      treatMissingData: "notBreaching",
      alarmActions: [topicArn],
      okActions: [topicArn],
    });
    return alarms;
  }
}

/** A config secret ARN as the service module wants it: the IAM resource, and the full reference ECS fetches. */
export function toSecret(name: string, arn: string): ContainerSecret {
  const m = SECRET_BASE_ARN.exec(arn);
  if (m) return { name, source: "secretsmanager", arn: m[1]!, valueFrom: arn };
  return { name, source: "ssm", arn };
}

/**
 * `<STORE>_HOST`/`_PORT`/`_DATABASE` variables per data store, `_USERNAME`/`_PASSWORD` secrets for a database, and
 * the `_USERNAME` of a cache's IAM user; `TABLE_<NAME>` per DynamoDB table.
 */
export function dataStoreVariables(data: DbOutputs | undefined): {
  environment: Record<string, string>;
  secrets: ContainerSecret[];
} {
  const environment: Record<string, string> = {};
  const secrets: ContainerSecret[] = [];
  for (const s of data?.stores ?? []) {
    const p = s.name.toUpperCase().replace(/-/g, "_");
    environment[`${p}_HOST`] = s.endpoint;
    environment[`${p}_PORT`] = String(s.port);
    if (s.readerEndpoint) environment[`${p}_READER_HOST`] = s.readerEndpoint;
    if (s.databaseName) environment[`${p}_DATABASE`] = s.databaseName;
    // Caches sign in with an IAM token for this user: the name is not a secret, and no password exists.
    if (s.iamAuth) environment[`${p}_USERNAME`] = s.iamAuth.userName;
    if (!s.secretArn) continue;
    for (const key of ["username", "password"])
      secrets.push({
        name: `${p}_${key.toUpperCase()}`,
        source: "secretsmanager",
        arn: s.secretArn,
        // RDS-managed and our own secrets are JSON; ECS picks one key: <arn>:<key>:<stage>:<version>.
        valueFrom: `${s.secretArn}:${key}::`,
      });
  }
  for (const t of data?.tables ?? [])
    environment[`TABLE_${t.name.toUpperCase().replace(/-/g, "_")}`] = t.tableName;
  return { environment, secrets };
}
