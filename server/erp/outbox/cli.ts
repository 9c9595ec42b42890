/**
 * `npm run erp -- status|errors|retry <id>|pause <map>|resume <map>`: the
 * ERP outbox from a terminal, through the admin API of a running server.
 */
import { runCli } from './cli-run.js';

runCli(process.argv.slice(2), process.env, (text) => process.stdout.write(`${text}\n`), (text) => process.stderr.write(`${text}\n`))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
