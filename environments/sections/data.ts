// The `data` section of an environment: relational, document and key-value stores, caches, DynamoDB tables and
// their long-term backups. Each store is one entry of a union discriminated by `engine`.
import { z } from "zod";
import { instanceClassProblem } from "../instance-classes.ts";
import { ScheduleExpression } from "../schedule.ts";
import { addOrderIssue, AlarmPercent, addRepeatNameIssues, Label, LogRetentionDays } from "./common.ts";

/** Engine versions we build and test, per engine. RDS takes a major version and upgrades minors itself. */
export const ENGINE_VERSIONS = {
  postgres: ["14", "15", "16", "17"],
  mysql: ["8.0", "8.4"],
  "aurora-postgresql": ["14.15", "15.10", "16.6", "16.8", "17.4"],
  "aurora-mysql": ["8.0.mysql_aurora.3.08.2", "8.0.mysql_aurora.3.09.0", "8.0.mysql_aurora.3.10.0"],
  docdb: ["5.0.0", "8.0.0"],
  // IAM authentication for ElastiCache needs Redis OSS 7+ or Valkey 7.2+.
  redis: ["7.0", "7.1"],
  valkey: ["7.2", "8.0", "8.1"],
} as const;

/** Every store engine. */
export type StoreEngine = keyof typeof ENGINE_VERSIONS;
export const STORE_ENGINES = Object.keys(ENGINE_VERSIONS) as StoreEngine[];

/** Aurora allows at most 15 readers per cluster. */
export const MAX_AURORA_READERS = 15;

/** Why a version was refused. YAML reads an unquoted 16 or 8.0 as a number (8.0 becomes 8): say to quote it. */
function versionMessage(engine: StoreEngine, input: unknown): string {
  const versions: readonly string[] = ENGINE_VERSIONS[engine];
  const all = versions.map((v) => `"${v}"`).join(", ");
  if (typeof input !== "number")
    return `${JSON.stringify(input)} is not a supported ${engine} version; use one of ${all}`;
  const meant = versions.find((v) => Number(v) === input);
  return meant
    ? `must be quoted: write version: "${meant}" (unquoted, YAML reads it as the number ${input})`
    : `must be a quoted string, and ${input} is not a supported ${engine} version; use one of ${all}`;
}

const version = <E extends StoreEngine>(engine: E, dflt: (typeof ENGINE_VERSIONS)[E][number]) =>
  z
    .enum(ENGINE_VERSIONS[engine] as unknown as [string, ...string[]], {
      error: (i) => versionMessage(engine, i.input),
    })
    .default(dflt)
    .describe(`Engine version; supported: ${ENGINE_VERSIONS[engine].join(", ")}`);

const StoreName = Label("store name", 20).describe(
  "Short name of the store, unique in the environment (main, cache)",
);

const DbIdentifier = (what: string, dflt: string) =>
  z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, {
      error: (i) =>
        `${JSON.stringify(i.input)} is not a valid ${what}: a letter, then letters, digits or _ (at most 63)`,
    })
    .default(dflt)
    .describe(`The ${what}`);

const Window = (what: string, dflt: string, weekly: boolean) =>
  z
    .string()
    .regex(
      weekly
        ? /^(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}-(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}$/
        : /^\d{2}:\d{2}-\d{2}:\d{2}$/,
      {
        error: (i) =>
          `${JSON.stringify(i.input)} is not a ${weekly ? "weekly window like sun:04:30-sun:05:30" : "daily UTC window like 03:00-04:00"}`,
      },
    )
    .default(dflt)
    .describe(what);

const BackupWindow = Window("Daily UTC window for automated backups or snapshots", "03:00-04:00", false);
const MaintenanceWindow = Window(
  "Weekly UTC maintenance window; must not overlap the backup window",
  "sun:04:30-sun:05:30",
  true,
);

/** How the application signs in to a database: its own IAM identity (default), or the rotating master secret. */
const AppAuthentication = z
  .enum(["iam", "secret"])
  .default("iam")
  .describe(
    "iam: the application signs in as its own user with IAM tokens (no password anywhere; a migration task creates the user with the master secret, see README); secret: it gets the master secret and the service restarts after each rotation (for applications that cannot use IAM tokens)",
  );
const AppUserName = DbIdentifier("database user the application signs in as with IAM", "app");

const Port = (dflt: number) =>
  z.number().int().min(1150).max(65535).default(dflt).describe("Port the store listens on");

