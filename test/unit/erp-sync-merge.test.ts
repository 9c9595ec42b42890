// The inbound sync's pure parts, with the default Tryton maps: how an ERP purchase order
// merges into the local one (Fieldstock keeps what it received), which maps run inbound
// and in which order, and which filter conditions are handed to the ERP.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromErp } from '../../server/erp/maps/engine.js';
import { loadMapsOrThrow } from '../../server/erp/maps/load.js';
import { createLinkLookup } from '../../server/erp/maps/lookup.js';
import type { EntityMap } from '../../server/erp/maps/types.js';
import { pushedDownFilter } from '../../server/erp/sync/erp-filter.js';
import { inboundMaps, inboundReason } from '../../server/erp/sync/inbound-maps.js';
import { mergeLocal } from '../../server/erp/sync/merge.js';
import { ErpDate } from '../../server/erp/values.js';

const set = loadMapsOrThrow(path.resolve('config', 'erp-maps', 'tryton'));
const byName = new Map(set.maps.map((m) => [m.name, m]));
const poMap = byName.get('purchase-orders') as EntityMap;
const lookup = createLinkLookup({ warehouses: [['wh-1', 5]], products: [['p-1', 11], ['p-2', 12]] });

const erpPurchase = (state: string, lines: { id: number; product: number; quantity: number }[]) => ({
  number: 'PO-7',
  state,
  warehouse: 5,
  purchase_date: ErpDate.of(2030, 1, 2),
  delivery_date: null,
  'party.': { name: 'Acme', code: 'ACME' },
  'lines.': lines.map((l) => ({ ...l, type: 'line', 'unit.': { symbol: 'u' } })),
});

function merged(existing: Record<string, unknown> | undefined, record: ReturnType<typeof erpPurchase>) {
  const created = fromErp(poMap, record, { lookup, create: true });
  const updated = fromErp(poMap, record, { lookup });
  if (!created.ok || !updated.ok) throw new Error('mapping failed');
  return mergeLocal(poMap, existing, 'po-local-id', created.value, updated.value);
}

describe('mergeLocal for purchase orders', () => {
  const local = merged(undefined, erpPurchase('processing', [{ id: 41, product: 11, quantity: 5 }, { id: 42, product: 12, quantity: 3 }]));

  it('creates a complete order: create values on the lines, references as local ids', () => {
    expect(local).toEqual({
      id: 'po-local-id',
      number: 'PO-7',
      vendorName: 'Acme',
      vendorCode: 'ACME',
      status: 'open',
      warehouseId: 'wh-1',
      orderDate: '2030-01-02T00:00:00.000Z',
      lines: [
        { lineNumber: 41, productId: 'p-1', quantityOrdered: 5, quantityReceived: 0, unit: 'u' },
        { lineNumber: 42, productId: 'p-2', quantityOrdered: 3, quantityReceived: 0, unit: 'u' },
      ],
    });
  });

  it('keeps received quantities and the partially-received state while the ERP still says processing', () => {
    const received = { ...local, status: 'partially-received', lines: (local.lines as Record<string, unknown>[]).map((l) => (l.lineNumber === 41 ? { ...l, quantityReceived: 2 } : l)) };
    const next = merged(received, erpPurchase('processing', [{ id: 41, product: 11, quantity: 6 }, { id: 42, product: 12, quantity: 3 }]));
    expect(next.status).toBe('partially-received');
    expect(next.lines).toEqual([
      { lineNumber: 41, productId: 'p-1', quantityOrdered: 6, quantityReceived: 2, unit: 'u' },
      { lineNumber: 42, productId: 'p-2', quantityOrdered: 3, quantityReceived: 0, unit: 'u' },
    ]);
    // Done in the ERP closes it; cancelled cancels it.
    expect(merged(received, erpPurchase('done', [{ id: 41, product: 11, quantity: 6 }])).status).toBe('closed');
  });

  it('drops a line the ERP no longer lists, unless goods were received on it', () => {
    const received = { ...local, lines: (local.lines as Record<string, unknown>[]).map((l) => (l.lineNumber === 42 ? { ...l, quantityReceived: 1 } : l)) };
    expect((merged(received, erpPurchase('processing', [{ id: 42, product: 12, quantity: 3 }])).lines as { lineNumber: number }[]).map((l) => l.lineNumber)).toEqual([42]);
    expect((merged(received, erpPurchase('processing', [{ id: 41, product: 11, quantity: 5 }])).lines as { lineNumber: number }[]).map((l) => l.lineNumber)).toEqual([41, 42]);
  });

  it('leaves fields the map does not bring alone on an update (a warehouse\'s kind and externallyMaintained)', () => {
    const warehouses = byName.get('warehouses') as EntityMap;
    const existing = { id: 'w', code: 'TRUCK-1', name: 'Truck', kind: 'truck', externallyMaintained: false, allowNegativeStock: false, active: true, latitude: 47.5 };
    const record = { code: 'truck-1', name: 'Truck one', active: 1, type: 'warehouse', address: null, 'address.': null };
    const created = fromErp(warehouses, record, { create: true });
    const updated = fromErp(warehouses, record);
    if (!created.ok || !updated.ok) throw new Error('mapping failed');
    expect(mergeLocal(warehouses, existing, 'w', created.value, updated.value)).toEqual({ ...existing, name: 'Truck one' });
  });
});

describe('inbound maps', () => {
  it('runs warehouses and products before the purchase orders that refer to them, and says why the others do not run', () => {
    const order = inboundMaps(set).map((m) => m.name);
    expect(order.indexOf('products')).toBeLessThan(order.indexOf('purchase-orders'));
    expect(order.indexOf('warehouses')).toBeLessThan(order.indexOf('purchase-orders'));
    // Reference data: three maps on one collection, each its own kind.
    expect(order).toEqual(expect.arrayContaining(['asset-categories', 'payment-terms', 'ship-via']));
    expect(order).not.toContain('inventory');
    expect(inboundReason(byName.get('inventory') as EntityMap)).toMatch(/delta journals/);
    expect(inboundReason({ ...(byName.get('ship-via') as EntityMap), enabled: false })).toBe('the map is disabled');
    expect(inboundReason({ ...(byName.get('payment-terms') as EntityMap), collection: 'journals' })).toMatch(/does not handle journals/);
  });

  it('hands the ERP only plain conditions without nulls; the rest is checked locally', () => {
    expect(pushedDownFilter((byName.get('warehouses') as EntityMap).filter.erp)).toEqual([['type', '=', 'warehouse']]);
    expect(pushedDownFilter(poMap.filter.erp)).toEqual([['state', 'in', ['confirmed', 'processing', 'done', 'cancelled']]]);
  });
});
