// Which instance classes and node types each store engine runs on: one table to update when AWS adds a family.
// Sources: the RDS and Aurora user guides ("Supported DB engines for DB instance classes"), the DocumentDB developer
// guide ("Managing instance classes") and the ElastiCache guide ("Supported node types"). The table is deliberately
// generous about sizes inside a family (a size between a family's smallest and largest passes even where AWS skips it):
// it refuses only what is certainly wrong, a typo, a size below or above a family, or a family the engine does not run.
import type { StoreEngine } from "./sections/data.ts";
import { closest, orList } from "./suggest.ts";

/** Every size, smallest first; a family offers the sizes from its first to its last. */
const SIZES = [
  "micro",
  "small",
  "medium",
  "large",
  "xlarge",
  "2xlarge",
  "4xlarge",
  "8xlarge",
  "12xlarge",
  "16xlarge",
  "24xlarge",
  "32xlarge",
  "48xlarge",
] as const;
type Size = (typeof SIZES)[number];

/** The smallest and largest size of a family, and any odd size outside the ladder (m4.10xlarge). */
type Sizes = readonly [Size, Size] | readonly [Size, Size, string];

/** A family AWS no longer runs for new stores of some engine versions, and why. */
interface Retired {
  /** Versions (of the engine at hand) that can no longer use the family; "all" for every version we support. */
  readonly versions: readonly string[] | "all";
  /** Why, given the family's full name (db.t2). */
  readonly why: (family: string) => string;
}

interface EngineClasses {
  /** `db` for RDS, Aurora and DocumentDB, `cache` for ElastiCache. */
  readonly prefix: "db" | "cache";
  readonly families: Readonly<Record<string, Sizes>>;
  readonly retired: Readonly<Record<string, Retired>>;
}

const BURST_RDS: Sizes = ["micro", "2xlarge"];
const GRAVITON2: Sizes = ["large", "16xlarge"];
const NITRO_5: Sizes = ["large", "24xlarge"];
const NITRO_6: Sizes = ["large", "32xlarge"];
const NITRO_7_8: Sizes = ["large", "48xlarge"];

/** A family retired for every version we support. */
const everywhere = (why: Retired["why"]): Retired => ({ versions: "all", why });
const PREVIOUS_GENERATION = everywhere(
  (f) => `${f} is a previous generation that new stores can no longer use`,
);
const NOT_AURORA = everywhere((f) => `Aurora MySQL 3 and Aurora PostgreSQL 14 and later do not run on ${f}`);

/** RDS for PostgreSQL and RDS for MySQL. */
function rds(engine: "postgres" | "mysql"): EngineClasses {
  // PostgreSQL 13 and later never ran on t2, m4 or r4; MySQL 8.0 still does, 8.4 does not.
  const old: Retired =
    engine === "postgres"
      ? everywhere((f) => `RDS for PostgreSQL 13 and later no longer run on ${f}`)
      : { versions: ["8.4"], why: (f) => `RDS for MySQL 8.4 does not run on ${f}` };
  return {
    prefix: "db",
    families: {
      t2: BURST_RDS,
      t3: BURST_RDS,
      t4g: BURST_RDS,
      m4: ["large", "16xlarge", "10xlarge"],
      m5: NITRO_5,
      m5d: NITRO_5,
      m6g: GRAVITON2,
      m6gd: GRAVITON2,
      m6i: NITRO_6,
      m6id: NITRO_6,
      m6idn: NITRO_6,
      m6in: NITRO_6,
      m7g: GRAVITON2,
      m7i: NITRO_7_8,
      m8g: NITRO_7_8,
      m8gd: NITRO_7_8,
      r4: ["large", "16xlarge"],
      r5: NITRO_5,
      r5b: NITRO_5,
      r5d: NITRO_5,
      r6g: GRAVITON2,
      r6gd: GRAVITON2,
      r6i: NITRO_6,
      r6id: NITRO_6,
      r6idn: NITRO_6,
      r6in: NITRO_6,
      r7g: GRAVITON2,
      r7i: NITRO_7_8,
      r8g: NITRO_7_8,
      r8gd: NITRO_7_8,
      x2g: GRAVITON2,
      x2idn: ["16xlarge", "32xlarge"],
      x2iedn: ["xlarge", "32xlarge"],
      x2iezn: ["2xlarge", "12xlarge"],
      z1d: ["large", "12xlarge"],
      c6gd: ["medium", "16xlarge"],
    },
    retired: {
      t2: old,
      m4: old,
      r4: old,
      t1: PREVIOUS_GENERATION,
      m1: PREVIOUS_GENERATION,
      m2: PREVIOUS_GENERATION,
      m3: PREVIOUS_GENERATION,
      r3: PREVIOUS_GENERATION,
    },
  };
}

/** Aurora runs no micro or small class, and neither Aurora MySQL 3 nor Aurora PostgreSQL 14+ runs t2 or r4. */
const AURORA: EngineClasses = {
  prefix: "db",
  families: {
    t3: ["medium", "large"],
    t4g: ["medium", "large"],
    r5: NITRO_5,
    r6g: GRAVITON2,
    r6gd: ["xlarge", "16xlarge"],
    r6i: NITRO_6,
    r6id: ["xlarge", "32xlarge"],
    r7g: GRAVITON2,
    r7i: NITRO_7_8,
    r8g: NITRO_7_8,
    r8gd: NITRO_7_8,
    x2g: GRAVITON2,
  },
  retired: {
    t2: NOT_AURORA,
    r3: PREVIOUS_GENERATION,
    r4: NOT_AURORA,
    serverless: everywhere((f) => `${f} is Serverless v2: set compute.mode: serverless instead`),
  },
};

