import { createHash } from 'node:crypto';
import type { CustomerAsset, Product, PurchaseOrder, ReferenceData, Warehouse } from '../../shared/collections.js';

/** Stable ids from names, so seeding twice finds the same documents. */
export function demoId(name: string): string {
  const h = createHash('sha1').update(`fieldstock-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A small deterministic generator: the demo looks the same on every machine. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const DEMO_PASSWORD = 'fieldstock-demo';

const base = { externallyMaintained: false, allowNegativeStock: true, active: true } as const;

export const demoWarehouses: Warehouse[] = [
  { id: demoId('WH-MAIN'), code: 'WH-MAIN', name: 'Main warehouse', kind: 'warehouse', address: '1200 Harbor Ave SW, Seattle, WA', latitude: 47.5801, longitude: -122.3712, ...base },
  { id: demoId('WH-NORTH'), code: 'WH-NORTH', name: 'North depot', kind: 'warehouse', address: '3300 Everett Ave, Everett, WA', latitude: 47.9789, longitude: -122.2021, ...base },
  { id: demoId('TRUCK-1'), code: 'TRUCK-1', name: 'Truck 1 (Ana)', kind: 'truck', latitude: 47.6205, longitude: -122.3493, ...base },
  { id: demoId('TRUCK-2'), code: 'TRUCK-2', name: 'Truck 2 (Ben)', kind: 'truck', latitude: 47.7511, longitude: -122.2015, ...base },
  { id: demoId('TRUCK-3'), code: 'TRUCK-3', name: 'Truck 3 (Chloe)', kind: 'truck', latitude: 47.4502, longitude: -122.3088, ...base },
];

const PARTS = [
  ['Copper elbow', 'EA'],
  ['PVC coupling', 'EA'],
  ['Ball valve', 'EA'],
  ['Pressure gauge', 'EA'],
  ['Thermostat', 'EA'],
  ['Air filter', 'EA'],
  ['Capacitor', 'EA'],
  ['Contactor', 'EA'],
  ['Refrigerant R-410A', 'KG'],
  ['Copper pipe', 'M'],
  ['Insulation tape', 'ROLL'],
  ['Circuit breaker', 'EA'],
] as const;
const SIZES = ['1/4 in', '3/8 in', '1/2 in', '3/4 in', '1 in', '5 A', '10 A', '15 A', '20 A', '30 A'] as const;
const TRACKING = ['none', 'none', 'none', 'serial', 'lot'] as const;
/** Purchase units per part: elbows come in boxes of 25, tape in cases of 12 rolls, pipe in 15.24 m (50 ft) coils. */
const PURCHASE_UNITS: Partial<Record<(typeof PARTS)[number][0], { unit: string; factor: number }>> = {
  'Copper elbow': { unit: 'BOX', factor: 25 },
  'Insulation tape': { unit: 'CASE', factor: 12 },
  'Copper pipe': { unit: 'COIL', factor: 15.24 },
};

export const demoProducts: Product[] = (() => {
  const products: Product[] = [];
  let n = 1000;
  for (const [part, unit] of PARTS) {
    for (let i = 0; i < 20; i += 1) {
      n += 1;
      const number = `P-${n}`;
      const size = SIZES[i % SIZES.length] ?? '';
      products.push({
        id: demoId(number),
        number,
        name: `${part} ${size}${i >= SIZES.length ? ' (heavy duty)' : ''}`,
        unit,
        barcodes: [`40${String(n).padStart(10, '0')}${n % 10}`],
        tracking: TRACKING[n % TRACKING.length] ?? 'none',
        active: true,
        ...(PURCHASE_UNITS[part] ? { unitConversions: [PURCHASE_UNITS[part]] } : {}),
      });
    }
  }
  return products;
})();

export const demoReferenceData: ReferenceData[] = [
  ...[
    ['DAMAGED', 'Damaged'],
    ['FOUND', 'Found during work'],
    ['LOST', 'Lost or missing'],
    ['CORRECTION', 'Count correction'],
    ['RETURN', 'Customer return'],
    ['SCRAP', 'Scrapped'],
  ].map(([code = '', name = '']) => ({ id: demoId(`reason:${code}`), kind: 'reason-code' as const, code, name, active: true })),
  // Units. Only a unit that means the same for every product carries a factor (a dozen is 12 of
  // anything); product-specific packs (a box of 25 elbows) live on the product's unitConversions.
  ...[
    ['EA', 'Each'],
    ['DOZ', 'Dozen', 12],
    ['M', 'Metre'],
    ['KG', 'Kilogram'],
    ['ROLL', 'Roll'],
    ['BOX', 'Box'],
    ['CASE', 'Case'],
    ['COIL', 'Coil'],
  ].map(([code, name, factor]) => ({
    id: demoId(`unit:${code}`),
    kind: 'unit' as const,
    code: String(code),
    name: String(name),
    ...(factor === undefined ? {} : { factor: Number(factor) }),
    active: true,
  })),
  // Vendors: how much more than ordered each may deliver (products may set their own).
  ...[
    ['PACIFIC', 'Pacific Supply Co.', 0],
    ['NWHVAC', 'Northwest HVAC Parts', 5],
    ['CASCADE', 'Cascade Electric', 10],
  ].map(([code, name, tolerance]) => ({
    id: demoId(`vendor:${code}`),
    kind: 'vendor' as const,
    code: String(code),
    name: String(name),
    overReceiptTolerancePercent: Number(tolerance),
    active: true,
  })),
  ...[
    ['NET30', 'Net 30 days'],
    ['NET60', 'Net 60 days'],
  ].map(([code = '', name = '']) => ({ id: demoId(`terms:${code}`), kind: 'payment-term' as const, code, name, active: true })),
  ...[
    ['GROUND', 'Ground freight'],
    ['EXPRESS', 'Express courier'],
  ].map(([code = '', name = '']) => ({ id: demoId(`shipvia:${code}`), kind: 'ship-via' as const, code, name, active: true })),
  ...[
    ['HVAC', 'Heating and cooling'],
    ['PLUMB', 'Plumbing'],
    ['ELEC', 'Electrical'],
  ].map(([code = '', name = '']) => ({ id: demoId(`assetcat:${code}`), kind: 'asset-category' as const, code, name, active: true })),
];

export const demoCustomerAssets: CustomerAsset[] = Array.from({ length: 20 }, (_, i) => ({
  id: demoId(`asset:${i + 1}`),
  name: `${['Rooftop unit', 'Boiler', 'Heat pump', 'Panel board'][i % 4]} #${i + 1}`,
  customerName: ['Harbor Cafe', 'Northgate Clinic', 'Pine St Offices', 'Lakeview School', 'Eastside Gym'][i % 5] ?? 'Customer',
  categoryCode: ['HVAC', 'PLUMB', 'HVAC', 'ELEC'][i % 4] ?? 'HVAC',
  serialNumber: `SN-${(73000 + i * 17).toString()}`,
  location: 'Seattle, WA',
  active: true,
}));

