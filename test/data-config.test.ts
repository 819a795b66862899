// The `data:` section: production-grade defaults, and one positioned line for every kind of bad input.
import { expectTypeOf } from "vitest";
import { loadConfig } from "../environments/load.ts";
import type { DataConfig, StoreConfig } from "../environments/sections/data.ts";
import { configProblems, DEV_YAML, envDir, SHARED_YAML } from "./helpers.ts";

// Four lines, then `network:` on line 5 and `data:` on line 7: the data section's first key is on line 8.
const DEV = `${DEV_YAML}network:
  cidr: 10.10.0.0/16
`;

/** The environment files of a dev.yaml with this `data:` body. */
function withData(section: string): Record<string, string> {
  return { "shared.yaml": SHARED_YAML, "dev.yaml": `${DEV}data:\n${section}` };
}

/** The data section of a dev.yaml with this `data:` body. */
function data(section: string): DataConfig | undefined {
  return loadConfig(envDir(withData(section))).environments[0]!.data;
}

/** The lines of the ConfigError that a dev.yaml with this `data:` body throws. */
function problems(section: string): string[] {
  return configProblems(withData(section));
}

const store = (fields: string) => `  stores:\n    - name: main\n${fields.replace(/^/gm, "      ")}\n`;

describe("the data section's defaults", () => {
  it("gives an environment without a data section no data config", () => {
    expect(
      loadConfig(envDir({ "shared.yaml": SHARED_YAML, "dev.yaml": DEV })).environments[0]!.data,
    ).toBeUndefined();
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
    const d = data(`  tables:\n    - name: orders\n      attributes: { id: S }\n      partitionKey: id\n`)!;
    expect(d.tables[0]!.capacity).toEqual({ mode: "onDemand" });
  });

  it("types stores as a union discriminated by engine", () => {
    expectTypeOf<StoreConfig["engine"]>().toEqualTypeOf<
      "postgres" | "mysql" | "aurora-postgresql" | "aurora-mysql" | "docdb" | "redis" | "valkey"
    >();
  });
});

