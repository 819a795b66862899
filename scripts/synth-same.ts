// `npm run synth:same`: the cdktf CLI's synthesis (`npm run synth:cdktf`, what `cdktf synth` and `cdktf deploy` run)
// and `npm run synth` write byte-identical output for the sample environments. Part of `npm test`: the CLI costs
// ~5 s of CPU, paid once here instead of again inside the test suite.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { treeDifferences } from "./lib/tree-diff.ts";

const root = mkdtempSync(join(tmpdir(), "synth-same-"));
const run = (args: string[], outdir: string): void => {
  const r = spawnSync(args[0]!, args.slice(1), {
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0) {
    console.error(`synth:same: ${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
};
try {
  const cli = join(root, "cdktf-cli");
  const direct = join(root, "synth");
  run(["npm", "run", "--silent", "synth:cdktf"], cli);
  run(["node", "scripts/synth.mjs"], direct);
  const { files, differ } = treeDifferences(cli, direct);
  if (differ.length) {
    console.error(
      `synth:same: cdktf synth and npm run synth differ in ${differ.length} file(s): ${differ.join(", ")}`,
    );
    process.exitCode = 1;
  } else console.log(`synth:same: cdktf synth and npm run synth wrote the same ${files} files`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
