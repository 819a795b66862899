// Synthesis for the operator tools: the same fast path as `npm run synth`, in a child process, into any folder.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SYNTH = fileURLToPath(new URL("../synth.mjs", import.meta.url));

/** Synthesis failed; its own one-line problems were already printed on stderr. */
export class SynthFailed extends Error {
  override readonly name = "SynthFailed";
}

/** Runs scripts/synth.mjs into `outdir` (stderr passes through, so configuration errors reach the person). */
export function synthInto(outdir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SYNTH], {
      env: { ...env, CDKTF_OUTDIR: outdir },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new SynthFailed(`synthesis failed (exit ${code}): fix the problems above and run again`)),
    );
  });
}
