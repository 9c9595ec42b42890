// The ERP map loader (server/erp/maps/load.ts, validate.ts): every kind of
// problem is refused with its file, line and path, all problems at once, and
// the default Tryton maps load cleanly.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblem, loadMaps, loadMapsOrThrow, MapConfigError, resolveMapsDir } from '../../server/erp/maps/load.js';
import type { MapProblem } from '../../server/erp/maps/types.js';
import type { TempDir } from '../helpers/tmp.js';
import { mapsFolder, TRYTON_MAPS_DIR, WAREHOUSES_MAP } from './erp-maps-helpers.js';

const folders: TempDir[] = [];
afterEach(() => {
  while (folders.length) folders.pop()!.cleanup();
});

function problemsOf(files: Record<string, string>): MapProblem[] {
  const dir = mapsFolder(files);
  folders.push(dir);
  const result = loadMaps(dir.path);
  if (result.ok) throw new Error('expected the maps to be refused');
  return result.problems;
}

/** Problems of one warehouses.yaml, as "path: message" lines. */
function problemsOfWarehouses(yaml: string): string[] {
  return problemsOf({ 'warehouses.yaml': yaml }).map((p) => `${p.path}: ${p.message}`);
}

describe('the default Tryton maps', () => {
  it('load cleanly, with every entity of issue 5 and the documented enabled state', () => {
    const set = loadMapsOrThrow(TRYTON_MAPS_DIR);
    const byName = new Map(set.maps.map((m) => [m.name, m]));
    expect([...byName.keys()].sort()).toEqual(['asset-categories', 'customer-assets', 'inventory', 'payment-terms', 'products', 'purchase-orders', 'ship-via', 'warehouses']);
    expect(byName.get('ship-via')!.enabled).toBe(true);
    expect(byName.get('customer-assets')!.enabled).toBe(true);
    expect(byName.get('customer-assets')!.filter.local).toEqual([
      { field: 'serialNumber', op: 'notIn', values: [null, ''] },
      { field: 'productId', op: 'notIn', values: [null, ''] },
    ]);
    expect(byName.get('warehouses')!.enabled).toBe(true);
    expect(byName.get('warehouses')!.key).toEqual(['code']);
    expect(byName.get('products')!.key).toEqual(['number']);
    expect(byName.get('inventory')!.key).toEqual(['productId', 'warehouseId']);
    expect(byName.get('products')!.direction).toBe('from-erp');
    expect(byName.get('purchase-orders')!.children[0]!.model).toBe('purchase.line');
    // Reference data kinds share one collection, each owning its kind.
    expect(byName.get('payment-terms')!.filter.local).toEqual([{ field: 'kind', op: 'equals', values: ['payment-term'] }]);
  });

  it('are found by resolveMapsDir: FIELDSTOCK_ERP_MAPS_DIR wins, else config/erp-maps/<adapter>', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    expect(resolveMapsDir('tryton', {}, root)).toBe(TRYTON_MAPS_DIR);
    expect(resolveMapsDir('tryton', { FIELDSTOCK_ERP_MAPS_DIR: 'custom/maps' }, '/srv/app')).toBe(path.resolve('/srv/app/custom/maps'));
  });
});