const InstanceClass = (dflt: string) =>
  z
    .string()
    .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, {
      error: (i) => `${JSON.stringify(i.input)} is not a DB instance class such as db.t4g.medium`,
    })
    .default(dflt)
    .describe("DB instance class");

const RdsRetention = (min: number, dflt: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(35)
    .default(dflt)
    .describe(`Days automated backups are kept (${min}-35, the AWS range)`);

const PerformanceInsightsDays = z
  .number()
  .int()
  .refine((d) => d === 7 || d === 731 || (d % 31 === 0 && d >= 31 && d <= 713), {
    error: (i) =>
      `${String(i.input)} is not a Performance Insights retention: use 7, a multiple of 31 up to 713, or 731`,
  })
  .default(7)
  .describe("Days Performance Insights keeps its data (7 is free)");

const MonitoringInterval = z
  .union([z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)], {
    error: "must be one of 1, 5, 10, 15, 30, 60",
  })
  .default(60)
  .describe("Seconds between enhanced-monitoring samples");

const SlowQueryMs = z
  .number()
  .int()
  .min(0)
  .max(3_600_000)
  .default(1000)
  .describe("Queries slower than this many milliseconds are logged");

/** Alarm thresholds of a database; each alarm goes to the shared alerts topic. */
const DbAlarms = z
  .strictObject({
    cpuPercent: AlarmPercent("CPU utilization above which the alarm fires"),
    connections: z
      .number()
      .int()
      .min(1)
      .default(500)
      .describe("Open connections above which the alarm fires"),
    freeStorageGb: z.number().min(1).default(5).describe("Free storage (GiB) below which the alarm fires"),
    replicaLagSeconds: z
      .number()
      .min(1)
      .default(30)
      .describe("Replica lag (seconds) above which the alarm fires"),
  })
  .prefault({})
  .describe("CloudWatch alarm thresholds");

const CacheAlarms = z
  .strictObject({
    cpuPercent: AlarmPercent("Engine CPU utilization above which the alarm fires"),
    memoryPercent: AlarmPercent("Memory usage above which the alarm fires"),
    connections: z
      .number()
      .int()
      .min(1)
      .default(5000)
      .describe("Client connections above which the alarm fires"),
    replicaLagSeconds: z
      .number()
      .min(1)
      .default(30)
      .describe("Replication lag (seconds) above which the alarm fires"),
  })
  .prefault({})
  .describe("CloudWatch alarm thresholds");

/**
 * What RDS instances and Aurora clusters share: the database, its users, backups, monitoring and alarms. Aurora
 * always keeps at least a day of backups; RDS may turn automated backups off (`minBackupDays` 0).
 */
const sqlDatabaseShape = (port: number, minBackupDays: 0 | 1) => ({
  databaseName: DbIdentifier("database name", "app"),
  masterUsername: DbIdentifier("master user name", "dbadmin"),
  appAuthentication: AppAuthentication,
  appUserName: AppUserName,
  port: Port(port),
  backupRetentionDays: RdsRetention(minBackupDays, 14),
  backupWindow: BackupWindow,
  maintenanceWindow: MaintenanceWindow,
  performanceInsightsRetentionDays: PerformanceInsightsDays,
  monitoringIntervalSeconds: MonitoringInterval,
  slowQueryMs: SlowQueryMs,
  alarms: DbAlarms,
});

const rds = <E extends "postgres" | "mysql">(
  engine: E,
  dfltVersion: (typeof ENGINE_VERSIONS)[E][number],
  port: number,
) =>
  z
    .strictObject({
      name: StoreName,
      engine: z.literal(engine).describe("Database engine"),
      version: version(engine, dfltVersion),
      instanceClass: InstanceClass("db.t4g.medium"),
      multiAz: z.boolean().default(true).describe("Keep a synchronous standby in a second AZ"),
      allocatedStorageGb: z.number().int().min(20).max(65536).default(20).describe("Initial storage (GiB)"),
      maxAllocatedStorageGb: z
        .number()
        .int()
        .min(20)
        .max(65536)
        .default(100)
        .describe("Storage autoscaling ceiling (GiB); equal to allocatedStorageGb turns autoscaling off"),
      ...sqlDatabaseShape(port, 0),
    })
    .describe(`An RDS ${engine} instance`);

