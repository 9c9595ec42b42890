// The ERP map engine (server/erp/maps/engine.ts): directions, value maps,
// transforms (decimal without float loss), composite keys through references,
// filters, diff/echo detection, conflict policies, and the round-trip property
// of every `both` field. Maps are real YAML loaded by the real loader.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedFields, diff, erpReadFields, fromErp, integrationKey, matches, resolveConflict, toErp } from '../../server/erp/maps/engine.js';
import { loadMapsOrThrow } from '../../server/erp/maps/load.js';
import { createLinkLookup } from '../../server/erp/maps/lookup.js';
import type { EntityMap, ErpValue, LocalDoc, MapResult } from '../../server/erp/maps/types.js';
import { ErpDate, ErpDateTime, ErpDecimal } from '../../server/erp/values.js';
import { mapFrom, TRYTON_MAPS_DIR } from './erp-maps-helpers.js';

const tryton = new Map(loadMapsOrThrow(TRYTON_MAPS_DIR).maps.map((m) => [m.name, m]));
const trytonMap = (name: string): EntityMap => tryton.get(name)!;

function value<T>(result: MapResult<T>): T {
  if (!result.ok) throw new Error(`unexpected problems: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.value;
}

// Every transform kind, in both directions where it makes sense.
const PRODUCTS = mapFrom(`collection: products
model: product.product
key: [number]
filter:
  local:
    - { field: tracking, notIn: [lot] }
  erp:
    - { field: type, in: [goods, assets] }
    - { field: code, notIn: [null, ""] }
fields:
  - { local: number, erp: code, direction: both, transforms: [trim, upper, { prefix: "P-" }] }
  - { local: name, erp: name, direction: both, transforms: [trim, { suffix: " (FS)" }] }
  - { local: description, erp: description, direction: to-erp, transforms: [{ default: "(none)" }] }
  - { local: unit, erp: default_uom.symbol, direction: from-erp, transforms: [trim, lower] }
  - { local: overReceiptTolerancePercent, erp: tolerance, direction: both, transforms: [{ decimal: { places: 2 } }] }
  - local: tracking
    erp: lot_mode
    direction: both
    values:
      pairs:
        - { local: none, erp: never }
        - { local: serial, erp: serial }
        - { local: lot, erp: batch }
      default: { local: none }
  - { local: active, erp: active, direction: both, transforms: [boolean] }
create:
  local: { barcodes: [] }
  erp: { type: goods }
`);

const ORDERS = mapFrom(`collection: purchaseOrders
model: purchase.purchase
key: [number]
fields:
  - { local: number, erp: number, direction: both }
  - { local: vendorName, erp: party.name, direction: from-erp }
  - local: status
    erp: state
    direction: both
    values:
      pairs:
        - { local: open, erp: processing }
        - { local: partially-received, erp: partial }
        - { local: received, erp: received }
        - { local: closed, erp: done }
        - { local: cancelled, erp: cancelled }
  - { local: warehouseId, erp: warehouse, direction: both, ref: warehouses }
  - { local: orderDate, erp: purchase_date, direction: both, transforms: [date] }
  - { local: expectedDate, erp: delivery_at, direction: both, transforms: [datetime] }
children:
  - local: lines
    erp: lines
    model: purchase.line
    key: [lineNumber]
    filter:
      erp:
        - { field: type, equals: line }
    fields:
      - { local: lineNumber, erp: sequence, direction: both }
      - { local: productId, erp: product, direction: both, ref: products }
      - { local: quantityOrdered, erp: quantity, direction: both, transforms: [decimal] }
      - { local: quantityReceived, erp: received_quantity, direction: from-erp, transforms: [decimal] }
      - { local: unit, erp: unit_code, direction: both }
    create:
      erp: { type: line }
`);

const lookup = createLinkLookup({
  warehouses: [
    ['w-1', 3],
    ['w-2', 4],
  ],
  products: [
    ['p-1', 11],
    ['p-2', 12],
  ],
});

describe('directions', () => {
  const product = { id: 'x', number: 'ab-1', name: 'Elbow', description: 'A pipe elbow', unit: 'EA', barcodes: [], tracking: 'serial', active: true, overReceiptTolerancePercent: 2.5 };

  it('toErp writes both and to-erp fields, never a from-erp field', () => {
    const erp = value(toErp(PRODUCTS, product));
    expect(erp).toEqual({ code: 'P-AB-1', name: 'Elbow (FS)', description: 'A pipe elbow', tolerance: ErpDecimal.parse('2.5'), lot_mode: 'serial', active: true });
    // unit is from-erp: its ERP path is not written, not even as a nested object.
    expect(Object.keys(erp)).not.toContain('default_uom');
    expect(Object.keys(erp)).not.toContain('default_uom.symbol');
  });

  it('fromErp reads both and from-erp fields, never a to-erp field', () => {
    const local = value(fromErp(PRODUCTS, { code: 'P-AB-1', name: 'Elbow (FS)', description: 'ERP text', default_uom: { symbol: ' U ' }, tolerance: ErpDecimal.parse('2.50'), lot_mode: 'batch', active: 'yes' }));
    expect(local).toEqual({ number: 'AB-1', name: 'Elbow', unit: 'u', overReceiptTolerancePercent: 2.5, tracking: 'lot', active: true });
    expect(local).not.toHaveProperty('description');
  });

  it('sub-records the ERP owns are not sent; sub-records with writable fields are, filtered', () => {
    const po = trytonMap('purchase-orders');
    const doc = { id: 'po', number: 'PO-1', vendorName: 'V', status: 'open', warehouseId: 'w-1', lines: [{ lineNumber: 1, productId: 'p-1', quantityOrdered: 2, quantityReceived: 0, unit: 'u' }] };
    expect(value(toErp(po, doc, { lookup }))).toEqual({ number: 'PO-1' });
    const erp = value(toErp(ORDERS, doc, { lookup, create: true }));
    expect(erp.lines).toEqual([{ type: 'line', sequence: 1, product: 11, quantity: ErpDecimal.parse('2'), unit_code: 'u' }]);
  });

  it('create values apply only when asked, on the side being created', () => {
    expect(value(fromErp(PRODUCTS, { code: 'P-1', name: 'n' }))).not.toHaveProperty('barcodes');
    const full = { code: 'P-1', name: 'n', default_uom: { symbol: 'u' }, active: true };
    expect(value(fromErp(PRODUCTS, full, { create: true }))).toMatchObject({ barcodes: [], number: '1', tracking: 'none' });
    // A new record needs every required field: one the ERP record lacks is named.
    expect(fromErp(PRODUCTS, { code: 'P-1', name: 'n', active: true }, { create: true })).toMatchObject({
      ok: false,
      problems: [{ field: 'unit', message: 'unit is required, but ERP field default_uom.symbol is empty' }],
    });
    // Not creating, an absent field was simply not read: it is left alone.
    expect(value(fromErp(PRODUCTS, { code: 'P-1' }))).toEqual({ number: '1' });
    expect(value(toErp(PRODUCTS, { number: '1', name: 'n' }, { create: true }))).toMatchObject({ type: 'goods', code: 'P-1' });
  });

  it('a required field the ERP leaves empty is a problem naming the field, not a silent gap', () => {
    const result = fromErp(trytonMap('warehouses'), { code: 'WH', name: null, active: true });
    expect(result).toEqual({ ok: false, problems: [{ code: 'invalid-document', field: 'name', message: 'name is required, but ERP field name is empty' }] });
  });

  it('an optional field the ERP clears is present as undefined, so the local value is cleared', () => {
    const local = value(fromErp(trytonMap('warehouses'), { code: 'WH', name: 'Main', active: true, address: null }));
    expect(local).toHaveProperty('address', undefined);
  });
});

describe('value maps', () => {
  it('Tryton purchase state to our PO status, a blank or unlisted state taking the default', () => {
    const po = trytonMap('purchase-orders');
    const status = (state: ErpValue) => value(fromErp(po, { number: 'PO-1', party: { name: 'V', code: 'V1' }, state, warehouse: 3, lines: [] }, { lookup })).status;
    expect(status('processing')).toBe('open');
    expect(status('done')).toBe('closed');
    expect(status('cancelled')).toBe('cancelled');
    expect(status('quotation')).toBe('open');
    expect(status(null)).toBe('open');
  });

  it('a blank value takes the default on either side (blank country = US)', () => {
    const map = mapFrom(`collection: warehouses
model: stock.location
key: [code]
fields:
  - { local: code, erp: code, direction: both }
  - { local: name, erp: name, direction: both }
  - local: address
    erp: country
    direction: both
    values:
      pairs:
        - { local: United States, erp: US }
        - { local: Germany, erp: DE }
      default: { local: United States, erp: US }
create:
  local: { kind: warehouse, externallyMaintained: true, allowNegativeStock: true, active: true }
`);
    expect(value(fromErp(map, { code: 'W', country: '' })).address).toBe('United States');
    expect(value(fromErp(map, { code: 'W', country: 'DE' })).address).toBe('Germany');
    expect(value(fromErp(map, { code: 'W', country: 'FR' })).address).toBe('United States');
    expect(value(toErp(map, { code: 'W' })).country).toBe('US');
    expect(value(toErp(map, { code: 'W', address: 'Germany' })).country).toBe('DE');
  });

  it('an unlisted value without a default is a problem, never passed through', () => {
    const result = toErp(PRODUCTS, { number: '1', tracking: 'weird' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: 'invalid-document', field: 'tracking', message: expect.stringContaining('"weird" has no ERP value in the value map') });
  });
});

describe('transforms', () => {
  const decimalMap = mapFrom(`collection: inventory
model: stock.level
direction: from-erp
key: [productId]
fields:
  - { local: productId, erp: product, direction: both }
  - { local: onHand, erp: quantity, direction: from-erp, transforms: [decimal] }
  - { local: onOrder, erp: on_order, direction: from-erp, transforms: [{ decimal: { as: number } }] }
create:
  local: { warehouseId: w, ordered: 0 }
`);
  const onHand = (quantity: ErpValue) => fromErp(decimalMap, { product: 'p', quantity, on_order: 0 });

  it('decimal reads exact decimals: Decimal text, ErpDecimal, Tryton wire objects, floats, exponents', () => {
    expect(value(onHand('0.30')).onHand).toBe(0.3);
    expect(value(onHand(ErpDecimal.parse('12.3456'))).onHand).toBe(12.3456);
    expect(value(onHand({ __class__: 'Decimal', decimal: '99999999.9999' })).onHand).toBe(99999999.9999);
    expect(value(onHand(0.1)).onHand).toBe(0.1);
    expect(value(onHand('5E+1')).onHand).toBe(50);
    expect(value(onHand('-0.0001')).onHand).toBe(-0.0001);
  });

  it('decimal refuses more than four places or non-numbers, never rounding', () => {
    expect(onHand('1.23456')).toMatchObject({ ok: false, problems: [{ code: 'precision-exceeded', field: 'onHand' }] });
    expect(onHand('abc')).toMatchObject({ ok: false, problems: [{ code: 'invalid-quantity', field: 'onHand' }] });
    expect(onHand(true)).toMatchObject({ ok: false, problems: [{ code: 'invalid-quantity' }] });
  });

  it('decimal writes the exact decimal (no binary float digits) and honours places', () => {
    expect(String(value(toErp(PRODUCTS, { number: '1', overReceiptTolerancePercent: 0.3 })).tolerance)).toBe('0.3');
    // A binary float artifact (0.1 + 0.2 = 0.30000000000000004) is refused, never rounded into the ERP.
    expect(toErp(PRODUCTS, { number: '1', overReceiptTolerancePercent: 0.1 + 0.2 })).toMatchObject({ ok: false, problems: [{ code: 'precision-exceeded' }] });
    expect(String(value(toErp(PRODUCTS, { number: '1', overReceiptTolerancePercent: 1234.56 })).tolerance)).toBe('1234.56');
    const tooFine = toErp(PRODUCTS, { number: '1', overReceiptTolerancePercent: 1.234 });
    expect(tooFine).toMatchObject({ ok: false, problems: [{ code: 'precision-exceeded', field: 'overReceiptTolerancePercent' }] });
  });

  it('date and datetime: ERP values classes out, ISO text in, Tryton wire objects understood', () => {
    const doc = { number: 'PO-1', orderDate: '2025-01-31T00:00:00.000Z', expectedDate: '2025-02-01T10:20:30.456Z' };
    const erp = value(toErp(ORDERS, doc, { lookup }));
    expect(erp.purchase_date).toEqual(new ErpDate('2025-01-31'));
    expect(erp.delivery_at).toEqual(new ErpDateTime('2025-02-01T10:20:30.456000Z'));
    const back = value(
      fromErp(ORDERS, {
        number: 'PO-1',
        party: { name: 'V' },
        state: 'done',
        warehouse: 3,
        purchase_date: { __class__: 'date', year: 2025, month: 1, day: 31 },
        delivery_at: new ErpDateTime('2025-02-01T10:20:30.456789Z'),
      }, { lookup }),
    );
    expect(back).toMatchObject({ orderDate: '2025-01-31T00:00:00.000Z', expectedDate: '2025-02-01T10:20:30.456Z', status: 'closed', warehouseId: 'w-1' });
    expect(fromErp(ORDERS, { number: 'PO-1', party: { name: 'V' }, state: 'done', warehouse: 3, purchase_date: '2025-02-30' }, { lookup })).toMatchObject({
      ok: false,
      problems: [{ field: 'orderDate', message: 'orderDate: "2025-02-30" is not a date' }],
    });
  });

  it('boolean reads the usual spellings and refuses others', () => {
    const active = (v: ErpValue) => fromErp(PRODUCTS, { code: 'P-1', name: 'n', active: v });
    expect([1, 0, 'true', 'F', 'yes', 'n'].map((v) => value(active(v)).active)).toEqual([true, false, true, false, true, false]);
    expect(active('maybe')).toMatchObject({ ok: false, problems: [{ field: 'active' }] });
  });

  it('prefix and suffix are added to the ERP and removed on the way back; default fills a blank', () => {
    expect(value(toErp(PRODUCTS, { number: ' x ', name: ' Tape ' }))).toMatchObject({ code: 'P-X', name: 'Tape (FS)', description: '(none)' });
    expect(value(fromErp(PRODUCTS, { code: 'Q-9', name: 'No suffix' }))).toMatchObject({ number: 'Q-9', name: 'No suffix' });
  });
});

describe('integration keys', () => {
  it('a single key compares normalized on both sides', () => {
    const wh = trytonMap('warehouses');
    const local = value(integrationKey(wh, 'local', { code: 'wh-main ' }));
    const erp = value(integrationKey(wh, 'erp', { code: ' WH-MAIN', type: 'warehouse' }));
    expect(local.key).toBe('WH-MAIN');
    expect(erp.key).toBe(local.key);
  });

  it('product number + warehouse code for inventory levels, through the reference lookup', () => {
    const inventory = trytonMap('inventory');
    const local = value(integrationKey(inventory, 'local', { id: 'w-1~p-1', productId: 'p-1', warehouseId: 'w-1', onHand: 3 }, { lookup }));
    const erp = value(integrationKey(inventory, 'erp', { product: 11, warehouse: 3, quantity: 3 }, { lookup }));
    expect(local).toEqual({ key: '["p-1","w-1"]', parts: ['p-1', 'w-1'] });
    expect(erp).toEqual(local);
    // A different warehouse is a different key; an unlinked product cannot be matched and says so.
    expect(value(integrationKey(inventory, 'erp', { product: 11, warehouse: 4 }, { lookup })).key).not.toBe(local.key);
    expect(integrationKey(inventory, 'erp', { product: 99, warehouse: 3 }, { lookup })).toEqual({
      ok: false,
      problems: [{ code: 'unknown-product', field: 'productId', message: 'productId: ERP products record 99 is not linked to a Fieldstock record yet' }],
    });
  });

  it('a blank key part is a problem: such a record cannot be matched', () => {
    const result = integrationKey(trytonMap('products'), 'erp', { code: null, name: 'x' });
    expect(result).toMatchObject({ ok: false, problems: [{ field: 'number', message: expect.stringContaining('key field number is empty on the ERP record (ERP field code)') }] });
  });

  it('references translate both ways through the lookup, and an unlinked one is refused', () => {
    const inventory = trytonMap('inventory');
    expect(value(toErp(inventory, { productId: 'p-2', warehouseId: 'w-2', onHand: 1 }, { lookup }))).toEqual({ product: 12, warehouse: 4 });
    expect(toErp(inventory, { productId: 'p-2', warehouseId: 'w-9', onHand: 1 }, { lookup })).toMatchObject({ ok: false, problems: [{ code: 'unknown-warehouse', field: 'warehouseId' }] });
    expect(value(fromErp(inventory, { product: { id: 12, rec_name: 'Tape' }, warehouse: '4', quantity: 1.5 }, { lookup }))).toEqual({ productId: 'p-2', warehouseId: 'w-2', onHand: 1.5 });
  });
});

describe('filters', () => {
  it('ERP side: type equals warehouse and a code present', () => {
    const wh = trytonMap('warehouses');
    expect(matches(wh, 'erp', { type: 'warehouse', code: 'WH' })).toBe(true);
    expect(matches(wh, 'erp', { type: 'storage', code: 'STO' })).toBe(false);
    expect(matches(wh, 'erp', { type: 'warehouse', code: null })).toBe(false);
    expect(matches(wh, 'erp', { type: 'warehouse' })).toBe(false);
    expect(matches(wh, 'erp', { type: 'warehouse', code: '' })).toBe(false);
  });

  it('local side: reference data maps each own their kind; in and notIn', () => {
    const terms = trytonMap('payment-terms');
    expect(matches(terms, 'local', { kind: 'payment-term', code: 'NET30' })).toBe(true);
    expect(matches(terms, 'local', { kind: 'asset-category', code: 'NET30' })).toBe(false);
    expect(matches(PRODUCTS, 'local', { tracking: 'serial' })).toBe(true);
    expect(matches(PRODUCTS, 'local', { tracking: 'lot' })).toBe(false);
    expect(matches(PRODUCTS, 'erp', { type: 'assets', code: 'P-1' })).toBe(true);
    expect(matches(PRODUCTS, 'erp', { type: 'service', code: 'P-1' })).toBe(false);
  });

  it('sub-records are filtered too: Tryton comment lines never become PO lines', () => {
    const po = trytonMap('purchase-orders');
    const local = value(
      fromErp(po, {
        number: 'PO-1',
        party: { name: 'Vendor', code: 'V1' },
        state: 'processing',
        warehouse: 3,
        'lines.': [
          { id: 7, type: 'line', product: 11, quantity: 2.5, unit: { symbol: 'u' } },
          { id: 8, type: 'comment', description: 'deliver by noon' },
        ],
        lines: [7, 8],
      }, { lookup, create: true }),
    );
    expect(local.lines).toEqual([{ lineNumber: 7, productId: 'p-1', quantityOrdered: 2.5, unit: 'u', quantityReceived: 0 }]);
    expect(local).toMatchObject({ number: 'PO-1', vendorName: 'Vendor', vendorCode: 'V1', status: 'open', warehouseId: 'w-1' });
  });
});

describe('diff, changed fields and conflicts', () => {
  const wh = trytonMap('warehouses');
  const doc = { id: 'w-1', code: 'WH-MAIN', name: 'Main', kind: 'warehouse', externallyMaintained: true, allowNegativeStock: true, active: true, address: '1 Main St' };
  const record = { id: 3, type: 'warehouse', code: ' wh-main', name: 'Main', active: true, 'address.': { id: 9, full_address: '1 Main St' }, address: 9 };

  it('an ERP record equal in local terms is an echo: no differences', () => {
    expect(diff(wh, doc, record)).toEqual([]);
  });

  it('names each differing field with both values in local terms', () => {
    expect(diff(wh, { ...doc, name: 'Central' }, { ...record, 'address.': { full_address: '2 High St' } })).toEqual([
      { local: 'name', erp: 'name', direction: 'both', localValue: 'Central', erpValue: 'Main' },
      { local: 'address', erp: 'address.full_address', direction: 'from-erp', localValue: '1 Main St', erpValue: '2 High St' },
    ]);
  });

  it('compares sub-records by key, whatever their order', () => {
    const lines = [
      { lineNumber: 1, productId: 'p-1', quantityOrdered: 2, quantityReceived: 0, unit: 'u' },
      { lineNumber: 2, productId: 'p-2', quantityOrdered: 0.5, quantityReceived: 0, unit: 'u' },
    ];
    const po = { number: 'PO-1', status: 'open', warehouseId: 'w-1', lines };
    const erp = {
      number: 'PO-1',
      state: 'processing',
      warehouse: 3,
      lines: [
        { type: 'line', sequence: 2, product: 12, quantity: ErpDecimal.parse('0.50'), received_quantity: '0' },
        { type: 'line', sequence: 1, product: 11, quantity: '2', received_quantity: '0' },
      ],
    };
    expect(diff(ORDERS, po, { ...erp, lines: erp.lines.map((l) => ({ ...l, unit_code: 'u' })) }, { lookup })).toEqual([]);
    const changed = diff(ORDERS, po, { ...erp, lines: erp.lines.map((l) => ({ ...l, unit_code: 'u', quantity: l.sequence === 2 ? '0.75' : l.quantity })) }, { lookup });
    expect(changed.map((d) => d.local)).toEqual(['lines']);
  });

  it('changedFields ignores fields that do not flow out of that side', () => {
    expect(changedFields(wh, 'erp', record, { ...record, write_date: 'later', left: 4 })).toEqual([]);
    expect(changedFields(wh, 'erp', record, { ...record, name: 'Central', 'address.': { full_address: 'x' } })).toEqual(['name', 'address']);
    // The address flows from the ERP only: a local edit of it is nothing to send.
    expect(changedFields(wh, 'local', doc, { ...doc, address: 'elsewhere', latitude: 1 })).toEqual([]);
    expect(changedFields(wh, 'local', doc, { ...doc, active: false })).toEqual(['active']);
  });

  it('conflicts are settled by the map policy with a reason for the log', () => {
    const at = { appChangedAt: '2025-01-01T10:00:01.000Z', erpChangedAt: '2025-01-01T10:00:00.000Z' };
    expect(resolveConflict(wh, at)).toEqual({ winner: 'erp', reason: 'policy erp-wins: the ERP maintains this record' });
    expect(resolveConflict({ conflict: 'app-wins' }, at).winner).toBe('app');
    expect(resolveConflict({ conflict: 'newest-wins' }, at)).toMatchObject({ winner: 'app', reason: expect.stringContaining('after the ERP') });
    expect(resolveConflict({ conflict: 'newest-wins' }, { ...at, appChangedAt: at.erpChangedAt }).winner).toBe('erp');
    expect(resolveConflict({ conflict: 'newest-wins' }, { appChangedAt: at.appChangedAt }).winner).toBe('app');
    expect(resolveConflict({ conflict: 'newest-wins' }, {}).winner).toBe('erp');
  });

  it('erpReadFields lists what an adapter must read: mapped, key and filter fields, sub-records prefixed', () => {
    expect(erpReadFields(trytonMap('products')).sort()).toEqual(['active', 'code', 'default_uom.symbol', 'description', 'name', 'type']);
    expect(erpReadFields(trytonMap('purchase-orders'))).toEqual(
      expect.arrayContaining(['number', 'party.name', 'state', 'warehouse', 'lines', 'lines.id', 'lines.product', 'lines.quantity', 'lines.unit.symbol', 'lines.type']),
    );
  });
});

describe('the link lookup', () => {
  it('treats 7 and "7" as one ERP record and re-linking replaces the old link', () => {
    const links = createLinkLookup({ warehouses: [['w-1', 7]] });
    expect(links.toLocal('warehouses', '7')).toBe('w-1');
    links.link('warehouses', 'w-2', 7);
    expect(links.toLocal('warehouses', 7)).toBe('w-2');
    expect(links.toErp('warehouses', 'w-1')).toBeUndefined();
    expect(links.toErp('products', 'w-2')).toBeUndefined();
  });
});

// fromErp(toErp(x)) restores every `both` field of a valid (canonical) document.
const code = fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,19}$/);
const trimmed = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s !== '');
const quantity = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }).map((u) => u / 10_000);
const midnight = fc.integer({ min: 0, max: 60_000 }).map((d) => new Date(d * 86_400_000).toISOString());
const instant = fc.integer({ min: 0, max: 7_000_000_000_000 }).map((ms) => new Date(ms).toISOString());

function bothFieldsRestored(map: EntityMap, doc: LocalDoc): void {
  const erp = value(toErp(map, doc, { lookup, create: true }));
  const back = value(fromErp(map, erp, { lookup }));
  for (const field of map.fields.filter((f) => f.direction === 'both')) expect(back[field.local], field.local).toEqual(doc[field.local]);
  for (const child of map.children) {
    const bothNames = child.fields.filter((f) => f.direction === 'both').map((f) => f.local);
    const pick = (line: unknown) => Object.fromEntries(bothNames.map((n) => [n, (line as Record<string, unknown>)[n]]));
    expect((back[child.local] as unknown[]).map(pick)).toEqual((doc[child.local] as unknown[]).map(pick));
  }
}

describe('round trip of both-ways fields (property)', () => {
  it('the default Tryton warehouses map', () => {
    const wh = trytonMap('warehouses');
    fc.assert(
      fc.property(fc.record({ id: fc.uuid(), code, name: trimmed, kind: fc.constantFrom('warehouse', 'truck'), active: fc.boolean(), externallyMaintained: fc.boolean(), allowNegativeStock: fc.boolean() }), (doc) =>
        bothFieldsRestored(wh, doc),
      ),
    );
  });

  it('the default Tryton payment terms and asset categories maps', () => {
    for (const name of ['payment-terms', 'asset-categories']) {
      const map = trytonMap(name);
      fc.assert(fc.property(fc.record({ id: fc.uuid(), kind: fc.constant(map.create.local.kind), code: trimmed, name: trimmed, active: fc.boolean() }), (doc) => bothFieldsRestored(map, doc)));
    }
  });

  it('every transform kind and value maps (products)', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.uuid(),
          number: code,
          name: trimmed,
          unit: fc.constant('EA'),
          barcodes: fc.constant([]),
          tracking: fc.constantFrom('none', 'serial', 'lot'),
          active: fc.boolean(),
          overReceiptTolerancePercent: fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100),
        }),
        (doc) => bothFieldsRestored(PRODUCTS, doc),
      ),
    );
  });

  it('dates, datetimes, references, value maps and sub-records with exact decimals (purchase orders)', () => {
    const line = fc.record({ lineNumber: fc.integer({ min: 1, max: 100_000 }), productId: fc.constantFrom('p-1', 'p-2'), quantityOrdered: quantity, quantityReceived: fc.constant(0), unit: code });
    fc.assert(
      fc.property(
        fc.record({
          id: fc.uuid(),
          number: code,
          vendorName: trimmed,
          status: fc.constantFrom('open', 'partially-received', 'received', 'closed', 'cancelled'),
          warehouseId: fc.constantFrom('w-1', 'w-2'),
          orderDate: midnight,
          expectedDate: instant,
          lines: fc.uniqueArray(line, { selector: (l) => l.lineNumber, maxLength: 5 }),
        }),
        (doc) => bothFieldsRestored(ORDERS, doc),
      ),
    );
  });
});
