// Editor support: JSON Schemas generated from the zod schema, committed beside the YAML files they describe.
import { z } from "zod";
import { EnvironmentConfigSchema, SharedConfigSchema } from "./schema.ts";

/** The committed JSON Schema files (name in environments/ -> content). */
export function jsonSchemas(): Record<string, string> {
  const render = (schema: z.ZodType, title: string) =>
    `${JSON.stringify({ title, ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) }, null, 2)}\n`;
  return {
    "shared.schema.json": render(SharedConfigSchema, "shared.yaml"),
    "environment.schema.json": render(EnvironmentConfigSchema, "<environment>.yaml"),
  };
}