const auroraShape = <E extends "aurora-postgresql" | "aurora-mysql">(
  engine: E,
  dfltVersion: (typeof ENGINE_VERSIONS)[E][number],
  port: number,
) => ({
  name: StoreName,
  engine: z.literal(engine).describe("Database engine"),
  version: version(engine, dfltVersion),
  compute: z
    .discriminatedUnion("mode", [
      z.strictObject({
        mode: z.literal("provisioned").describe("Fixed-size instances"),
        instanceClass: InstanceClass("db.r6g.large"),
      }),
      z
        .strictObject({
          mode: z.literal("serverless").describe("Aurora Serverless v2 instances"),
          minCapacity: z.number().min(0).max(256).default(0.5).describe("Least ACUs per instance"),
          maxCapacity: z.number().min(1).max(256).default(4).describe("Most ACUs per instance"),
        })
        .superRefine((c, ctx) => addOrderIssue(ctx, c, "minCapacity", "maxCapacity")),
    ])
    .prefault({ mode: "provisioned" })
    .describe("Instance sizing: provisioned classes or Serverless v2 capacity"),
  readers: z
    .number()
    .int()
    .min(0)
    .default(1)
    .describe(`Reader instances besides the writer, spread over AZs (at most ${MAX_AURORA_READERS})`),
  autoscaling: z
    .strictObject({
      minReaders: z.number().int().min(0).max(MAX_AURORA_READERS).default(1).describe("Fewest readers"),
      maxReaders: z.number().int().min(1).max(MAX_AURORA_READERS).default(4).describe("Most readers"),
      metric: z
        .enum(["cpu", "connections"])
        .default("cpu")
        .describe("Reader metric the target tracks: average CPU or average connections"),
      target: z
        .number()
        .min(1)
        .default(70)
        .describe("Target value of the metric (percent CPU or connections)"),
    })
    .superRefine((a, ctx) => addOrderIssue(ctx, a, "minReaders", "maxReaders"))
    .optional()
    .describe("Reader autoscaling; omit to keep exactly `readers` readers"),
  ...sqlDatabaseShape(port, 1),
});

const AuroraPostgresql = z
  .strictObject(auroraShape("aurora-postgresql", "16.6", 5432))
  .describe("An Aurora PostgreSQL cluster");

const AuroraMysql = z
  .strictObject({
    ...auroraShape("aurora-mysql", "8.0.mysql_aurora.3.08.2", 3306),
    backtrackHours: z
      .number()
      .int()
      .min(0)
      .max(72)
      .default(24)
      .describe("Hours Aurora MySQL can rewind the cluster in place (0 turns backtrack off)"),
  })
  .describe("An Aurora MySQL cluster");

const Docdb = z
  .strictObject({
    name: StoreName,
    engine: z.literal("docdb").describe("Amazon DocumentDB (MongoDB compatible)"),
    version: version("docdb", "5.0.0"),
    instanceClass: InstanceClass("db.r6g.large"),
    instances: z
      .number()
      .int()
      .min(1)
      .max(16)
      .default(2)
      .describe("Instances (one writer, the rest readers), spread over AZs"),
    masterUsername: DbIdentifier("master user name", "docdbadmin"),
    // DocumentDB 5.0+ signs in IAM roles (MONGODB-AWS): the user is the task role's ARN, no policy needed.
    appAuthentication: AppAuthentication,
    port: Port(27017),
    backupRetentionDays: RdsRetention(1, 7),
    backupWindow: BackupWindow,
    maintenanceWindow: MaintenanceWindow,
    alarms: DbAlarms,
  })
  .describe("An Amazon DocumentDB cluster");

const cache = <E extends "redis" | "valkey">(engine: E, dfltVersion: (typeof ENGINE_VERSIONS)[E][number]) =>
  z
    .strictObject({
      name: StoreName,
      engine: z.literal(engine).describe("Cache engine"),
      version: version(engine, dfltVersion),
      nodeType: z
        .string()
        .regex(/^cache\.[a-z0-9-]+\.[a-z0-9]+$/, {
          error: (i) => `${JSON.stringify(i.input)} is not a cache node type such as cache.t4g.small`,
        })
        .default("cache.t4g.small")
        .describe("ElastiCache node type"),
      replicas: z.number().int().min(0).max(5).default(1).describe("Read replicas beside the primary"),
      multiAz: z
        .boolean()
        .default(true)
        .describe("Fail over automatically to a replica in another AZ (needs replicas ≥ 1)"),
      port: Port(6379),
      userName: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,38}$/, {
          error: (i) =>
            `${JSON.stringify(i.input)} is not a cache user name: lower-case letters, digits and -, at most 39`,
        })
        .default("app")
        .describe(
          "The IAM-authenticated user the application connects as (its ElastiCache user id is derived)",
        ),
      snapshotRetentionDays: z
        .number()
        .int()
        .min(0)
        .max(35)
        .default(7)
        .describe("Days daily snapshots are kept (0-35)"),
      snapshotWindow: BackupWindow,
      maintenanceWindow: MaintenanceWindow,
      alarms: CacheAlarms,
    })
    .describe(`An ElastiCache ${engine} replication group`);

