import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  /** Absolute path of a new, empty directory. */
  path: string;
  /** Removes the directory and everything in it. Safe to call more than once. */
  cleanup(): void;
}

/** A fresh, private directory (e.g. a per-test data folder) under the OS temp dir. */
export function tempDir(prefix: string): TempDir {
  const safePrefix = prefix.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 40) || 'tmp';
  const path = mkdtempSync(join(tmpdir(), `fieldstock-${safePrefix}-`));
  return {
    path,
    cleanup() {
      rmSync(path, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
