/** The warehouse list's search, kind filter and "Nearby" ordering, apart from React. */
import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../shared/collections.js';
import type { SessionUser } from '../../../shared/wire.js';
import { defaultWarehouseId, warehousesInScope } from '../../../renderer/warehouses/scope.js';
import { listWarehouses, type WarehouseQuery } from '../../../renderer/warehouses/warehouse-list.js';

function site(code: string, kind: Warehouse['kind'], at?: [number, number], address?: string): Warehouse {
  return {
    id: `w-${code}`,
    code,
    name: `${kind === 'truck' ? 'Truck' : 'Site'} ${code}`,
    kind,
    ...(address ? { address } : {}),
    ...(at ? { latitude: at[0], longitude: at[1] } : {}),
    externallyMaintained: false,
    allowNegativeStock: true,
    active: true,
  };
}

const TACOMA = site('TAC', 'warehouse', [47.2529, -122.4443], '1 Pacific Ave, Tacoma');
const EVERETT = site('EVE', 'warehouse', [47.979, -122.2021], '2 Hewitt Ave, Everett');
const BELLEVUE = site('BEL', 'warehouse', [47.6101, -122.2015], '3 Main St, Bellevue');
const TRUCK = site('TRUCK-1', 'truck');
const ALL = [TACOMA, EVERETT, TRUCK, BELLEVUE];
const SEATTLE = { latitude: 47.6062, longitude: -122.3321 };
const query = (change: Partial<WarehouseQuery>): WarehouseQuery => ({ text: '', kind: 'all', origin: null, order: 'code', ...change });
const codes = (q: WarehouseQuery) => listWarehouses(ALL, q).map((l) => l.warehouse.code);

describe('the warehouse list', () => {
  it('orders by code unless asked for nearby first', () => {
    expect(codes(query({}))).toEqual(['BEL', 'EVE', 'TAC', 'TRUCK-1']);
    expect(codes(query({ origin: SEATTLE }))).toEqual(['BEL', 'EVE', 'TAC', 'TRUCK-1']);
  });

  it('orders nearby first by distance from the position, sites without coordinates last', () => {
    const listed = listWarehouses(ALL, query({ origin: SEATTLE, order: 'nearby' }));
    expect(listed.map((l) => l.warehouse.code)).toEqual(['BEL', 'TAC', 'EVE', 'TRUCK-1']);
    expect(listed.map((l) => (l.distanceKm === null ? null : Math.round(l.distanceKm)))).toEqual([10, 40, 43, null]);
  });

  it('finds by code, name or address, case-insensitively, and filters by kind', () => {
    expect(codes(query({ text: 'eve' }))).toEqual(['EVE']);
    expect(codes(query({ text: 'PACIFIC' }))).toEqual(['TAC']);
    expect(codes(query({ text: 'truck' }))).toEqual(['TRUCK-1']);
    expect(codes(query({ kind: 'truck' }))).toEqual(['TRUCK-1']);
    expect(codes(query({ kind: 'warehouse', text: 'b' }))).toEqual(['BEL']);
  });
});

describe('the warehouse scope', () => {
  const tech: SessionUser = { id: 'u', username: 'tech1', role: 'technician', warehouseIds: [TACOMA.id, TRUCK.id] };

  it("is the technician's list, and everything for an admin", () => {
    expect(warehousesInScope(ALL, tech).map((w) => w.code)).toEqual(['TAC', 'TRUCK-1']);
    expect(warehousesInScope(ALL, { ...tech, role: 'admin' })).toHaveLength(4);
  });

  it("starts on the technician's truck, else on the first warehouse", () => {
    expect(defaultWarehouseId(warehousesInScope(ALL, tech))).toBe(TRUCK.id);
    expect(defaultWarehouseId([TACOMA, EVERETT])).toBe(TACOMA.id);
    expect(defaultWarehouseId([])).toBeNull();
  });
});