export const Store = z
  .discriminatedUnion(
    "engine",
    [
      rds("postgres", "16", 5432),
      rds("mysql", "8.0", 3306),
      AuroraPostgresql,
      AuroraMysql,
      Docdb,
      cache("redis", "7.1"),
      cache("valkey", "8.0"),
    ],
    {
      error: (i) =>
        i.code === "invalid_union"
          ? `${JSON.stringify((i.input as { engine?: unknown } | undefined)?.engine)} is not a supported engine; use one of ${STORE_ENGINES.join(", ")}`
          : undefined,
    },
  )
  .describe("A data store, by engine");

const AttributeName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,255}$/, {
    error: (i) => `${JSON.stringify(i.input)} is not a DynamoDB attribute name`,
  })
  .describe("Attribute name");

const Capacity = z
  .strictObject({
    min: z.number().int().min(1).default(5).describe("Fewest capacity units"),
    max: z.number().int().min(1).default(100).describe("Most capacity units"),
  })
  .superRefine((c, ctx) => addOrderIssue(ctx, c, "min", "max"))
  .prefault({})
  .describe("Autoscaling range");

export const Table = z
  .strictObject({
    name: Label("table name", 40).describe("Short name of the table; the AWS name is <project>-<env>-<name>"),
    attributes: z
      .record(
        AttributeName,
        z.enum(["S", "N", "B"], { error: "must be S (string), N (number) or B (binary)" }),
      )
      .refine((a) => Object.keys(a).length > 0, { error: "declare at least the partition key attribute" })
      .describe("Key attributes and their types (S, N or B); only attributes used in a key belong here"),
    partitionKey: AttributeName.describe("Partition (hash) key attribute"),
    sortKey: AttributeName.optional().describe("Sort (range) key attribute; omit for a simple primary key"),
    indexes: z
      .array(
        z.strictObject({
          name: z
            .string()
            .regex(/^[A-Za-z0-9_.-]{3,255}$/)
            .describe("Index name"),
          partitionKey: AttributeName.describe("Partition key of the index"),
          sortKey: AttributeName.optional().describe("Sort key of the index"),
          projection: z
            .enum(["ALL", "KEYS_ONLY"])
            .default("ALL")
            .describe("Attributes copied into the index"),
        }),
      )
      .max(20)
      .default([])
      .describe("Global secondary indexes"),
    ttlAttribute: AttributeName.optional().describe(
      "Attribute holding an epoch-seconds expiry; omit for no TTL",
    ),
    capacity: z
      .discriminatedUnion("mode", [
        z.strictObject({ mode: z.literal("onDemand").describe("Pay per request, no capacity planning") }),
        z.strictObject({
          mode: z.literal("provisioned").describe("Provisioned capacity with target-tracking autoscaling"),
          read: Capacity,
          write: Capacity,
          targetUtilization: z
            .number()
            .min(20)
            .max(90)
            .default(70)
            .describe("Percent of capacity autoscaling aims at"),
        }),
      ])
      .prefault({ mode: "onDemand" })
      .describe("Billing: on demand (default) or provisioned with autoscaling"),
  })
  .superRefine((t, ctx) => {
    const declared = new Set(Object.keys(t.attributes));
    const used = new Set<string>();
    const key = (name: string | undefined, path: (string | number)[]) => {
      if (name === undefined) return;
      used.add(name);
      if (!declared.has(name))
        ctx.addIssue({
          code: "custom",
          path,
          message: `key attribute "${name}" is not declared under attributes (${[...declared].join(", ") || "none"})`,
        });
    };
    key(t.partitionKey, ["partitionKey"]);
    key(t.sortKey, ["sortKey"]);
    t.indexes.forEach((ix, i) => {
      key(ix.partitionKey, ["indexes", i, "partitionKey"]);
      key(ix.sortKey, ["indexes", i, "sortKey"]);
    });
    // DynamoDB refuses attribute definitions that no key uses.
    for (const a of declared)
      if (!used.has(a))
        ctx.addIssue({
          code: "custom",
          path: ["attributes", a],
          message: `"${a}" is declared but used by no key or index`,
        });
  })
  .describe("A DynamoDB table");

