/**
 * One pristine Tryton database per test run, built lazily by the first test
 * file that needs it and shared by the others through the file system:
 *
 *   $TMPDIR/fieldstock-tryton-<vitest pid>/pristine.sqlite
 *
 * Test files run in forked workers of one Vitest process, so the parent pid
 * names the run. The first worker to create the folder builds (`trytond-admin`
 * with stock + purchase, ≈9 s); the others wait for `ready`. Folders of runs
 * whose Vitest process is gone are deleted on the way (there is no global
 * teardown to do it).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRYTOND_ADMIN, trytonUnavailableReason } from './binaries.js';

export const TEMPLATE_DATABASE = 'fieldstock';
export const ADMIN_LOGIN = 'admin';
/** A throwaway database on 127.0.0.1: the password protects nothing. */
export const ADMIN_PASSWORD = 'fieldstock-test-admin';

const PREFIX = 'fieldstock-tryton-';
const BUILD_TIMEOUT_MS = 180_000;

export interface Template {
  /** The pristine database file; copy it, never open it. */
  file: string;
  /** How long the build took (0 when another worker built it and we only waited). */
  builtInMs: number;
}

let cached: Promise<Template> | undefined;

/** The run's pristine database, building it if no worker has yet. */
export function pristineTemplate(): Promise<Template> {
  cached ??= obtain();
  return cached;
}

async function obtain(): Promise<Template> {
  const reason = trytonUnavailableReason();
  if (reason) throw new Error(`Tryton template: ${reason}`);
  removeStaleTemplates();
  const dir = join(tmpdir(), `${PREFIX}${process.ppid}`);
  const file = join(dir, 'pristine.sqlite');
  let builder = false;
  try {
    mkdirSync(dir);
    builder = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (!builder) return { file: await waitForBuild(dir, file), builtInMs: 0 };

  writeFileSync(join(dir, 'builder.pid'), String(process.pid));
  const started = Date.now();
  try {
    await build(join(dir, 'build'), file);
  } catch (error) {
    writeFileSync(join(dir, 'failed'), error instanceof Error ? error.message : String(error));
    throw error;
  }
  const builtInMs = Date.now() - started;
  writeFileSync(join(dir, 'ready'), JSON.stringify({ builtInMs }));
  console.log(`[fieldstock tests] Tryton pristine database built in ${builtInMs} ms (${file})`);
  return { file, builtInMs };
}

async function build(work: string, target: string): Promise<void> {
  mkdirSync(work, { recursive: true });
  const conf = join(work, 'trytond.conf');
  const passFile = join(work, 'admin-password');
  writeFileSync(conf, `[database]\nuri = sqlite://\npath = ${work}\n`);
  writeFileSync(passFile, ADMIN_PASSWORD);
  // The SQLite backend opens, never creates, the database file.
  writeFileSync(join(work, `${TEMPLATE_DATABASE}.sqlite`), '');
  // One command initializes the base and activates stock, purchase, stock_lot and carrier with their dependencies (≈9 s; in two steps ≈11 s).
  const args = ['-c', conf, '-d', TEMPLATE_DATABASE, '-u', 'stock', 'purchase', 'stock_lot', 'carrier', '--activate-dependencies', '--email', 'admin@example.com'];
  const result = await run(TRYTOND_ADMIN, args, { ...process.env, TRYTONPASSFILE: passFile });
  if (result.code !== 0) throw new Error(`trytond-admin failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
  // The rename is atomic: a waiting worker never sees half a file.
  renameSync(join(work, `${TEMPLATE_DATABASE}.sqlite`), target);
  rmSync(work, { recursive: true, force: true });
}

async function waitForBuild(dir: string, file: string): Promise<string> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    if (existsSync(join(dir, 'ready'))) return file;
    if (existsSync(join(dir, 'failed'))) throw new Error(`Tryton template build failed in another worker: ${readFileSync(join(dir, 'failed'), 'utf8')}`);
    const builderPid = Number(readIfExists(join(dir, 'builder.pid')));
    if (builderPid > 0 && !alive(builderPid)) throw new Error(`the worker building the Tryton template (pid ${builderPid}) died; delete ${dir} and run again`);
    if (Date.now() > deadline) throw new Error(`timed out after ${BUILD_TIMEOUT_MS} ms waiting for the Tryton template in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function removeStaleTemplates(): void {
  for (const name of readdirSync(tmpdir())) {
    const match = new RegExp(`^${PREFIX}(\\d+)$`).exec(name);
    const pid = Number(match?.[1]);
    if (match && pid !== process.ppid && !alive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readIfExists(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, maxBuffer: 16 * 1024 * 1024, timeout: BUILD_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}
