#!/usr/bin/env node
// The project's test command (`npm test`). Runs, in order, streaming their output:
//   1. typecheck   npx tsc -b                          (counts as one test)
//   2. lint        npx eslint --max-warnings 0 .       (counts as one test)
//   3. vitest      unit + integration tests            (totals from .test-results/vitest.json)
//   4. conformance node test/conformance/run.mjs, if present
//                                                      (totals from .test-results/conformance.json)
//   5. e2e         npx playwright test -c test/e2e/playwright.config.ts
//                  (web build in Chromium against a real backend; its global setup builds
//                  renderer/dist when missing or stale; totals from .test-results/e2e.json;
//                  without Chromium its tests count as skipped, with the reason)
// Every step runs even if an earlier one failed. The very last line printed is always
// `N passed, N failed, N skipped`; the exit status is 1 if anything failed.
//
//   node scripts/test.mjs --quick    skip typecheck and lint (local iteration)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, '.test-results');
const vitestJson = join(resultsDir, 'vitest.json');
const conformanceRunner = join(root, 'test', 'conformance', 'run.mjs');
const conformanceJson = join(resultsDir, 'conformance.json');
const e2eConfig = join('test', 'e2e', 'playwright.config.ts');
const e2eJson = join(resultsDir, 'e2e.json');
const e2eListJson = join(resultsDir, 'e2e-list.json');
// Debian's Chromium (test/e2e/support/browser.ts); Playwright cannot download its own here.
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM || '/usr/bin/chromium';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const unknown = args.filter((a) => a !== '--quick');
if (unknown.length > 0) {
  console.error(`scripts/test.mjs: unknown argument(s): ${unknown.join(' ')} (only --quick is accepted)`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

/** @type {{ name: string; passed: number; failed: number; skipped: number; note: string; ms: number }[]} */
const results = [];

/**
 * Runs a command with inherited stdio. Resolves with its exit status (never rejects).
 * @param {string} command
 * @param {string[]} commandArgs
 * @returns {Promise<number>}
 */
function run(command, commandArgs) {
  console.log(`\n$ ${[command, ...commandArgs].join(' ')}`);
  return new Promise((resolvePromise) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env: process.env });
    child.on('error', (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolvePromise(127);
    });
    child.on('exit', (code, signal) => {
      if (signal) console.error(`${command} was killed by ${signal}`);
      resolvePromise(code ?? 1);
    });
  });
}

/**
 * @param {string} file
 * @returns {unknown}
 */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (existsSync(file)) console.error(`could not parse ${file}: ${error instanceof Error ? error.message : error}`);
    return undefined;
  }
}

/**
 * @param {unknown} value
 * @returns {number}
 */
function count(value) {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/**
 * Runs a command with its stdout discarded (stderr inherited). Never rejects.
 * @param {string} command
 * @param {string[]} commandArgs
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>}
 */
function runQuiet(command, commandArgs, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
    child.on('error', () => resolvePromise(127));
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });
}

/**
 * A step that counts as a single test: passed when the command exits 0.
 * @param {string} name
 * @param {string} command
 * @param {string[]} commandArgs
 */
async function singleTestStep(name, command, commandArgs) {
  const started = Date.now();
  const status = await run(command, commandArgs);
  const ok = status === 0;
  results.push({
    name,
    passed: ok ? 1 : 0,
    failed: ok ? 0 : 1,
    skipped: 0,
    note: ok ? '' : `exit status ${status}`,
    ms: Date.now() - started,
  });
}