export function demoPurchaseOrders(): PurchaseOrder[] {
  const rnd = random(7);
  const targets = ['WH-MAIN', 'WH-NORTH', 'TRUCK-1', 'TRUCK-2', 'TRUCK-3', 'WH-MAIN'];
  const vendors = ['Pacific Supply Co.', 'Northwest HVAC Parts', 'Cascade Electric', 'Rainier Plumbing Wholesale'];
  return targets.map((code, i) => {
    const number = `PO-${2001 + i}`;
    const lineCount = 3 + (i % 4);
    const lines = Array.from({ length: lineCount }, (_, j) => {
      const product = demoProducts[Math.floor(rnd() * demoProducts.length)] ?? demoProducts[0];
      return {
        lineNumber: j + 1,
        productId: product?.id ?? '',
        quantityOrdered: 5 + Math.floor(rnd() * 20),
        quantityReceived: 0,
        unit: product?.unit ?? 'EA',
      };
    });
    return {
      id: demoId(number),
      number,
      vendorName: vendors[i % vendors.length] ?? 'Vendor',
      status: 'open' as const,
      warehouseId: demoId(code),
      orderDate: '2026-11-02T08:00:00.000Z',
      expectedDate: '2026-12-01T08:00:00.000Z',
      lines,
    };
  });
}

/** Orders bought in packs (boxes, cases, coils) from vendors with an over-receipt tolerance. */
export function demoPackPurchaseOrders(): PurchaseOrder[] {
  const byPart = (part: string, i: number) => demoProducts.filter((p) => p.name.startsWith(part))[i] ?? demoProducts[0];
  const line = (lineNumber: number, part: string, i: number, quantityOrdered: number) => {
    const product = byPart(part, i);
    return { lineNumber, productId: product?.id ?? '', quantityOrdered, quantityReceived: 0, unit: product?.unitConversions?.[0]?.unit ?? product?.unit ?? 'EA' };
  };
  return [
    { number: 'PO-2007', vendorCode: 'CASCADE', vendorName: 'Cascade Electric', code: 'TRUCK-1', lines: [line(1, 'Copper elbow', 2, 2), line(2, 'Insulation tape', 0, 1), line(3, 'Copper pipe', 1, 3)] },
    { number: 'PO-2008', vendorCode: 'NWHVAC', vendorName: 'Northwest HVAC Parts', code: 'WH-MAIN', lines: [line(1, 'Copper elbow', 4, 10), line(2, 'Copper pipe', 3, 6)] },
  ].map(({ number, code, ...rest }) => ({
    id: demoId(number),
    number,
    ...rest,
    status: 'open' as const,
    warehouseId: demoId(code),
    orderDate: '2026-11-10T08:00:00.000Z',
    expectedDate: '2026-12-05T08:00:00.000Z',
  }));
}

export const demoUsers = [
  { username: 'tech1', role: 'technician' as const, warehouseCodes: ['TRUCK-1'] },
  { username: 'tech2', role: 'technician' as const, warehouseCodes: ['TRUCK-2'] },
  { username: 'tech3', role: 'technician' as const, warehouseCodes: ['TRUCK-3'] },
  { username: 'clerk1', role: 'warehouse' as const, warehouseCodes: ['WH-MAIN', 'WH-NORTH'] },
  { username: 'integration1', role: 'integration' as const, warehouseCodes: demoWarehouses.map((w) => w.code) },
];