describe('each problem kind is refused with a clear message', () => {
  it('an unknown key, at the top and inside a field', () => {
    const problems = problemsOfWarehouses(`${WAREHOUSES_MAP}colour: blue\n`.replace('direction: both }', 'direction: both, dir: x }'));
    expect(problems).toContainEqual(expect.stringMatching(/^colour: unknown key "colour" \(allowed here: collection, model/));
    expect(problems).toContainEqual(expect.stringMatching(/^fields\[1\]\.dir: unknown key "dir" \(allowed here: local, erp, direction, transforms, values, ref\)/));
  });

  it('missing required keys, at the top and inside a field', () => {
    const problems = problemsOfWarehouses(WAREHOUSES_MAP.replace('model: stock.location\n', '').replace('{ local: name, erp: name, direction: both }', '{ local: name, erp: name }'));
    expect(problems).toContain(': missing required key "model"');
    expect(problems).toContain('fields[1]: missing required key "direction"');
  });

  it('a local field that is not in the collection schema (shared/collections.ts)', () => {
    const problems = problemsOfWarehouses(`${WAREHOUSES_MAP}  # nothing\n`.replace('local: name', 'local: nmae'));
    expect(problems).toContainEqual(expect.stringMatching(/^fields\[1\]\.local: "nmae" is not a field of this collection \(fields: id, code, name/));
  });

  it('an unknown collection', () => {
    expect(problemsOfWarehouses(WAREHOUSES_MAP.replace('collection: warehouses', 'collection: depots'))).toContain('collection: unknown collection "depots"');
  });

  it('an unknown transform, a transform with a missing value, and one that does not fit the field type', () => {
    const yaml = WAREHOUSES_MAP.replace('transforms: [trim, upper]', 'transforms: [trim, shout, prefix, decimal]');
    const problems = problemsOfWarehouses(yaml);
    expect(problems).toContainEqual(expect.stringMatching(/^fields\[0\]\.transforms\[1\]: unknown transform "shout" \(known transforms: trim, upper, lower, decimal, date, datetime, boolean, prefix, suffix, default\)/));
    expect(problems).toContain('fields[0].transforms[2]: transform "prefix" needs a value, e.g. { prefix: ... }');
    expect(problems).toContainEqual(expect.stringMatching(/^fields\[0\]\.transforms\[\d\]: decimal works on numbers, but code is text/));
  });

  it('a value map on a non-enum field without a default', () => {
    const yaml = WAREHOUSES_MAP.replace('{ local: name, erp: name, direction: both }', '{ local: name, erp: name, direction: from-erp, values: { pairs: [{ local: Main, erp: WH }] } }');
    expect(problemsOfWarehouses(yaml)).toContain('fields[1].values: name is not an enum, so its value map needs a default (default.local) for values not listed');
  });

  it('a value map on an enum needs no default, but its local values must be members, and a both-ways one must pair each value once', () => {
    const yaml = `${WAREHOUSES_MAP}`.replace(
      '  - { local: active, erp: active, direction: both }',
      '  - { local: active, erp: active, direction: both }\n  - { local: kind, erp: type, direction: both, values: { pairs: [{ local: warehouse, erp: warehouse }, { local: van, erp: van }, { local: truck, erp: warehouse }] } }',
    );
    const problems = problemsOfWarehouses(yaml);
    expect(problems).toContain('fields[3].values.pairs[1].local: "van" is not one of "warehouse", "truck" (field kind)');
    expect(problems).toContainEqual(expect.stringMatching(/^fields\[3\]\.values\.pairs\[2\]\.erp: "warehouse" is listed twice; a both-ways value map must pair each value once/));
    expect(problems.some((p) => p.includes('needs a default'))).toBe(false);
  });

  it('a key field mapped one way only, and a key field with no field map', () => {
    const oneWay = problemsOfWarehouses(WAREHOUSES_MAP.replace('{ local: code, erp: code, direction: both', '{ local: code, erp: code, direction: from-erp'));
    expect(oneWay).toContain('key[0]: key field "code" is mapped from-erp only; a key must be mapped both ways (direction: both) so records can be matched from either side');
    const unmapped = problemsOfWarehouses(WAREHOUSES_MAP.replace('key: [code]', 'key: [code, address]'));
    expect(unmapped).toContain('key[1]: key field "address" has no entry in fields; map it there with direction both');
  });

  it('duplicate maps for a collection, across files', () => {
    const problems = problemsOf({ 'warehouses.yaml': WAREHOUSES_MAP, 'depots.yaml': WAREHOUSES_MAP });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'warehouses.yaml', path: 'collection', line: 1 });
    expect(problems[0]!.message).toMatch(/^duplicate map for collection warehouses: depots\.yaml maps it too/);
  });

  it('two maps may share a collection when each owns a slice by an equals filter, or when one is disabled', () => {
    const kind = (k: string) => `collection: referenceData
model: some.model
key: [code]
filter:
  local:
    - { field: kind, equals: ${k} }
fields:
  - { local: code, erp: name, direction: both }
  - { local: name, erp: name, direction: from-erp }
create:
  local: { kind: ${k}, active: true }
`;
    const dir = mapsFolder({ 'payment-terms.yaml': kind('payment-term'), 'ship-via.yaml': kind('ship-via'), 'w1.yaml': WAREHOUSES_MAP, 'w2.yaml': `enabled: false\n${WAREHOUSES_MAP}` });
    folders.push(dir);
    const result = loadMaps(dir.path);
    expect(result.ok ? result.set.maps.map((m) => m.name) : result.problems).toEqual(['payment-terms', 'ship-via', 'w1', 'w2']);
  });

  it('a reference to a missing or disabled map', () => {
    const po = (ref: string) => `collection: purchaseOrders
model: purchase.purchase
direction: from-erp
key: [number]
fields:
  - { local: number, erp: number, direction: both }
  - { local: vendorName, erp: party.name, direction: from-erp }
  - { local: status, erp: state, direction: from-erp, values: { pairs: [{ erp: done, local: closed }], default: { local: open } } }
  - { local: warehouseId, erp: warehouse, direction: from-erp, ref: ${ref} }
children:
  - local: lines
    erp: lines
    model: purchase.line
    key: [lineNumber]
    fields:
      - { local: lineNumber, erp: id, direction: both }
      - { local: productId, erp: product, direction: from-erp, ref: products }
      - { local: quantityOrdered, erp: quantity, direction: from-erp, transforms: [decimal] }
      - { local: unit, erp: unit.symbol, direction: from-erp }
    create:
      local: { quantityReceived: 0 }
`;
    const problems = problemsOf({ 'purchase-orders.yaml': po('depots'), 'warehouses.yaml': `enabled: false\n${WAREHOUSES_MAP}` });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'fields[3].ref: refers to map "depots", but there is no depots.yaml (maps: purchase-orders, warehouses)',
      'children[0].fields[1].ref: refers to map "products", but there is no products.yaml (maps: purchase-orders, warehouses)',
    ]);
    const disabled = problemsOf({ 'purchase-orders.yaml': po('warehouses'), 'warehouses.yaml': `enabled: false\n${WAREHOUSES_MAP}` });
    expect(disabled[0]).toMatchObject({ path: 'fields[3].ref', line: 9, message: 'refers to map "warehouses", which is disabled; enable it or disable this map' });
  });

  it('a field of a related ERP record written to the ERP, and the ERP id written', () => {
    const yaml = WAREHOUSES_MAP.replace('{ local: name, erp: name, direction: both }', '{ local: name, erp: address.country.name, direction: both }').replace(
      '{ local: active, erp: active, direction: both }',
      '{ local: active, erp: id, direction: to-erp }',
    );
    const problems = problemsOfWarehouses(yaml);
    expect(problems).toContain('fields[1].erp: "address.country.name" is a field of a record two or more relations away and can only be read: use direction from-erp (a field of a directly related record, relation.field, can be written)');
    expect(problems).toContain('fields[2].erp: the ERP record id is assigned by the ERP and never written: use direction from-erp or both');
  });

  it('required fields a record from the ERP would lack, and a create value the local filter rejects', () => {
    const yaml = WAREHOUSES_MAP.replace('  local: { kind: warehouse, externallyMaintained: true, allowNegativeStock: true }', '  local: { kind: truck }').replace(
      'fields:',
      'filter:\n  local:\n    - { field: kind, equals: warehouse }\nfields:',
    );
    const problems = problemsOfWarehouses(yaml);
    expect(problems).toContain('fields: required fields "externallyMaintained", "allowNegativeStock" get no value when a record comes from the ERP: map them from the ERP or give them in create.local');
    expect(problems).toContain('filter.local[0]: create.local sets kind to "truck", which this filter rejects');
  });

  it('a field flowing against the map direction, a bad conflict policy, a bad direction', () => {
    const yaml = `direction: from-erp\nconflict: loudest-wins\n${WAREHOUSES_MAP}`.replace('{ local: name, erp: name, direction: both }', '{ local: name, erp: name, direction: sideways }').replace(
      '{ local: active, erp: active, direction: both }',
      '{ local: active, erp: active, direction: to-erp }',
    );
    const problems = problemsOfWarehouses(yaml);
    expect(problems).toContain('conflict: string "loudest-wins" is not one of erp-wins, app-wins, newest-wins');
    expect(problems).toContain('fields[1].direction: string "sideways" is not one of to-erp, from-erp, both');
    expect(problems).toContain("fields[2].direction: the map's direction is from-erp, so no field can flow to-erp");
  });

  it('filters: unknown field, two operators, a value outside the enum', () => {
    const yaml = WAREHOUSES_MAP.replace(
      'fields:',
      'filter:\n  local:\n    - { field: colour, equals: red }\n    - { field: kind, equals: truck, in: [truck] }\n    - { field: kind, notIn: [warehouse, boat] }\n  erp:\n    - { field: type, equals: warehouse }\nfields:',
    );
    const problems = problemsOfWarehouses(yaml);
    expect(problems).toContain('filter.local[0].field: "colour" is not a field of this collection');
    expect(problems).toContain('filter.local[1]: give exactly one of equals, in, notIn');
    expect(problems).toContain('filter.local[2].notIn[1]: "boat" is not one of "warehouse", "truck" (field kind)');
  });

  it('filters: null (missing) fits an optional field only', () => {
    const yaml = WAREHOUSES_MAP.replace('fields:', 'filter:\n  local:\n    - { field: address, notIn: [null, ""] }\n    - { field: code, in: [null] }\nfields:');
    const problems = problemsOfWarehouses(yaml);
    expect(problems.filter((p) => p.includes('null is not'))).toEqual(['filter.local[1].in[0]: null is not text (field code)']);
  });

  it('YAML that does not parse, with its line', () => {
    const problems = problemsOf({ 'warehouses.yaml': 'collection: warehouses\nfields: [\n  { local: code\n' });
    expect(problems[0]!.file).toBe('warehouses.yaml');
    expect(problems[0]!.message).toMatch(/^not valid YAML: /);
    expect(problems[0]!.line).toBeGreaterThan(1);
  });

  it('a folder that does not exist', () => {
    const result = loadMaps('/nonexistent/erp-maps');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/the ERP maps folder does not exist/);
  });
});

