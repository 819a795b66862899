// The `data:` section: production-grade defaults, and one positioned line for every kind of bad input.
import { expectTypeOf } from "vitest";
import type { DataConfig, StoreConfig } from "../environments/sections/data.ts";
import { devFiles, lines } from "./helpers.ts";

// Four lines, then `network:` on line 5 and `data:` on line 7: the data section's first key is on line 8.
const NETWORK = "network:\n  cidr: 10.10.0.0/16\n";
const { env, problems } = devFiles(`${NETWORK}data:\n`);
/** The data section of a dev.yaml with this `data:` body. */
const data = (section: string): DataConfig | undefined => env(section).data;

const store = (fields: string) => `  stores:\n    - name: main\n${fields.replace(/^/gm, "      ")}\n`;

describe("the data section's defaults", () => {
  it("gives an environment without a data section no data config", () => {
    expect(devFiles().env(NETWORK).data).toBeUndefined();
  });

  it("makes a PostgreSQL store Multi-AZ with 14 days of backups by default", () => {
    expect(data(store("engine: postgres"))!.stores[0]).toMatchObject({
      engine: "postgres",
      version: "16",
      multiAz: true,
      port: 5432,
      backupRetentionDays: 14,
    });
  });

  it("gives a Redis cache one replica and Multi-AZ failover by default", () => {
    expect(data(store("engine: redis"))!.stores[0]).toMatchObject({ replicas: 1, multiAz: true, port: 6379 });
  });

  it("keeps 35 daily and 365 monthly recovery points by default", () => {
    expect(data(store("engine: postgres"))!.backup).toMatchObject({
      dailyRetentionDays: 35,
      monthlyRetentionDays: 365,
    });
  });

  it("bills a DynamoDB table on demand by default", () => {
    const d = data("  tables:\n    - name: orders\n      attributes: { id: S }\n      partitionKey: id\n")!;
    expect(d.tables[0]!.capacity).toEqual({ mode: "onDemand" });
  });

  it("types stores as a union discriminated by engine", () => {
    expectTypeOf<StoreConfig["engine"]>().toEqualTypeOf<
      "postgres" | "mysql" | "aurora-postgresql" | "aurora-mysql" | "docdb" | "redis" | "valkey"
    >();
  });
});

