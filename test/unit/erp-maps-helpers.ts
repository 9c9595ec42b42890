// Shared by the erp-maps tests: map folders written to a temp dir, and maps
// loaded from YAML text through the real loader (so tests use validated maps).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadMapFile } from '../../server/erp/maps/load.js';
import type { EntityMap } from '../../server/erp/maps/types.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

export const TRYTON_MAPS_DIR = path.resolve(import.meta.dirname, '../../config/erp-maps/tryton');

/** Writes `files` (name → YAML text) into a fresh folder. */
export function mapsFolder(files: Record<string, string>): TempDir {
  const dir = tempDir('erp-maps');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir.path, name), text);
  return dir;
}

/** One map from YAML text, validated by the loader; fails the test on any problem. */
export function mapFrom(yaml: string, name = 'test-map'): EntityMap {
  const dir = mapsFolder({ [`${name}.yaml`]: yaml });
  try {
    const result = loadMapFile(path.join(dir.path, `${name}.yaml`));
    if (result.problems.length > 0 || !result.map) {
      throw new Error(`test map does not load:\n${result.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
    }
    return result.map;
  } finally {
    dir.cleanup();
  }
}

/** A minimal valid warehouses map; tests add or change lines. */
export const WAREHOUSES_MAP = `collection: warehouses
model: stock.location
key: [code]
fields:
  - { local: code, erp: code, direction: both, transforms: [trim, upper] }
  - { local: name, erp: name, direction: both }
  - { local: active, erp: active, direction: both }
create:
  local: { kind: warehouse, externallyMaintained: true, allowNegativeStock: true }
`;
