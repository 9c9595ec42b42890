/**
 * `npm run erp:maps -- check [dir]`: validates a maps folder the way the
 * backend does at start, so an administrator can check an edit before a
 * restart. Exit 0 with a summary, 1 with every problem, 2 on wrong usage.
 */
import { formatProblems, loadMaps, resolveMapsDir } from './load.js';
import { summarize } from './summary.js';

const USAGE = `usage: npm run erp:maps -- check [dir]
  Validates the ERP entity maps in dir (default: FIELDSTOCK_ERP_MAPS_DIR, else config/erp-maps/<FIELDSTOCK_ERP or tryton>).`;

function main(args: string[]): number {
  const [command, dir, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'check' || rest.length > 0) {
    console.error(command === undefined ? USAGE : `unknown arguments: ${args.join(' ')}\n${USAGE}`);
    return 2;
  }
  const erp = process.env.FIELDSTOCK_ERP;
  const folder = dir ?? resolveMapsDir(erp && erp !== 'none' ? erp : 'tryton');
  const result = loadMaps(folder);
  if (!result.ok) {
    console.error(formatProblems(folder, result.problems));
    return 1;
  }
  console.log(summarize(result.set));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