async function vitestStep() {
  const started = Date.now();
  rmSync(vitestJson, { force: true });
  const status = await run('npx', [
    '--no',
    '--',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join('.test-results', 'vitest.json')}`,
  ]);
  const report = /** @type {Record<string, unknown> | undefined} */ (readJson(vitestJson));
  const ms = Date.now() - started;
  if (!report || typeof report !== 'object') {
    results.push({ name: 'vitest', passed: 0, failed: 1, skipped: 0, note: `no JSON report (exit status ${status})`, ms });
    return;
  }
  const passed = count(report.numPassedTests);
  let failed = count(report.numFailedTests);
  const skipped = count(report.numPendingTests) + count(report.numTodoTests);
  const notes = [];
  // A test file that fails to load (syntax error, throwing import, failing beforeAll at
  // file level) has no failed test in it: count each such file as one failure.
  const files = Array.isArray(report.testResults) ? report.testResults : [];
  let brokenFiles = 0;
  for (const file of files) {
    if (!file || typeof file !== 'object' || file.status !== 'failed') continue;
    const assertions = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    if (!assertions.some((a) => a && typeof a === 'object' && a.status === 'failed')) brokenFiles++;
  }
  if (brokenFiles > 0) {
    failed += brokenFiles;
    notes.push(`${brokenFiles} test file(s) failed outside any test`);
  }
  // Vitest failed for another reason (e.g. unhandled errors): never report a green run.
  if (status !== 0 && failed === 0) {
    failed = 1;
    notes.push(`vitest exited with status ${status} without a failing test (see its output)`);
  }
  results.push({ name: 'vitest', passed, failed, skipped, note: notes.join('; '), ms });
}

async function conformanceStep() {
  if (!existsSync(conformanceRunner)) return;
  const started = Date.now();
  rmSync(conformanceJson, { force: true });
  const status = await run(process.execPath, [conformanceRunner]);
  const report = /** @type {{ stats?: Record<string, unknown> } | undefined} */ (readJson(conformanceJson));
  const ms = Date.now() - started;
  const stats = report && typeof report === 'object' ? report.stats : undefined;
  if (!stats || typeof stats !== 'object') {
    results.push({
      name: 'conformance',
      passed: 0,
      failed: 1,
      skipped: 0,
      note: `no JSON report (exit status ${status})`,
      ms,
    });
    return;
  }
  const passed = count(stats.passes);
  let failed = count(stats.failures);
  const skipped = count(stats.pending);
  let note = '';
  if (status !== 0 && failed === 0) {
    failed = 1;
    note = `exited with status ${status} without a failing test (see its output)`;
  }
  results.push({ name: 'conformance', passed, failed, skipped, note, ms });
}

/**
 * How many tests a Playwright JSON report lists (suites nest; each spec has one test per project).
 * @param {unknown} suite
 * @returns {number}
 */
function countListedTests(suite) {
  if (!suite || typeof suite !== 'object') return 0;
  const { specs, suites } = /** @type {{ specs?: unknown; suites?: unknown }} */ (suite);
  let n = 0;
  for (const spec of Array.isArray(specs) ? specs : []) {
    const tests = spec && typeof spec === 'object' ? /** @type {{ tests?: unknown }} */ (spec).tests : undefined;
    n += Array.isArray(tests) ? tests.length : 1;
  }
  for (const child of Array.isArray(suites) ? suites : []) n += countListedTests(child);
  return n;
}

async function e2eStep() {
  const started = Date.now();
  if (!existsSync(chromiumPath)) {
    // Skipped, never passed: list the tests to count them (no browser and no build needed).
    rmSync(e2eListJson, { force: true });
    await runQuiet('npx', ['--no', '--', 'playwright', 'test', '-c', e2eConfig, '--list', '--reporter=json'], {
      ...process.env,
      PLAYWRIGHT_JSON_OUTPUT_NAME: e2eListJson,
    });
    const listed = countListedTests(readJson(e2eListJson));
    const note = `no Chromium at ${chromiumPath}: install it (apt-get install -y chromium) or set PLAYWRIGHT_CHROMIUM`;
    console.log(`\ne2e: skipped - ${note}`);
    results.push({ name: 'e2e', passed: 0, failed: 0, skipped: Math.max(listed, 1), note, ms: Date.now() - started });
    return;
  }
  rmSync(e2eJson, { force: true });
  const status = await run('npx', ['--no', '--', 'playwright', 'test', '-c', e2eConfig]);
  const report = /** @type {{ stats?: Record<string, unknown>; errors?: unknown } | undefined} */ (readJson(e2eJson));
  const ms = Date.now() - started;
  const stats = report && typeof report === 'object' ? report.stats : undefined;
  if (!stats || typeof stats !== 'object') {
    results.push({ name: 'e2e', passed: 0, failed: 1, skipped: 0, note: `no JSON report (exit status ${status})`, ms });
    return;
  }
  const flaky = count(stats.flaky);
  const passed = count(stats.expected) + flaky;
  let failed = count(stats.unexpected);
  const skipped = count(stats.skipped);
  const notes = [];
  if (flaky > 0) notes.push(`${flaky} passed only on retry (flaky)`);
  // Errors outside any test (global setup, e.g. a failed renderer build) fail the step.
  const errors = Array.isArray(report?.errors) ? report.errors.length : 0;
  if (errors > 0 && failed === 0) {
    failed = 1;
    notes.push(`${errors} error(s) outside any test (see the output)`);
  }
  if (status !== 0 && failed === 0) {
    failed = 1;
    notes.push(`exited with status ${status} without a failing test (see its output)`);
  }
  results.push({ name: 'e2e', passed, failed, skipped, note: notes.join('; '), ms });
}

mkdirSync(resultsDir, { recursive: true });

if (quick) {
  console.log('--quick: skipping typecheck and lint');
} else {
  await singleTestStep('typecheck', 'npx', ['--no', '--', 'tsc', '-b']);
  await singleTestStep('lint', 'npx', ['--no', '--', 'eslint', '--max-warnings', '0', '.']);
}
await vitestStep();
await conformanceStep();
await e2eStep();

let passed = 0;
let failed = 0;
let skipped = 0;
console.log('\nSummary:');
for (const r of results) {
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  const seconds = (r.ms / 1000).toFixed(1);
  const line = `  ${r.failed > 0 ? 'FAIL' : 'ok  '} ${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${seconds}s)`;
  console.log(r.note ? `${line} - ${r.note}` : line);
}
// Must stay the very last line of output.
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
