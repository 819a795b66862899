// Editor support: the committed JSON Schemas match the zod schema, and every YAML file points at one.
import { readdirSync, readFileSync } from "node:fs";
import { jsonSchemas } from "../environments/json-schema.ts";

describe("the committed JSON Schemas", () => {
  it.each(Object.entries(jsonSchemas()))(
    "environments/%s is up to date (run npm run schema)",
    (name, content) => {
      expect(readFileSync(`environments/${name}`, "utf8")).toBe(content);
    },
  );

  it("points every sample YAML file at its schema", () => {
    for (const f of readdirSync("environments").filter((n) => n.endsWith(".yaml"))) {
      const schema = f === "shared.yaml" ? "shared.schema.json" : "environment.schema.json";
      expect(`${f}: ${readFileSync(`environments/${f}`, "utf8").split("\n")[0]}`).toBe(
        `${f}: # yaml-language-server: $schema=./${schema}`,
      );
    }
  });

  it("describes every property so editors can show help", () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const o = node as Record<string, unknown>;
      if (o.properties && typeof o.properties === "object")
        for (const [k, v] of Object.entries(o.properties as Record<string, Record<string, unknown>>)) {
          if (!v.description && !v.$ref) undocumented.push(`${path}.${k}`);
          walk(v, `${path}.${k}`);
        }
      for (const key of ["items", "additionalProperties", "anyOf", "oneOf", "allOf"])
        if (o[key]) [o[key]].flat().forEach((x) => walk(x, path));
    };
    for (const [name, content] of Object.entries(jsonSchemas())) walk(JSON.parse(content), name);
    expect(undocumented).toEqual([]);
  });
});
