// One naming helper for every physical name.
import { resourceName } from "../modules/core/naming.ts";

const ctx = { project: "shop", environment: "prod" };

describe("resourceName", () => {
  it("joins project, environment and parts with hyphens", () => {
    expect(resourceName(ctx, ["db", "main"])).toBe("shop-prod-db-main");
  });

  it("uses another separator where a service refuses hyphens", () => {
    expect(resourceName(ctx, "db", { separator: "_" })).toBe("shop_prod_db");
  });

  it("cuts a long name to the service's limit and ends it in a stable hash of the full name", () => {
    const name = resourceName(ctx, ["a-very-long-component-name", "with-purpose"], { maxLength: 32 });
    expect(name).toHaveLength(32);
    expect(name).toMatch(/^shop-prod-a-very-long-c-[0-9a-f]{8}$/);
    expect(resourceName(ctx, ["a-very-long-component-name", "with-purpose"], { maxLength: 32 })).toBe(name);
  });

  it("keeps two long names that share a prefix distinct", () => {
    const a = resourceName(ctx, "a-very-long-component-name-one", { maxLength: 24 });
    const b = resourceName(ctx, "a-very-long-component-name-two", { maxLength: 24 });
    expect(a).not.toBe(b);
  });
});
