// Several maps on one collection (referenceData: payment terms, asset categories and ship-via,
// told apart by kind), with the default Tryton maps: which map a pushed document goes to, the
// carrier's code and name read through and written to its party (relation.field), and how the
// Tryton connector splits such values into the record's own fields and its related record's.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitRelated } from '../../server/erp/adapters/tryton/creates/related-writes.js';
import { ErpError } from '../../server/erp/errors.js';
import { fromErp, integrationKey, toErp } from '../../server/erp/maps/engine.js';
import { loadMapsOrThrow } from '../../server/erp/maps/load.js';
import type { EntityMap } from '../../server/erp/maps/types.js';
import { outboundMaps } from '../../server/erp/sync/outbound/maps.js';
import { mapsByCollection, mapsForDocument } from '../../server/erp/sync/outbound/select.js';

const set = loadMapsOrThrow(path.resolve('config', 'erp-maps', 'tryton'));
const byName = new Map(set.maps.map((m) => [m.name, m]));
const shipVia = byName.get('ship-via') as EntityMap;
const doc = (kind: string, code = 'X') => ({ id: `rd-${kind}`, kind, code, name: `${kind} ${code}`, active: true });

describe('a pushed document goes to the map that owns its slice of the collection', () => {
  const byCollection = mapsByCollection(outboundMaps(set));

  it('reference data by kind: one map each, none for kinds no map owns', () => {
    const names = (kind: string) => mapsForDocument(byCollection, 'referenceData', doc(kind)).map((m) => m.name);
    expect(names('payment-term')).toEqual(['payment-terms']);
    expect(names('asset-category')).toEqual(['asset-categories']);
    expect(names('ship-via')).toEqual(['ship-via']);
    for (const kind of ['reason-code', 'unit', 'vendor']) expect(names(kind)).toEqual([]);
  });

  it('a collection with one unfiltered map, and a collection with none', () => {
    expect(mapsForDocument(byCollection, 'warehouses', { id: 'w', code: 'T-1', kind: 'truck' }).map((m) => m.name)).toEqual(['warehouses']);
    // Warehouses of either kind pass (the map has no local filter); one-way maps never go out.
    expect(mapsForDocument(byCollection, 'products', { id: 'p', number: 'P-1' })).toEqual([]);
    expect(mapsForDocument(byCollection, 'no-such-collection', {})).toEqual([]);
  });

  it('a document whose kind changed goes to the map of its new kind only', () => {
    const maps = mapsForDocument(byCollection, 'referenceData', { ...doc('payment-term'), kind: 'asset-category' });
    expect(maps.map((m) => m.name)).toEqual(['asset-categories']);
  });
});

describe('ship-via through the carrier\'s party', () => {
  it('reads code and name from the party and keys by the party code', () => {
    const record = { active: 0, party: 7, 'party.': { id: 7, code: ' UPS ', name: 'United Parcel' } };
    expect(fromErp(shipVia, record, { create: true })).toEqual({ ok: true, value: { kind: 'ship-via', code: 'UPS', name: 'United Parcel', active: false } });
    expect(integrationKey(shipVia, 'erp', record)).toMatchObject({ ok: true, value: { key: 'UPS' } });
    expect(integrationKey(shipVia, 'local', doc('ship-via', 'UPS'))).toMatchObject({ ok: true, value: { key: 'UPS' } });
  });

  it('writes them as relation.field values, which the connector sends to the party', () => {
    const mapped = toErp(shipVia, { ...doc('ship-via', 'FEDEX'), name: ' FedEx ' }, { create: true });
    expect(mapped).toEqual({ ok: true, value: { 'party.code': 'FEDEX', 'party.name': 'FedEx', active: true } });
    if (!mapped.ok) return;
    const { own, related } = splitRelated(mapped.value);
    expect(own).toEqual({ active: true });
    expect([...related]).toEqual([['party', { code: 'FEDEX', name: 'FedEx' }]]);
  });

  it('refuses a path more than one relation deep, and values without a related field', () => {
    expect(() => splitRelated({ 'party.address.city': 'Oslo' })).toThrow(ErpError);
    expect(() => splitRelated({ 'party.': 'x' })).toThrow(/relation\.field/);
    expect(splitRelated({ name: 'a', code: 'b' })).toEqual({ own: { name: 'a', code: 'b' }, related: new Map() });
  });
});
