// Generated documentation and diagrams: fresh against the code, complete, and generic over the schema.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { DATA_STORE_TYPES, diagramFiles, MUST_APPEAR_TYPES, nodeId } from "../scripts/lib/diagram.ts";
import { docFiles, keyRows } from "../scripts/lib/docs.ts";
import { formatted, withSynthesis, type Synthesized } from "../scripts/lib/generated.ts";

// One synthesis of the sample environments for every test here.
let synthesized: Synthesized;
let files: Record<string, string>;
beforeAll(async () => {
  await withSynthesis(async (s) => {
    synthesized = s;
    files = { ...docFiles(s.stacks, s.environments), ...(await diagramFiles(s.stacks, s.environments)) };
  });
}, 120_000);

describe("generated docs", () => {
  it("are committed and fresh (run npm run docs && npm run diagram after a change)", async () => {
    const stale: string[] = [];
    for (const [path, content] of Object.entries(files))
      if ((await formatted(path, content)) !== readFileSync(path, "utf8")) stale.push(path);
    expect(stale).toEqual([]);
  });

  it("document every key with its path, type, default, allowed values and description", () => {
    const schema = z.object({
      name: z.string().describe("The name"),
      size: z.number().int().min(1).max(9).default(3).describe("How many"),
      store: z
        .discriminatedUnion("engine", [
          z.object({ engine: z.literal("redis"), replicas: z.number().default(1).describe("Replicas") }),
          z.object({ engine: z.literal("postgres"), multiAz: z.boolean().default(true).describe("Standby") }),
        ])
        .optional()
        .describe("A store"),
    });
    const rows = keyRows(z.toJSONSchema(schema, { io: "input" }) as Parameters<typeof keyRows>[0]);
    expect(rows.map((r) => r.path)).toEqual([
      "name",
      "size",
      "store",
      "store[engine=redis].replicas",
      "store[engine=postgres].multiAz",
    ]);
    expect(rows[1]).toEqual({
      path: "size",
      type: "integer",
      default: "`3`",
      allowed: "1 to 9",
      description: "How many",
    });
    expect(rows[0]!.default).toBe("required");
  });

  it("list every stack of the synthesis in docs/stacks.md with its resources", () => {
    for (const [name, stack] of synthesized.stacks) {
      expect(files["docs/stacks.md"]).toContain(`## ${name}\n`);
      for (const type of Object.keys(stack.json.resource ?? {}))
        expect(files["docs/stacks.md"]).toContain(`\`${type}\``);
    }
  });
});

describe("architecture diagrams", () => {
  it("draw every data store, load balancer, distribution and pipeline of each environment", () => {
    const missing: string[] = [];
    for (const env of synthesized.environments) {
      const md = files[`docs/architecture-${env}.md`]!;
      const svg = files[`docs/architecture-${env}.svg`]!;
      for (const [name, stack] of synthesized.stacks) {
        if (!name.startsWith(`${env}-`)) continue;
        for (const [type, byId] of Object.entries(stack.json.resource ?? {})) {
          if (!(type in DATA_STORE_TYPES) && !(type in MUST_APPEAR_TYPES)) continue;
          for (const id of Object.keys(byId)) {
            const node = nodeId(name, `${type}.${id}`);
            if (!md.includes(`    ${node}`) || !svg.includes(`<title>${node}</title>`))
              missing.push(`${env}: ${type}.${id}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("group each environment's diagram by its stacks and the shared stack it reads", () => {
    expect(files["docs/architecture-prod.md"]).toContain('subgraph prod_ecs__stack["prod-ecs"]');
    expect(files["docs/architecture-prod.md"]).toContain('subgraph shared__stack["shared"]');
    expect(files["docs/architecture-prod.md"]).not.toContain("dev-");
  });
});
