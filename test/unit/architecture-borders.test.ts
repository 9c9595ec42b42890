import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The folder borders of the design: shared/ imports nothing of ours, the
// server never imports the renderer or Electron, the renderer never imports
// the server or Electron. tsconfig project references enforce them at build
// time too; this test names the offending import when one slips in.
const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...sourceFiles(full));
    else if (/\.(ts|tsx)$/.test(entry) && !entry.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.relative(root, path.resolve(path.dirname(file), s)));
}

function violations(folder: string, forbidden: string[]): string[] {
  const result: string[] = [];
  for (const file of sourceFiles(path.join(root, folder))) {
    for (const target of relativeImports(file)) {
      const top = target.split(path.sep)[0] ?? '';
      if (forbidden.includes(top)) result.push(`${path.relative(root, file)} imports ${target}`);
    }
  }
  return result;
}

describe('folder borders', () => {
  it('shared/ imports nothing from server/, renderer/, electron/ or test/', () => {
    expect(violations('shared', ['server', 'renderer', 'electron', 'test'])).toEqual([]);
  });

  it('server/ never imports renderer/, electron/ or test/ code', () => {
    expect(violations('server', ['renderer', 'electron', 'test'])).toEqual([]);
  });

  it('renderer/ never imports server/, electron/ or test/ code', () => {
    expect(violations('renderer', ['server', 'electron', 'test'])).toEqual([]);
  });

  it('the check sees relative imports at all (guards against a regex that matches nothing)', () => {
    expect(relativeImports(path.join(root, 'server/app.ts')).some((p) => p.startsWith('server'))).toBe(true);
  });
});
