import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const gate = path.join(root, 'scripts', 'security-gate.mjs');

interface GateRun {
  code: number;
  output: string;
}

function runGate(args: string[]): Promise<GateRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [gate, ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? Reflect.get(value, key) : undefined;
}

describe('the Electron security gate (electronegativity)', { timeout: 60_000 }, () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'fieldstock-gate-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes on electron/ with only the justified findings, and leaves its parsed report in .test-results', async () => {
    const started = Date.now();
    const run = await runGate([]);
    expect(run.output).toMatch(/security-gate: electron: \d+ checks/);
    expect(run.code).toBe(0);

    const sarif = path.join(root, '.test-results', 'electronegativity.sarif');
    const verdictFile = path.join(root, '.test-results', 'security-gate.json');
    expect(existsSync(sarif)).toBe(true);
    expect(statSync(sarif).mtimeMs).toBeGreaterThanOrEqual(started - 1_000);
    expect(Array.isArray(field(readJson(sarif), 'runs'))).toBe(true);

    const verdict = readJson(verdictFile);
    expect(field(verdict, 'passed')).toBe(true);
    expect(field(verdict, 'violations')).toEqual([]);
    expect(field(verdict, 'problems')).toEqual([]);
    // The scanner really ran its checks over the files.
    expect(field(field(verdict, 'checks'), 'atomic')).toBeGreaterThan(20);
  });

  it('fails on an insecure window, which proves it parses the findings rather than trusting the exit status', async () => {
    const insecure = path.join(scratch, 'insecure');
    const out = path.join(scratch, 'out');
    mkdirSync(insecure, { recursive: true });
    writeFileSync(
      path.join(insecure, 'main.ts'),
      [
        "import { BrowserWindow } from 'electron';",
        'const window: BrowserWindow = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false } });',
        "void window.loadURL('http://example.com');",
      ].join('\n'),
    );
    const run = await runGate(['--input', insecure, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.output).toContain('VIOLATION CONTEXT_ISOLATION_JS_CHECK main.ts:2');
    expect(run.output).toContain('VIOLATION SANDBOX_JS_CHECK main.ts:2');
    expect(field(readJson(path.join(out, 'security-gate.json')), 'passed')).toBe(false);
  });
});
