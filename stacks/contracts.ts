// What each stack hands to the stacks after it. Values are Terraform tokens at synth time; cdktf turns a
// reference from one stack into another into a remote-state output by itself (design rule 3).
import type { StoreEngine } from "../environments/sections/data.ts";

/** Published by `shared`. */
export interface SharedOutputs {
  /** Repository URL by registry name (as in shared.yaml `registries[].name`). */
  readonly repositoryUrls: Readonly<Record<string, string>>;
  /** Repository ARN by registry name. */
  readonly repositoryArns: Readonly<Record<string, string>>;
  /** The public hosted zone, when shared.yaml has `dns`. */
  readonly zone?: { readonly id: string; readonly name: string };
  /** SNS topic every alarm is sent to. */
  readonly alertsTopicArn: string;
  /** The alerts topic's KMS key, which a pipeline's approval publishes with. @default - unknown: no approvals */
  readonly alertsKeyArn?: string;
  /** CodeStar (CodeConnections) connection, when shared.yaml has `source`. */
  readonly connectionArn?: string;
}

/** Published by `<env>-network`. Lists are in AZ order. */
export interface NetworkOutputs {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  /** Load balancers and NAT gateways. */
  readonly publicSubnetIds: readonly string[];
  /** Application tasks and instances; default route to NAT (when NAT is on). */
  readonly privateSubnetIds: readonly string[];
  /** Databases and caches; no route to the internet at all. */
  readonly isolatedSubnetIds: readonly string[];
  readonly privateRouteTableIds: readonly string[];
  readonly isolatedRouteTableIds: readonly string[];
  /** Security group of the interface VPC endpoints, when any exist. */
  readonly endpointSecurityGroupId?: string;
  /** Security group of the bastion, when there is one: the data stores admit it for port forwarding. */
  readonly bastionSecurityGroupId?: string;
}

/** One data store as the application sees it. Never a password: only the ARN of the secret that holds it. */
export interface DataStoreOutput {
  /** The store's name in config (e.g. `main`, `cache`). */
  readonly name: string;
  readonly engine: StoreEngine;
  readonly endpoint: string;
  readonly readerEndpoint?: string;
  readonly port: number;
  readonly databaseName?: string;
  /**
   * The master user's Secrets Manager secret (JSON with `username` and `password`), rotated every 7 days; databases
   * only. The migration task reads it; the service only with `appAuthentication: "secret"`.
   */
  readonly secretArn?: string;
  /** Databases: how the service signs in, as the environment file chose. */
  readonly appAuthentication?: "iam" | "secret";
  /**
   * The application authenticates with an IAM token (SigV4, 15 minutes), so no password exists anywhere: as
   * `userName` (caches, RDS, Aurora) or as its task role (DocumentDB, no `userName`). Its task role needs
   * `elasticache:Connect` (caches) or `rds-db:connect` (RDS, Aurora) on `connectArns`.
   */
  readonly iamAuth?: { readonly userName?: string; readonly connectArns: readonly string[] };
}

/** Published by `<env>-db`. */
export interface DbOutputs {
  /**
   * Security group the application attaches to reach the data stores: every store admits this group, and only
   * it, on its own port. Owned by the data stack so that the ECS stack depends on the data stack and not back.
   */
  readonly clientSecurityGroupId: string;
  readonly stores: readonly DataStoreOutput[];
  /** DynamoDB tables by config name. */
  readonly tables: readonly { readonly name: string; readonly tableName: string; readonly arn: string }[];
  /** KMS keys the application must be allowed to decrypt with (secrets, tables). */
  readonly kmsKeyArns: readonly string[];
}

/** Published by `<env>-ecs`: what the frontend (CDN origin) and the pipeline (releases) need. */
export interface EcsOutputs {
  readonly loadBalancer: {
    readonly arn: string;
    /** `app/<name>/<id>`: the CloudWatch `LoadBalancer` dimension. */
    readonly arnSuffix: string;
    readonly dnsName: string;
    /** Route 53 zone id of the load balancer, for alias records. */
    readonly zoneId: string;
    readonly securityGroupId: string;
    /** The listener users reach (HTTPS with a domain, else HTTP). */
    readonly productionListenerArn: string;
    /** The blue/green test listener (codeDeploy and nativeBlueGreen deployments). */
    readonly testListenerArn?: string;
    /** Its own DNS name with a certificate (service.domain): the name CloudFront reaches it by over HTTPS. */
    readonly domainName?: string;
    /**
     * The production target group, when the production listener answers 403 by default and the frontend stack
     * adds the rule that forwards requests carrying its secret origin header (frontend `publicAlb` mode).
     */
    readonly originTargetGroupArn?: string;
  };
  /** The application's URL: https://<domain> or http://<load balancer DNS name>. */
  readonly url: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly serviceName: string;
  /** Task definition family and the container the pipeline replaces the image of. */
  readonly taskFamily: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly taskRoleArn: string;
  readonly executionRoleArn: string;
  /** What a one-off task of the service (a migration) runs with: the tasks' security groups and subnets. */
  readonly taskSecurityGroupIds: readonly string[];
  /** The task definition as `ecs register-task-definition` takes it, image `<IMAGE1_NAME>` (CodeDeploy releases). */
  readonly taskDefinitionTemplate: string;
  readonly taskSubnetIds: readonly string[];
  /**
   * The migration task's execution role, when the data stack gives it master secrets: a release passes it to the
   * `<family>-migrate` revision it registers. @default - the migration runs with the service's roles
   */
  readonly migrationExecutionRoleArn?: string;
  /**
   * The SSM parameter holding the image the service runs, when a pipeline releases it: the pipeline writes each
   * released digest there, and the stack reads it back for the task definition.
   */
  readonly imageParameter?: { readonly name: string; readonly arn: string };
  /** Target group names: one for rolling, blue then green for blue/green. */
  readonly targetGroupNames: readonly string[];
  readonly deployment:
    | { readonly type: "rolling" }
    | {
        readonly type: "codeDeploy";
        /** Owned by the ECS stack, next to the target groups and listeners it switches. */
        readonly applicationName: string;
        readonly deploymentGroupName: string;
      }
    | {
        readonly type: "nativeBlueGreen";
        /** The role ECS moves the listener rules with; a release principal passes it only to ECS. */
        readonly infrastructureRoleArn: string;
        /** Managed policy for the release principal: update this service and pass its roles. */
        readonly releasePolicyArn: string;
      };
  /** The web ACL on the load balancer. */
  readonly webAclArn: string;
}

/** Published by `<env>-frontend`: what the pipeline needs to release the single-page app. */
export interface FrontendOutputs {
  /** Where the build is uploaded (SSE-KMS with `kmsKeyArn`: the uploader needs kms:GenerateDataKey on it). */
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  /** Invalidate here after each upload: `/index.html` for a single-page app, `/*` for an app's static files. */
  readonly distributionId: string;
  readonly distributionArn: string;
  /** https://<domain> or https://<distribution>.cloudfront.net. */
  readonly url: string;
  /**
   * What the bucket holds: `site`, a single-page app published after the service's deploy (the API it calls is live
   * first); `app`, the service's static files (frontend.defaultOrigin app), uploaded before the deploy so the new
   * version's pages find them, and pruned after it.
   */
  readonly content: "site" | "app";
}