describe('all problems are reported at once', () => {
  it('collects every problem of every file, each naming file, line and path, and refuses to start', () => {
    const dir = mapsFolder({
      'warehouses.yaml': WAREHOUSES_MAP.replace('local: name', 'local: nmae').replace('[trim, upper]', '[trim, shout]'),
      'products.yaml': 'collection: products\nmodel: product.product\nkey: [number]\nfields:\n  - { local: number, erp: code, direction: to-erp }\nextra: 1\n',
    });
    folders.push(dir);
    let error: unknown;
    try {
      loadMapsOrThrow(dir.path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MapConfigError);
    const problems = (error as MapConfigError).problems;
    // products.yaml: unknown key, key one-way; warehouses.yaml: unknown field, unknown transform, required name.
    expect(problems.filter((p) => p.file === 'products.yaml').length).toBeGreaterThanOrEqual(2);
    expect(problems.filter((p) => p.file === 'warehouses.yaml').length).toBeGreaterThanOrEqual(2);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^ERP maps in ${dir.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} have ${problems.length} problems; fix them and start again:`));
    expect(message).toContain('products.yaml:6: extra: unknown key "extra"');
    expect(message).toContain('products.yaml:3: key[0]: key field "number" is mapped to-erp only');
    expect(message).toContain('warehouses.yaml:6: fields[1].local: "nmae" is not a field of this collection');
    expect(message).toContain('warehouses.yaml:5: fields[0].transforms[1]: unknown transform "shout"');
    for (const p of problems) expect(formatProblem(p)).toMatch(/^(products|warehouses)\.yaml(:\d+)?: /);
  });
});
