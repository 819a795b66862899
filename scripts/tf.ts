// `npm run tf -- <plan|apply|destroy|output|synth|list> <env|shared|all> [component...] [-- terraform flags]`.
import { main } from "./lib/tf-cli.ts";

process.exitCode = await main(process.argv.slice(2));
