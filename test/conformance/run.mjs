#!/usr/bin/env node
// Runs RxDB's backend conformance suite (test/conformance/base-suite.test.ts) with mocha,
// in this process, once. Launched by scripts/test.mjs; also runnable alone:
//
//   node test/conformance/run.mjs
//   FIELDSTOCK_CONFORMANCE_ENGINES=sqlite node test/conformance/run.mjs
//
// Output: mocha's spec reporter on the console and mocha's JSON reporter written to
// .test-results/conformance.json ({ stats: { passes, failures, pending }, ... }), both fed
// by the same run. Exit status: 0 when every test passed, 1 otherwise (also when the
// suite could not be loaded). Like `mocha --exit`, it exits once the run ends, even if a
// socket or timer is still open.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import { register } from 'tsx/esm/api';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteFile = join(root, 'test', 'conformance', 'base-suite.test.ts');
const output = join(root, '.test-results', 'conformance.json');

// The suite and the code it imports are TypeScript.
register();

const { Base, Spec, JSON: JsonReporter } = Mocha.reporters;

/** Spec on the console plus JSON to a file, from a single run. */
class ConsoleAndJsonReporter extends Base {
  /**
   * @param {import('mocha').Runner} runner
   * @param {import('mocha').MochaOptions} options
   */
  constructor(runner, options) {
    super(runner, options);
    new Spec(runner, options);
    new JsonReporter(runner, { ...options, reporterOption: { ...(options.reporterOption ?? {}), output } });
  }
}

/** @param {unknown} error */
function fail(error) {
  console.error('[conformance] the suite could not run:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
}

mkdirSync(dirname(output), { recursive: true });
rmSync(output, { force: true });

const mocha = new Mocha({
  reporter: ConsoleAndJsonReporter,
  timeout: 30_000,
  // Tests share one backend per engine and must run in order.
  parallel: false,
  color: process.stdout.isTTY === true,
});
mocha.addFile(suiteFile);

try {
  await mocha.loadFilesAsync();
} catch (error) {
  fail(error);
}

mocha.run((failures) => {
  const failed = typeof failures === 'number' ? failures : 1;
  console.log(`[conformance] ${failed === 0 ? 'all passed' : `${failed} failed`}; report: ${output}`);
  // Flush stdout before exiting (like mocha --exit).
  process.stdout.write('', () => process.exit(failed === 0 ? 0 : 1));
});