export const Backup = z
  .strictObject({
    dailyRetentionDays: z
      .number()
      .int()
      .min(1)
      .max(36500)
      .default(35)
      .describe("Days each daily recovery point is kept"),
    monthlyRetentionDays: z
      .number()
      .int()
      .min(1)
      .max(36500)
      .default(365)
      .describe("Days each monthly recovery point is kept (1095 = three years)"),
    dailySchedule: ScheduleExpression(["cron"])
      .default("cron(0 1 * * ? *)")
      .describe(
        "Daily rule schedule (UTC cron: six fields with ? in day-of-month or day-of-week); its start window must not overlap any store's backupWindow, when RDS takes its own backups and AWS Backup's snapshot would fail",
      ),
    monthlySchedule: ScheduleExpression(["cron"])
      .default("cron(0 1 1 * ? *)")
      .describe(
        "Monthly rule schedule (UTC cron: six fields with ? in day-of-month or day-of-week); on the days both rules run, AWS Backup keeps the recovery point with the longer retention. Must not overlap any store's backupWindow",
      ),
    vaultLock: z
      .strictObject({
        minRetentionDays: z
          .number()
          .int()
          .min(1)
          .max(36500)
          .default(7)
          .describe("Shortest retention the vault accepts"),
        maxRetentionDays: z
          .number()
          .int()
          .min(1)
          .max(36500)
          .default(3650)
          .describe("Longest retention the vault accepts"),
        changeableForDays: z
          .number()
          .int()
          .min(3)
          .optional()
          .describe(
            "Days the lock can still be removed; after that it is immutable (compliance mode). Omit for governance mode",
          ),
      })
      .superRefine((l, ctx) => addOrderIssue(ctx, l, "minRetentionDays", "maxRetentionDays"))
      .optional()
      .describe("WORM lock on the backup vault; omit for no lock"),
  })
  .prefault({})
  .describe(
    "AWS Backup vault and plan for every store AWS Backup supports (RDS, Aurora, DocumentDB, DynamoDB)",
  );

const isCache = (e: string) => e === "redis" || e === "valkey";

/** The instance class or node type a store runs on, and where it is set; none for Aurora Serverless v2. */
function sizeOf(s: StoreConfig): { value: string; path: string[]; what: string } | undefined {
  if (s.engine === "redis" || s.engine === "valkey")
    return { value: s.nodeType, path: ["nodeType"], what: "node type" };
  if (s.engine === "aurora-postgresql" || s.engine === "aurora-mysql")
    return s.compute.mode === "provisioned"
      ? { value: s.compute.instanceClass, path: ["compute", "instanceClass"], what: "instance class" }
      : undefined;
  return { value: s.instanceClass, path: ["instanceClass"], what: "instance class" };
}

/** Minutes AWS Backup may wait before a scheduled job starts (the plan's start window). */
export const BACKUP_START_WINDOW_MINUTES = 60;

/** Minute of the day a `cron(M H ...)` schedule starts at, when it names one fixed minute and hour. */
function cronStartMinute(schedule: string): number | undefined {
  const m = /^cron\((\d{1,2}) (\d{1,2})( \S+){4}\)$/.exec(schedule);
  return m ? Number(m[2]) * 60 + Number(m[1]) : undefined;
}

/** Whether two daily spans [start, start + length) in minutes overlap, across midnight too. */
function spansOverlap(a: number, aLength: number, b: number, bLength: number): boolean {
  const day = 24 * 60;
  return [-day, 0, day].some((shift) => a + shift < b + bLength && b < a + shift + aLength);
}

/** `HH:MM-HH:MM` as a start minute and a length. */
function windowSpan(window: string): [number, number] {
  const [start, end] = window.split("-").map((t) => {
    const [h, m] = t.split(":").map(Number);
    return h! * 60 + m!;
  });
  return [start!, (end! - start! + 24 * 60) % (24 * 60) || 24 * 60];
}

