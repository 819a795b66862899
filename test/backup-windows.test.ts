// AWS Backup's jobs must not start while a store takes its own automated backup: the snapshot would expire.
import { configProblems, DEV_YAML, SHARED_YAML, build, resourcesOf, stackOf, synthJson } from "./helpers.ts";

const files = (data: string) => ({ "shared.yaml": SHARED_YAML, "dev.yaml": `${DEV_YAML}data:\n${data}` });
const POSTGRES = `  stores:\n    - { name: main, engine: postgres, version: "16" }\n`;

describe("backup windows", () => {
  it("refuses a daily AWS Backup rule that starts inside a store's automated backup window", () => {
    // GIVEN the daily rule at 03:00, inside the default RDS window 03:00-04:00
    const lines = configProblems(files(`${POSTGRES}  backup:\n    dailySchedule: cron(0 3 * * ? *)\n`));
    // THEN one line points at the rule and names the store's window
    expect(lines).toEqual([
      expect.stringMatching(
        /^dev\.yaml:\d+:\d+ data\.backup\.dailySchedule: cron\(0 3 \* \* \? \*\) may start its jobs .* store "main"'s backupWindow 03:00-04:00/,
      ),
    ]);
  });

  it("refuses a rule whose start window runs into a backup window across midnight", () => {
    const store = `  stores:\n    - { name: main, engine: postgres, version: "16", backupWindow: "00:10-00:40" }\n`;
    expect(configProblems(files(`${store}  backup:\n    dailySchedule: cron(30 23 * * ? *)\n`))).toHaveLength(
      1,
    );
  });

  it("keeps the default AWS Backup start windows out of every sample store's backup window", () => {
    const built = build();
    for (const env of ["dev", "test", "prod"]) {
      const json = synthJson(stackOf(built, `${env}-db`));
      const rules = Object.values(resourcesOf(json, "aws_backup_plan"))[0]!.rule as {
        schedule: string;
        start_window: number;
      }[];
      const windows = Object.values(resourcesOf(json, "aws_db_instance")).map(
        (d) => d.backup_window as string,
      );
      for (const rule of rules) {
        const [, minute, hour] = /^cron\((\d+) (\d+) /.exec(rule.schedule)!.map(Number);
        const start = hour! * 60 + minute!;
        for (const w of windows) {
          const [from, to] = w.split("-").map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
          expect(start + rule.start_window <= from! || start >= to!, `${rule.schedule} vs ${w}`).toBe(true);
        }
      }
    }
  });
});