/** DocumentDB runs the R4, R5, R6G, R6GD, R8G, T3 and T4G families; R4 only on 3.6. */
const DOCDB: EngineClasses = {
  prefix: "db",
  families: {
    t3: ["medium", "medium"],
    t4g: ["medium", "medium"],
    r5: NITRO_5,
    r6g: GRAVITON2,
    r6gd: ["xlarge", "16xlarge"],
    r8g: NITRO_7_8,
  },
  retired: {
    r4: everywhere((f) => `DocumentDB runs ${f} only for 3.6`),
  },
};

/** ElastiCache (Redis OSS and Valkey): T2 and older can no longer be used for new clusters. */
const ELASTICACHE: EngineClasses = {
  prefix: "cache",
  families: {
    t3: ["micro", "medium"],
    t4g: ["micro", "medium"],
    m4: ["large", "4xlarge", "10xlarge"],
    m5: NITRO_5,
    m6g: GRAVITON2,
    m7g: GRAVITON2,
    r4: ["large", "16xlarge"],
    r5: NITRO_5,
    r6g: GRAVITON2,
    r7g: GRAVITON2,
    c7gn: GRAVITON2,
  },
  retired: {
    t2: everywhere((f) => `ElastiCache no longer creates clusters on ${f} nodes`),
    t1: PREVIOUS_GENERATION,
    m1: PREVIOUS_GENERATION,
    m2: PREVIOUS_GENERATION,
    m3: PREVIOUS_GENERATION,
    c1: PREVIOUS_GENERATION,
    r3: PREVIOUS_GENERATION,
    // Data-tiering nodes need data_tiering_enabled, which the cache module does not set: AWS would refuse them.
    r6gd: everywhere((f) => `${f} nodes need data tiering, which this platform's caches do not turn on`),
  },
};

/** The classes or node types of each store engine. */
export const INSTANCE_CLASSES: Readonly<Record<StoreEngine, EngineClasses>> = {
  postgres: rds("postgres"),
  mysql: rds("mysql"),
  "aurora-postgresql": AURORA,
  "aurora-mysql": AURORA,
  docdb: DOCDB,
  redis: ELASTICACHE,
  valkey: ELASTICACHE,
};

function sizesOf([from, to, odd]: Sizes): string[] {
  return [...SIZES.slice(SIZES.indexOf(from), SIZES.indexOf(to) + 1), ...(odd ? [odd] : [])];
}

/** Every class `engine` runs at `version`, e.g. db.t4g.medium. */
export function classesFor(engine: StoreEngine, version: string): string[] {
  const t = INSTANCE_CLASSES[engine];
  return Object.entries(t.families)
    .filter(([family]) => !isRetired(t, family, version))
    .flatMap(([family, sizes]) => sizesOf(sizes).map((size) => `${t.prefix}.${family}.${size}`));
}

function isRetired(t: EngineClasses, family: string, version: string): Retired | undefined {
  const r = t.retired[family];
  return r && (r.versions === "all" || r.versions.includes(version)) ? r : undefined;
}

/**
 * Why `engine` at `version` cannot run `value` (a whole message naming a close match), or undefined when it can.
 * `what` names the setting in the message: "instance class" or "node type".
 */
export function instanceClassProblem(
  engine: StoreEngine,
  version: string,
  value: string,
  what: string,
): string | undefined {
  const t = INSTANCE_CLASSES[engine];
  const q = JSON.stringify(value);
  const valid = classesFor(engine, version);
  const hint = (candidates: readonly string[]) => {
    const near = closest(value, candidates);
    return near ? `; did you mean ${near}?` : "";
  };
  const [prefix, family = "", size = ""] = value.split(".");
  if (prefix !== t.prefix)
    return `${q} is not offered for ${engine}: its ${what}s start with ${t.prefix}.${hint(valid)}`;
  const retired = isRetired(t, family, version);
  if (retired) {
    const instead = `${t.prefix}.t4g.${size}`;
    const suggestion = valid.includes(instead) ? `; use ${instead} or another current family` : hint(valid);
    return `${q} cannot be used with ${engine} ${version}: ${retired.why(`${t.prefix}.${family}`)}${suggestion}`;
  }
  const sizes = t.families[family];
  if (!sizes) {
    const families = Object.keys(t.families).filter((f) => !isRetired(t, f, version));
    return `${q} is not offered for ${engine}: ${engine} runs the ${what} families ${orList(families)}${hint(valid)}`;
  }
  const offered = sizesOf(sizes);
  if (!offered.includes(size)) {
    const near = closest(size, offered);
    const mean = near ? `; did you mean ${t.prefix}.${family}.${near}?` : "";
    return `${q} is not offered for ${engine}: ${t.prefix}.${family} comes in ${orList(offered)}${mean}`;
  }
  return undefined;
}