export const DataConfigSchema = z
  .strictObject({
    stores: z.array(Store).default([]).describe("Databases and caches"),
    tables: z.array(Table).default([]).describe("DynamoDB tables"),
    backup: Backup,
    logRetentionDays: LogRetentionDays(365, "Days the database log groups keep exported logs"),
  })
  .superRefine((d, ctx) => {
    if (d.stores.length === 0 && d.tables.length === 0)
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "declares no stores and no tables; remove the data section instead",
      });
    addRepeatNameIssues(ctx, d.stores, "stores", "declared");
    d.stores.forEach((s, i) => {
      const size = sizeOf(s);
      const versions: readonly string[] = ENGINE_VERSIONS[s.engine];
      // Checked only once the class's shape and the version have passed their own checks: one line per mistake.
      if (size && versions.includes(s.version) && /^(db|cache)\.[a-z0-9-]+\.[a-z0-9]+$/.test(size.value)) {
        const message = instanceClassProblem(s.engine, s.version, size.value, size.what);
        if (message) ctx.addIssue({ code: "custom", path: ["stores", i, ...size.path], message });
      }
      if (isCache(s.engine) && "replicas" in s && s.multiAz && s.replicas === 0)
        ctx.addIssue({
          code: "custom",
          path: ["stores", i, "replicas"],
          message:
            "a Multi-AZ cache needs at least one replica to fail over to; set replicas ≥ 1 or multiAz: false",
        });
      if ((s.engine === "postgres" || s.engine === "mysql") && s.maxAllocatedStorageGb < s.allocatedStorageGb)
        ctx.addIssue({
          code: "custom",
          path: ["stores", i, "maxAllocatedStorageGb"],
          message: `${s.maxAllocatedStorageGb} is below allocatedStorageGb (${s.allocatedStorageGb})`,
        });
      // An inverted autoscaling range is reported on itself; judging `readers` against it would only add noise.
      const rangeInverted =
        "autoscaling" in s && s.autoscaling && s.autoscaling.minReaders > s.autoscaling.maxReaders;
      if ((s.engine === "aurora-postgresql" || s.engine === "aurora-mysql") && !rangeInverted) {
        const max = s.autoscaling?.maxReaders ?? MAX_AURORA_READERS;
        if (s.readers > max)
          ctx.addIssue({
            code: "custom",
            path: ["stores", i, "readers"],
            message: `${s.readers} readers is above the maximum of ${max}${s.autoscaling ? " (autoscaling.maxReaders)" : ""}`,
          });
        if (s.autoscaling && s.readers < s.autoscaling.minReaders)
          ctx.addIssue({
            code: "custom",
            path: ["stores", i, "readers"],
            message: `${s.readers} readers is below autoscaling.minReaders (${s.autoscaling.minReaders})`,
          });
      }
    });
    addRepeatNameIssues(ctx, d.tables, "tables", "declared");
    const b = d.backup;
    // AWS Backup cannot snapshot an RDS, Aurora or DocumentDB store while its automated backup runs: a job that
    // starts inside the store's backupWindow waits, then expires without a recovery point.
    for (const rule of ["dailySchedule", "monthlySchedule"] as const) {
      const start = cronStartMinute(b[rule]);
      if (start === undefined) continue;
      for (const s of d.stores) {
        if (!("backupWindow" in s)) continue;
        const [windowStart, windowLength] = windowSpan(s.backupWindow);
        if (spansOverlap(start, BACKUP_START_WINDOW_MINUTES, windowStart, windowLength))
          ctx.addIssue({
            code: "custom",
            path: ["backup", rule],
            message: `${b[rule]} may start its jobs (within ${BACKUP_START_WINDOW_MINUTES} minutes) during store "${s.name}"'s backupWindow ${s.backupWindow}, when AWS Backup cannot snapshot it; move one of them`,
          });
      }
    }
    if (b.vaultLock) {
      const lock = b.vaultLock;
      // An inverted range is reported on the lock itself; judging retentions against it would only add noise.
      if (lock.minRetentionDays <= lock.maxRetentionDays)
        for (const k of ["dailyRetentionDays", "monthlyRetentionDays"] as const)
          if (b[k] < lock.minRetentionDays || b[k] > lock.maxRetentionDays)
            ctx.addIssue({
              code: "custom",
              path: ["backup", k],
              message: `${b[k]} is outside the vault lock's ${lock.minRetentionDays}-${lock.maxRetentionDays} days: the vault would refuse these recovery points`,
            });
    }
  })
  .describe("Data stores of the environment; omit the section for an environment without any");

export type DataConfig = z.output<typeof DataConfigSchema>;
export type StoreConfig = DataConfig["stores"][number];
export type TableConfig = DataConfig["tables"][number];
export type BackupConfig = DataConfig["backup"];
/** A store of one engine. */
export type StoreOf<E extends StoreEngine> = Extract<StoreConfig, { engine: E }>;
