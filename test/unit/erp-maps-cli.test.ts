// `npm run erp:maps -- check [dir]` (server/erp/maps/cli.ts), spawned as a real
// process: exit codes and what an administrator reads.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempDir } from '../helpers/tmp.js';
import { mapsFolder, TRYTON_MAPS_DIR, WAREHOUSES_MAP } from './erp-maps-helpers.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'server/erp/maps/cli.ts');

function run(args: string[], env: Record<string, string> = {}) {
  const { FIELDSTOCK_ERP_MAPS_DIR: _dir, FIELDSTOCK_ERP: _erp, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env: { ...inherited, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const folders: TempDir[] = [];
afterEach(() => {
  while (folders.length) folders.pop()!.cleanup();
});

describe('erp:maps check', () => {
  it('exits 0 with a summary for the default Tryton maps (the default folder)', () => {
    const { status, stdout, stderr } = run(['check']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(`ERP maps in ${TRYTON_MAPS_DIR}: 8 maps, 8 enabled, no problems.`);
    expect(stdout).toContain('warehouses: warehouses ↔ stock.location, key code,');
    expect(stdout).toContain('inventory: inventory ↔ product.product, key productId + warehouseId,');
    expect(stdout).toContain('ship-via: referenceData ↔ carrier, key code, 3 fields (3 both, 0 to ERP, 0 from ERP), both ways');
    expect(stdout).toMatch(/purchase-orders: .* from the ERP, erp-wins; sub-records lines ↔ purchase\.line \(4 fields\)/);
  });

  it('exits 1 and lists every problem with file, line and path', () => {
    const dir = mapsFolder({ 'warehouses.yaml': WAREHOUSES_MAP.replace('local: name', 'local: nmae').replace('[trim, upper]', '[trim, shout]') });
    folders.push(dir);
    const { status, stdout, stderr } = run(['check', dir.path]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`ERP maps in ${dir.path} have 3 problems; fix them and start again:`);
    expect(stderr).toContain('warehouses.yaml:5: fields[0].transforms[1]: unknown transform "shout"');
    expect(stderr).toContain('warehouses.yaml:6: fields[1].local: "nmae" is not a field of this collection');
    expect(stderr).toContain('required field "name" gets no value when a record comes from the ERP');
  });

  it('checks FIELDSTOCK_ERP_MAPS_DIR when no folder is given', () => {
    const dir = mapsFolder({ 'warehouses.yaml': WAREHOUSES_MAP });
    folders.push(dir);
    const { status, stdout } = run(['check'], { FIELDSTOCK_ERP_MAPS_DIR: dir.path });
    expect(status).toBe(0);
    expect(stdout).toContain(`ERP maps in ${dir.path}: 1 map, 1 enabled, no problems.`);
  });

  it('exits 1 for a folder that does not exist', () => {
    const { status, stderr } = run(['check', '/nonexistent/maps']);
    expect(status).toBe(1);
    expect(stderr).toContain('the ERP maps folder does not exist');
  });

  it('exits 2 with the usage on wrong arguments', () => {
    const none = run([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: npm run erp:maps -- check [dir]');
    const wrong = run(['fix', 'a']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('unknown arguments: fix a');
  });

  it('runs through the npm script', () => {
    const result = spawnSync('npm', ['run', '--silent', 'erp:maps', '--', 'check', TRYTON_MAPS_DIR], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('8 maps, 8 enabled, no problems.');
  });
});
