// modules/dynamodb-table: CMK-encrypted, point-in-time recovery, deletion protection, on-demand or autoscaled.
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { DynamodbTable as DynamodbTableResource } from "@cdktf/provider-aws/lib/dynamodb-table";
import { DynamodbTable, type DynamodbTableProps } from "../../modules/dynamodb-table/dynamodb-table.ts";
import { itRefuses, moduleBuilder } from "../helpers.ts";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/k";
const MINIMAL: DynamodbTableProps = {
  tableName: "shop-test-orders",
  attributes: { pk: "S" },
  partitionKey: "pk",
  sortKey: undefined,
  indexes: [],
  ttlAttribute: undefined,
  capacity: { mode: "onDemand" },
  kmsKeyArn: KEY,
  protect: true,
  tags: {},
};
const PROVISIONED: DynamodbTableProps["capacity"] = {
  mode: "provisioned",
  read: { min: 5, max: 50 },
  write: { min: 2, max: 20 },
  targetUtilization: 70,
};

const table = moduleBuilder((s, p) => new DynamodbTable(s, "Table", p), MINIMAL);

it("is on demand, encrypted with the key, recoverable to a point in time and protected", () => {
  // GIVEN / WHEN a table with minimal props
  const built = table();
  // THEN nothing scales it, and the table is
  expect(built.all(AppautoscalingTarget)).toEqual([]);
  expect(built.one(DynamodbTableResource)).toMatchObject({
    name: "shop-test-orders",
    billing_mode: "PAY_PER_REQUEST",
    hash_key: "pk",
    point_in_time_recovery: { enabled: true },
    server_side_encryption: { enabled: true, kms_key_arn: KEY },
    deletion_protection_enabled: true,
    lifecycle: { prevent_destroy: true },
  });
});

it("expires items by the TTL attribute when one is named", () => {
  expect(table({ ttlAttribute: "expiresAt" }).text).toHaveResourceWithProperties(DynamodbTableResource, {
    ttl: { enabled: true, attribute_name: "expiresAt" },
  });
});

it("scales read and write of the table and of each index, and leaves capacity to autoscaling", () => {
  // GIVEN a provisioned table with one index
  const built = table({
    capacity: PROVISIONED,
    attributes: { pk: "S", gk: "S" },
    indexes: [{ name: "byGk", partitionKey: "gk", projection: "KEYS_ONLY" }],
  });
  // THEN
  expect(built.one(DynamodbTableResource)).toMatchObject({
    billing_mode: "PROVISIONED",
    read_capacity: 5,
    write_capacity: 2,
    global_secondary_index: [expect.objectContaining({ name: "byGk", read_capacity: 5, write_capacity: 2 })],
    lifecycle: { ignore_changes: ["read_capacity", "write_capacity"] },
  });
  expect(
    built
      .all(AppautoscalingTarget)
      .map((t) => [t.resource_id, t.scalable_dimension, t.min_capacity, t.max_capacity].map(String).join(" "))
      .sort(),
  ).toEqual([
    "table/shop-test-orders dynamodb:table:ReadCapacityUnits 5 50",
    "table/shop-test-orders dynamodb:table:WriteCapacityUnits 2 20",
    "table/shop-test-orders/index/byGk dynamodb:index:ReadCapacityUnits 5 50",
    "table/shop-test-orders/index/byGk dynamodb:index:WriteCapacityUnits 2 20",
  ]);
  expect(built.all(AppautoscalingPolicy)).toHaveLength(4);
});

itRefuses(table, "test/Table", [
  ["a key attribute that is not declared", { sortKey: "sk" }, 'key attribute "sk" is not declared'],
  [
    "a declared attribute that no key uses",
    { attributes: { pk: "S", extra: "N" } },
    'attribute "extra" is used by no key',
  ],
]);