describe("bad data input gets one line with file, line, column and key path", () => {
  it("refuses an unknown engine", () => {
    expect(problems(store("engine: oracle"))).toEqual([
      expect.stringMatching(
        /^dev\.yaml:10:\d+ data\.stores\.0\.engine: "oracle" is not a supported engine; use one of postgres, /,
      ),
    ]);
  });

  it("refuses an engine version outside the supported list", () => {
    expect(problems(store('engine: postgres\nversion: "9.6"'))).toEqual([
      expect.stringMatching(
        /^dev\.yaml:11:\d+ data\.stores\.0\.version: "9\.6" is not a supported postgres version; use one of "14", "15", "16", "17"$/,
      ),
    ]);
  });

  it("says an unquoted version must be quoted", () => {
    expect(problems(store("engine: postgres\nversion: 16"))).toEqual([
      'dev.yaml:11:16 data.stores.0.version: must be quoted: write version: "16" (unquoted, YAML reads it as the number 16)',
    ]);
  });

  it("names the quoted version that an unquoted 8.0 lost to YAML's number reading", () => {
    expect(problems(store("engine: mysql\nversion: 8.0"))).toEqual([
      'dev.yaml:11:16 data.stores.0.version: must be quoted: write version: "8.0" (unquoted, YAML reads it as the number 8)',
    ]);
  });

  it("says which engines take a key that belongs to another engine", () => {
    expect(problems(store("engine: postgres\nreplicas: 2"))).toEqual([
      "dev.yaml:11:7 data.stores.0.replicas: is not a key for engine postgres; only engine redis or valkey takes it",
    ]);
  });

  it("names the nested key a misplaced key belongs to", () => {
    expect(problems(store("engine: aurora-postgresql\ninstanceClass: db.r6g.large"))).toEqual([
      "dev.yaml:11:7 data.stores.0.instanceClass: is not a key here; did you mean compute.instanceClass?",
    ]);
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

  it("suggests the closest key of the store's own engine", () => {
    expect(problems(store("engine: postgres\ninstanceclass: db.t4g.small"))).toEqual([
      'dev.yaml:11:7 data.stores.0.instanceclass: unknown key; did you mean "instanceClass"?',
    ]);
  });

  it("refuses more Aurora readers than the autoscaling maximum", () => {
    expect(problems(store("engine: aurora-mysql\nreaders: 5\nautoscaling:\n  maxReaders: 3"))).toEqual([
      expect.stringMatching(
        /^dev\.yaml:11:\d+ data\.stores\.0\.readers: 5 readers is above the maximum of 3/,
      ),
    ]);
  });

  it("refuses more Aurora readers than Aurora allows", () => {
    expect(problems(store("engine: aurora-postgresql\nreaders: 16"))).toEqual([
      expect.stringMatching(
        /^dev\.yaml:11:\d+ data\.stores\.0\.readers: 16 readers is above the maximum of 15$/,
      ),
    ]);
  });

  it("refuses an RDS backup retention above 35 days", () => {
    expect(problems(store("engine: postgres\nbackupRetentionDays: 36"))).toEqual([
      expect.stringMatching(
        /^dev\.yaml:11:\d+ data\.stores\.0\.backupRetentionDays: 36 is out of range: must be at most 35$/,
      ),
    ]);
  });

  it("refuses a negative RDS backup retention", () => {
    expect(problems(store("engine: mysql\nbackupRetentionDays: -1"))).toEqual([
      expect.stringMatching(
        /^dev\.yaml:11:\d+ data\.stores\.0\.backupRetentionDays: -1 is out of range: must be at least 0$/,
      ),
    ]);
  });

  it("refuses a DynamoDB key attribute that is not declared", () => {
    expect(
      problems(
        `  tables:\n    - name: orders\n      attributes: { id: S }\n      partitionKey: id\n      sortKey: createdAt\n`,
      ),
    ).toEqual([
      expect.stringMatching(
        /^dev\.yaml:12:\d+ data\.tables\.0\.sortKey: key attribute "createdAt" is not declared under attributes \(id\)$/,
      ),
    ]);
  });

  it("refuses a Multi-AZ cache with zero replicas", () => {
    expect(problems(store("engine: redis\nreplicas: 0"))).toEqual([
      expect.stringMatching(
        /^dev\.yaml:11:\d+ data\.stores\.0\.replicas: a Multi-AZ cache needs at least one replica/,
      ),
    ]);
  });

  it("refuses two stores with the same name", () => {
    expect(
      problems(`  stores:\n    - { name: main, engine: postgres }\n    - { name: main, engine: redis }\n`),
    ).toEqual([expect.stringMatching(/^dev\.yaml:10:\d+ data\.stores\.1\.name: "main" is declared twice$/)]);
  });

  it("refuses backup retention the vault lock would reject", () => {
    expect(
      problems(
        `${store("engine: postgres")}  backup:\n    monthlyRetentionDays: 1095\n    vaultLock:\n      maxRetentionDays: 365\n`,
      ),
    ).toEqual([
      expect.stringMatching(
        /^dev\.yaml:12:\d+ data\.backup\.monthlyRetentionDays: 1095 is outside the vault lock's 7-365 days/,
      ),
    ]);
  });

  it.each([
    [
      "a provisioned table's read capacity",
      `  tables:\n    - name: orders\n      attributes: { id: S }\n      partitionKey: id\n      capacity:\n        mode: provisioned\n        read: { min: 50, max: 10 }\n`,
      /^dev\.yaml:14:\d+ data\.tables\.0\.capacity\.read\.min: min \(50\) must be ≤ max \(10\)$/,
    ],
    [
      "Aurora reader autoscaling",
      store("engine: aurora-mysql\nreaders: 3\nautoscaling:\n  minReaders: 3\n  maxReaders: 2"),
      /^dev\.yaml:13:\d+ data\.stores\.0\.autoscaling\.minReaders: minReaders \(3\) must be ≤ maxReaders \(2\)$/,
    ],
    [
      "Aurora Serverless v2 capacity",
      store("engine: aurora-postgresql\ncompute:\n  mode: serverless\n  minCapacity: 8\n  maxCapacity: 4"),
      /^dev\.yaml:13:\d+ data\.stores\.0\.compute\.minCapacity: minCapacity \(8\) must be ≤ maxCapacity \(4\)$/,
    ],
    [
      "the vault lock's retention range",
      `${store("engine: postgres")}  backup:\n    dailyRetentionDays: 35\n    monthlyRetentionDays: 35\n    vaultLock:\n      minRetentionDays: 400\n      maxRetentionDays: 30\n`,
      /^dev\.yaml:15:\d+ data\.backup\.vaultLock\.minRetentionDays: minRetentionDays \(400\) must be ≤ maxRetentionDays \(30\)$/,
    ],
  ])("refuses a lower bound above the upper one in %s", (_what, section, line) => {
    expect(problems(section)).toEqual([expect.stringMatching(line)]);
  });

  it("shows the AWS form of a Unix cron as a backup schedule", () => {
    expect(problems(`${store("engine: postgres")}  backup:\n    dailySchedule: cron(0 3 * * *)\n`)).toEqual([
      'dev.yaml:12:20 data.backup.dailySchedule: "cron(0 3 * * *)" is a Unix cron (five fields); AWS cron has six, with ? in day-of-month or day-of-week: cron(0 3 * * ? *)',
    ]);
  });

  it("refuses a rate as a backup schedule, which AWS Backup does not take", () => {
    expect(problems(`${store("engine: postgres")}  backup:\n    monthlySchedule: rate(30 days)\n`)).toEqual([
      'dev.yaml:12:22 data.backup.monthlySchedule: "rate(30 days)": rate(...) is not accepted here; use cron(...), e.g. cron(0 7 ? * MON-FRI *)',
    ]);
  });

  it.each([
    [
      "a misspelt size, with the size meant",
      "engine: postgres\ninstanceClass: db.t4g.mediun",
      'dev.yaml:11:22 data.stores.0.instanceClass: "db.t4g.mediun" is not offered for postgres: db.t4g comes in micro, small, medium, large, xlarge or 2xlarge; did you mean db.t4g.medium?',
    ],
    [
      "a family the engine version no longer runs, with a current one",
      'engine: postgres\nversion: "16"\ninstanceClass: db.t2.micro',
      'dev.yaml:12:22 data.stores.0.instanceClass: "db.t2.micro" cannot be used with postgres 16: RDS for PostgreSQL 13 and later no longer run on db.t2; use db.t4g.micro or another current family',
    ],
    [
      "a retired cache node type",
      "engine: redis\nnodeType: cache.t2.small",
      'dev.yaml:11:17 data.stores.0.nodeType: "cache.t2.small" cannot be used with redis 7.1: ElastiCache no longer creates clusters on cache.t2 nodes; use cache.t4g.small or another current family',
    ],
    [
      "a size Aurora does not offer",
      "engine: aurora-mysql\ncompute: { mode: provisioned, instanceClass: db.t3.micro }",
      'dev.yaml:11:52 data.stores.0.compute.instanceClass: "db.t3.micro" is not offered for aurora-mysql: db.t3 comes in medium or large',
    ],
    [
      "a family DocumentDB does not run",
      "engine: docdb\ninstanceClass: db.m6g.large",
      expect.stringMatching(
        /^dev\.yaml:11:22 data\.stores\.0\.instanceClass: "db\.m6g\.large" is not offered for docdb: docdb runs the instance class families t3, t4g, r5, r6g, r6gd or r8g; did you mean db\.r6g\.large\?$/,
      ),
    ],
  ])("refuses %s", (_, fields, message) => {
    expect(problems(store(fields))).toEqual([message]);
  });

  it("accepts a family the engine version still runs: db.t2 on MySQL 8.0", () => {
    expect(data(store('engine: mysql\nversion: "8.0"\ninstanceClass: db.t2.micro'))!.stores[0]).toMatchObject(
      {
        instanceClass: "db.t2.micro",
      },
    );
  });

  it("refuses db.t2 on MySQL 8.4, which no longer runs it", () => {
    expect(problems(store('engine: mysql\nversion: "8.4"\ninstanceClass: db.t2.micro'))).toEqual([
      expect.stringMatching(
        /instanceClass: "db\.t2\.micro" cannot be used with mysql 8\.4: RDS for MySQL 8\.4 does not run on db\.t2/,
      ),
    ]);
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

  it("refuses a data section with no stores and no tables", () => {
    expect(problems(`  stores: []\n`)).toEqual([
      expect.stringMatching(/^dev\.yaml:\d+:\d+ data: declares no stores and no tables/),
    ]);
  });
});
