// npm run stack: the picker driven through @clack/prompts' own input and output streams, as keys on a terminal.
import { PassThrough, Writable } from "node:stream";
import { spawnSync } from "node:child_process";
import { pick, tfArgsFor } from "../scripts/lib/picker.ts";

const ENVS = ["dev", "prod"];
const STACKS = [
  "bootstrap",
  "shared",
  "dev-network",
  "dev-db",
  "dev-ecs",
  "prod-network",
  "prod-db",
  "prod-ecs",
];
const DOWN = "\x1b[B";
const ENTER = "\r";
const TAB = "\t";

/** Runs the picker, answering each prompt with keys once its question is on the screen. */
async function drive(
  steps: readonly [question: string, keys: readonly string[]][],
): Promise<{ args: string[] | undefined; screen: string }> {
  const input = new PassThrough();
  let screen = "";
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      screen += chunk.toString();
      done();
    },
  });
  const result = pick(STACKS, ENVS, { input, output });
  for (const [question, keys] of steps) {
    await vi.waitFor(() => expect(screen).toContain(question), { timeout: 5000 });
    for (const key of keys) {
      input.write(key);
      await new Promise((r) => setImmediate(r));
    }
    screen += "\n--- answered ---\n";
  }
  return { args: await result, screen };
}

describe("the stack picker", () => {
  it("offers the environments, then that environment's stacks with the shared ones, then the actions", async () => {
    const { screen } = await drive([
      ["Environment", [ENTER]],
      ["Stacks", [DOWN, TAB, ENTER]],
      ["Action", [ENTER]],
    ]);
    expect(screen).toMatch(/dev[\s\S]*prod/);
    const stacksPrompt = screen.slice(screen.indexOf("Stacks"));
    for (const s of ["bootstrap", "shared", "dev-network", "dev-db", "dev-ecs"])
      expect(stacksPrompt).toContain(s);
    expect(stacksPrompt.slice(0, stacksPrompt.indexOf("--- answered"))).not.toContain("prod-db");
  });

  it("filters the stacks as the person types and produces the tf command for the pick", async () => {
    const { args, screen } = await drive([
      ["Environment", [DOWN, ENTER]],
      ["Stacks", ["d", "b", DOWN, TAB, ENTER]],
      ["Action", [DOWN, ENTER]],
    ]);
    expect(args).toEqual(["apply", "prod", "db"]);
    expect(screen).toContain("npm run tf -- apply prod db");
  });

  it("returns nothing when the person cancels", async () => {
    const { args } = await drive([["Environment", ["\x03"]]]);
    expect(args).toBeUndefined();
  });
});

describe("the tf command of a pick", () => {
  it("names the bare environment when all of its stacks are picked", () => {
    expect(tfArgsFor("plan", "dev", ["dev-network", "dev-db", "dev-ecs"], STACKS, ENVS)).toEqual([
      "plan",
      "dev",
    ]);
  });

  it("names components by their short name and shared stacks by their own", () => {
    expect(tfArgsFor("apply", "dev", ["shared", "dev-db"], STACKS, ENVS)).toEqual([
      "apply",
      "dev",
      "db",
      "shared",
    ]);
    expect(tfArgsFor("plan", "dev", ["bootstrap"], STACKS, ENVS)).toEqual(["plan", "shared", "bootstrap"]);
  });
});

describe("npm run stack without a terminal", () => {
  it("exits 1 and says which command to run instead", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/stack.ts"], {
      encoding: "utf8",
      input: "",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "npm run stack needs a terminal: without one, run npm run tf -- <action> <env>",
    );
  });
});