describe("bad data input gets one line with file, line, column and key path", () => {
  const TABLE = "  tables:\n    - name: orders\n      attributes: { id: S }\n      partitionKey: id\n";
  it.each<[string, string, string | RegExp]>([
    [
      "an unknown engine",
      store("engine: oracle"),
      /^dev\.yaml:10:\d+ data\.stores\.0\.engine: "oracle" is not a supported engine; use one of postgres, /,
    ],
    [
      "an engine version outside the supported list",
      store('engine: postgres\nversion: "9.6"'),
      /^dev\.yaml:11:\d+ data\.stores\.0\.version: "9\.6" is not a supported postgres version; use one of "14", "15", "16", "17"$/,
    ],
    [
      "an unquoted version, saying it must be quoted",
      store("engine: postgres\nversion: 16"),
      'dev.yaml:11:16 data.stores.0.version: must be quoted: write version: "16" (unquoted, YAML reads it as the number 16)',
    ],
    [
      "an unquoted 8.0, naming the quoted version YAML's number reading lost",
      store("engine: mysql\nversion: 8.0"),
      'dev.yaml:11:16 data.stores.0.version: must be quoted: write version: "8.0" (unquoted, YAML reads it as the number 8)',
    ],
    [
      "a key of another engine, saying which engines take it",
      store("engine: postgres\nreplicas: 2"),
      "dev.yaml:11:7 data.stores.0.replicas: is not a key for engine postgres; only engine redis or valkey takes it",
    ],
    [
      "a misplaced key, naming the nested key it belongs to",
      store("engine: aurora-postgresql\ninstanceClass: db.r6g.large"),
      "dev.yaml:11:7 data.stores.0.instanceClass: is not a key here; did you mean compute.instanceClass?",
    ],
    [
      "an unknown key, suggesting the closest key of the store's own engine",
      store("engine: postgres\ninstanceclass: db.t4g.small"),
      'dev.yaml:11:7 data.stores.0.instanceclass: unknown key; did you mean "instanceClass"?',
    ],
    [
      "more Aurora readers than the autoscaling maximum",
      store("engine: aurora-mysql\nreaders: 5\nautoscaling:\n  maxReaders: 3"),
      /^dev\.yaml:11:\d+ data\.stores\.0\.readers: 5 readers is above the maximum of 3/,
    ],
    [
      "more Aurora readers than Aurora allows",
      store("engine: aurora-postgresql\nreaders: 16"),
      /^dev\.yaml:11:\d+ data\.stores\.0\.readers: 16 readers is above the maximum of 15$/,
    ],
    [
      "an RDS backup retention above 35 days",
      store("engine: postgres\nbackupRetentionDays: 36"),
      /^dev\.yaml:11:\d+ data\.stores\.0\.backupRetentionDays: 36 is out of range: must be at most 35$/,
    ],
    [
      "a negative RDS backup retention",
      store("engine: mysql\nbackupRetentionDays: -1"),
      /^dev\.yaml:11:\d+ data\.stores\.0\.backupRetentionDays: -1 is out of range: must be at least 0$/,
    ],
    [
      "a DynamoDB key attribute that is not declared",
      `${TABLE}      sortKey: createdAt\n`,
      /^dev\.yaml:12:\d+ data\.tables\.0\.sortKey: key attribute "createdAt" is not declared under attributes \(id\)$/,
    ],
    [
      "a Multi-AZ cache with zero replicas",
      store("engine: redis\nreplicas: 0"),
      /^dev\.yaml:11:\d+ data\.stores\.0\.replicas: a Multi-AZ cache needs at least one replica/,
    ],
    [
      "two stores with the same name",
      `  stores:\n    - { name: main, engine: postgres }\n    - { name: main, engine: redis }\n`,
      /^dev\.yaml:10:\d+ data\.stores\.1\.name: "main" is declared twice$/,
    ],
    [
      "backup retention the vault lock would reject",
      `${store("engine: postgres")}  backup:\n    monthlyRetentionDays: 1095\n    vaultLock:\n      maxRetentionDays: 365\n`,
      /^dev\.yaml:12:\d+ data\.backup\.monthlyRetentionDays: 1095 is outside the vault lock's 7-365 days/,
    ],
    [
      "a lower bound above the upper one in a provisioned table's read capacity",
      `${TABLE}      capacity:\n        mode: provisioned\n        read: { min: 50, max: 10 }\n`,
      /^dev\.yaml:14:\d+ data\.tables\.0\.capacity\.read\.min: min \(50\) must be ≤ max \(10\)$/,
    ],
    [
      "a lower bound above the upper one in Aurora reader autoscaling",
      store("engine: aurora-mysql\nreaders: 3\nautoscaling:\n  minReaders: 3\n  maxReaders: 2"),
      /^dev\.yaml:13:\d+ data\.stores\.0\.autoscaling\.minReaders: minReaders \(3\) must be ≤ maxReaders \(2\)$/,
    ],
    [
      "a lower bound above the upper one in Aurora Serverless v2 capacity",
      store("engine: aurora-postgresql\ncompute:\n  mode: serverless\n  minCapacity: 8\n  maxCapacity: 4"),
      /^dev\.yaml:13:\d+ data\.stores\.0\.compute\.minCapacity: minCapacity \(8\) must be ≤ maxCapacity \(4\)$/,
    ],
    [
      "a lower bound above the upper one in the vault lock's retention range",
      `${store("engine: postgres")}  backup:\n    dailyRetentionDays: 35\n    monthlyRetentionDays: 35\n    vaultLock:\n      minRetentionDays: 400\n      maxRetentionDays: 30\n`,
      /^dev\.yaml:15:\d+ data\.backup\.vaultLock\.minRetentionDays: minRetentionDays \(400\) must be ≤ maxRetentionDays \(30\)$/,
    ],
    [
      "a Unix cron as a backup schedule, showing its AWS form",
      `${store("engine: postgres")}  backup:\n    dailySchedule: cron(0 3 * * *)\n`,
      'dev.yaml:12:20 data.backup.dailySchedule: "cron(0 3 * * *)" is a Unix cron (five fields); AWS cron has six, with ? in day-of-month or day-of-week: cron(0 3 * * ? *)',
    ],
    [
      "a rate as a backup schedule, which AWS Backup does not take",
      `${store("engine: postgres")}  backup:\n    monthlySchedule: rate(30 days)\n`,
      'dev.yaml:12:22 data.backup.monthlySchedule: "rate(30 days)": rate(...) is not accepted here; use cron(...), e.g. cron(0 7 ? * MON-FRI *)',
    ],
    [
      "a misspelt size, with the size meant",
      store("engine: postgres\ninstanceClass: db.t4g.mediun"),
      'dev.yaml:11:22 data.stores.0.instanceClass: "db.t4g.mediun" is not offered for postgres: db.t4g comes in micro, small, medium, large, xlarge or 2xlarge; did you mean db.t4g.medium?',
    ],
    [
      "a family the engine version no longer runs, with a current one",
      store('engine: postgres\nversion: "16"\ninstanceClass: db.t2.micro'),
      'dev.yaml:12:22 data.stores.0.instanceClass: "db.t2.micro" cannot be used with postgres 16: RDS for PostgreSQL 13 and later no longer run on db.t2; use db.t4g.micro or another current family',
    ],
    [
      "a retired cache node type",
      store("engine: redis\nnodeType: cache.t2.small"),
      'dev.yaml:11:17 data.stores.0.nodeType: "cache.t2.small" cannot be used with redis 7.1: ElastiCache no longer creates clusters on cache.t2 nodes; use cache.t4g.small or another current family',
    ],
    [
      "a size Aurora does not offer",
      store("engine: aurora-mysql\ncompute: { mode: provisioned, instanceClass: db.t3.micro }"),
      'dev.yaml:11:52 data.stores.0.compute.instanceClass: "db.t3.micro" is not offered for aurora-mysql: db.t3 comes in medium or large',
    ],
    [
      "a family DocumentDB does not run",
      store("engine: docdb\ninstanceClass: db.m6g.large"),
      /^dev\.yaml:11:22 data\.stores\.0\.instanceClass: "db\.m6g\.large" is not offered for docdb: docdb runs the instance class families t3, t4g, r5, r6g, r6gd or r8g; did you mean db\.r6g\.large\?$/,
    ],
    [
      "db.t2 on MySQL 8.4, which no longer runs it",
      store('engine: mysql\nversion: "8.4"\ninstanceClass: db.t2.micro'),
      /instanceClass: "db\.t2\.micro" cannot be used with mysql 8\.4: RDS for MySQL 8\.4 does not run on db\.t2/,
    ],
    [
      "a data section with no stores and no tables",
      "  stores: []\n",
      /^dev\.yaml:\d+:\d+ data: declares no stores and no tables/,
    ],
  ])("refuses %s", (_, section, line) => {
    expect(problems(section)).toEqual(lines(line));
  });

  it("lists only the store's own engine keys for an unknown key", () => {
    const [line] = problems(store("engine: redis\ncolour: red"));
    expect(line).toMatch(
      /^dev\.yaml:11:7 data\.stores\.0\.colour: unknown key; engine redis takes name, engine, /,
    );
    expect(line).toContain("nodeType");
    expect(line).not.toContain("instanceClass");
    expect(line).not.toContain("allocatedStorageGb");
  });

  it("accepts a family the engine version still runs: db.t2 on MySQL 8.0", () => {
    const mysql80 = data(store('engine: mysql\nversion: "8.0"\ninstanceClass: db.t2.micro'))!;
    expect(mysql80.stores[0]).toMatchObject({ instanceClass: "db.t2.micro" });
  });

  it("accepts every default class and the sample's classes", () => {
    for (const fields of [
      "engine: postgres",
      "engine: aurora-postgresql",
      "engine: docdb",
      "engine: valkey",
      "engine: postgres\ninstanceClass: db.m7g.large",
      "engine: redis\nnodeType: cache.m7g.large",
    ])
      expect(data(store(fields))!.stores).toHaveLength(1);
  });
});
