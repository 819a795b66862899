// A DynamoDB table: CMK-encrypted, point-in-time recovery, deletion protection, on-demand or autoscaled capacity.
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { DynamodbTable as DynamodbTableResource } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { ModuleError } from "../core/errors.ts";

export type AttributeType = "S" | "N" | "B";

export interface TableIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly projection: "ALL" | "KEYS_ONLY";
}

/** On demand, or provisioned with target-tracking autoscaling between min and max. */
export type TableCapacity =
  | { readonly mode: "onDemand" }
  | {
      readonly mode: "provisioned";
      readonly read: { readonly min: number; readonly max: number };
      readonly write: { readonly min: number; readonly max: number };
      readonly targetUtilization: number;
    };

export interface DynamodbTableProps {
  readonly tableName: string;
  /** Key attributes by name. Every key below must be declared here, and every declared attribute used. */
  readonly attributes: Readonly<Record<string, AttributeType>>;
  readonly partitionKey: string;
  readonly sortKey: string | undefined;
  readonly indexes: readonly TableIndex[];
  readonly ttlAttribute: string | undefined;
  readonly capacity: TableCapacity;
  readonly kmsKeyArn: string;
  /** Deletion protection and prevent_destroy. */
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** The table and, when provisioned, its read and write autoscaling (table and indexes). */
export class DynamodbTable extends Construct {
  public readonly resource: DynamodbTableResource;
  public readonly tableName: string;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: DynamodbTableProps) {
    super(scope, id);
    const declared = new Set(Object.keys(props.attributes));
    const keys = [
      props.partitionKey,
      props.sortKey,
      ...props.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ].filter((k): k is string => k !== undefined);
    for (const k of keys)
      if (!declared.has(k)) throw new ModuleError(this, `key attribute "${k}" is not declared`);
    for (const a of declared)
      if (!keys.includes(a)) throw new ModuleError(this, `attribute "${a}" is used by no key`);
    const cap = props.capacity;
    const provisioned = cap.mode === "provisioned";

    this.resource = new DynamodbTableResource(this, "Resource", {
      name: props.tableName,
      billingMode: provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
      hashKey: props.partitionKey,
      rangeKey: props.sortKey,
      attribute: Object.entries(props.attributes).map(([name, type]) => ({ name, type })),
      globalSecondaryIndex: props.indexes.map((ix) => ({
        name: ix.name,
        hashKey: ix.partitionKey,
        rangeKey: ix.sortKey,
        projectionType: ix.projection,
        ...(provisioned ? { readCapacity: cap.read.min, writeCapacity: cap.write.min } : {}),
      })),
      readCapacity: provisioned ? cap.read.min : undefined,
      writeCapacity: provisioned ? cap.write.min : undefined,
      ttl: props.ttlAttribute ? { enabled: true, attributeName: props.ttlAttribute } : undefined,
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: props.protect,
      tags: { ...props.tags },
      // Autoscaling owns the table's capacity once it exists.
      lifecycle: {
        preventDestroy: props.protect,
        ...(provisioned ? { ignoreChanges: ["read_capacity", "write_capacity"] } : {}),
      },
    });
    this.tableName = this.resource.name;
    this.arn = this.resource.arn;

    if (cap.mode === "provisioned") {
      const scaled: { id: string; resourceId: string; kind: "table" | "index" }[] = [
        { id: "Table", resourceId: `table/${props.tableName}`, kind: "table" },
        ...props.indexes.map((ix) => ({
          id: `Index-${ix.name}`,
          resourceId: `table/${props.tableName}/index/${ix.name}`,
          kind: "index" as const,
        })),
      ];
      for (const s of scaled)
        for (const dim of ["read", "write"] as const) {
          const unit = dim === "read" ? "Read" : "Write";
          const target = new AppautoscalingTarget(this, `${s.id}${unit}Scaling`, {
            serviceNamespace: "dynamodb",
            scalableDimension: `dynamodb:${s.kind}:${unit}CapacityUnits`,
            resourceId: s.resourceId,
            minCapacity: cap[dim].min,
            maxCapacity: cap[dim].max,
            dependsOn: [this.resource],
          });
          new AppautoscalingPolicy(this, `${s.id}${unit}ScalingPolicy`, {
            name: `${props.tableName}-${s.id.toLowerCase()}-${dim}`.slice(0, 255),
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            scalableDimension: target.scalableDimension,
            resourceId: target.resourceId,
            targetTrackingScalingPolicyConfiguration: {
              targetValue: cap.targetUtilization,
              predefinedMetricSpecification: { predefinedMetricType: `DynamoDB${unit}CapacityUtilization` },
            },
          });
        }
    }
  }
}
