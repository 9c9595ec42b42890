/**
 * The ERP bench's Tryton side: a real trytond (test/helpers/tryton/, the
 * same pristine database and fixture company the integration tests use), the
 * bench's warehouses and products matched to Fieldstock's by code, on-hand
 * reads per storage location, and the direct peer: stock moves created and
 * done by plain JSON-RPC calls, with no Fieldstock in between.
 */
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import { ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import { buildPurchasingCompany, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { TrytonTestServer } from '../helpers/tryton/server.js';
import { ERP_BENCH_WAREHOUSES, erpBenchProducts, type BenchAdjustment } from './erp-data.js';

type Row = Record<string, ErpValue>;

const RPC_TIMEOUT_MS = 120_000;

export interface TrytonWorld {
  server: TrytonTestServer;
  rpc: TrytonRpc;
  company: PurchasingCompany;
  /** Storage location by our warehouse code. */
  storage: Map<string, number>;
  /** Tryton product id by our product number. */
  products: Map<string, number>;
  /** HTTP requests this process sent to Tryton (the bench's fetch wrapper). */
  calls(): number;
  setupMs: number;
  dispose(): Promise<void>;
}

/** Starts trytond on a copy of the pristine database and builds the bench's company, warehouses and products. */
export async function startTrytonWorld(): Promise<TrytonWorld> {
  const started = performance.now();
  const server = new TrytonTestServer();
  await server.init();
  const url = server.url;
  let calls = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    if ((input instanceof Request ? input.url : String(input)).startsWith(url)) calls += 1;
    return realFetch(input, init);
  };
  const rpc = new TrytonRpc(server.rpcOptions({ timeoutMs: RPC_TIMEOUT_MS }));
  try {
    const company = await buildPurchasingCompany(rpc, { productCode: 'EB-FIXTURE' });
    const [main, ...others] = ERP_BENCH_WAREHOUSES;
    await rpc.model('stock.location', 'write', [[company.warehouseId], { code: main }]);
    const storage = new Map<string, number>([[main, company.storageLocationId]]);
    for (const code of others) storage.set(code, await createWarehouse(rpc, company, code));

    // One call for every template (with its product): Tryton computes product.code from suffix_code.
    await rpc.model('product.template', 'create', [
      erpBenchProducts().map((p) => ({
        name: p.name,
        type: 'goods',
        default_uom: company.unitId,
        list_price: ErpDecimal.parse('10'),
        products: [['create', [{ suffix_code: p.number, cost_price: ErpDecimal.parse('5') }]]],
      })),
    ]);
    const rows = (await rpc.model('product.product', 'search_read', [[['code', 'like', 'EB-0%']], 0, null, [['id', 'ASC']], ['code']])) as Row[];
    const products = new Map(rows.map((r) => [String(r.code), Number(r.id)]));
    return {
      server,
      rpc,
      company,
      storage,
      products,
      calls: () => calls,
      setupMs: performance.now() - started,
      async dispose() {
        await rpc.logout().catch(() => undefined);
        globalThis.fetch = realFetch;
        await server.dispose();
      },
    };
  } catch (error) {
    globalThis.fetch = realFetch;
    await server.dispose();
    throw error;
  }
}

/** A warehouse with its own storage location, sharing the company's Lost and Found. */
async function createWarehouse(rpc: TrytonRpc, company: PurchasingCompany, code: string): Promise<number> {
  const [input, output, storage] = (await rpc.model('stock.location', 'create', [
    [
      { name: `${code} input`, type: 'storage' },
      { name: `${code} output`, type: 'storage' },
      { name: `${code} storage`, type: 'storage' },
    ],
  ])) as number[];
  if (input === undefined || output === undefined || storage === undefined) throw new Error(`Tryton made no locations for ${code}`);
  await rpc.model('stock.location', 'create', [
    [{ name: code, code, type: 'warehouse', input_location: input, output_location: output, storage_location: storage, lost_found_location: company.lostFoundLocationId }],
  ]);
  return storage;
}

/** Tryton's on hand, whole units, per "warehouseCode|productNumber" for every bench product (one call per warehouse). */
export async function trytonOnHand(world: TrytonWorld): Promise<Map<string, number>> {
  const numbers = [...world.products.keys()];
  const ids = numbers.map((n) => world.products.get(n) ?? 0);
  const result = new Map<string, number>();
  for (const [code, location] of world.storage) {
    const rows = (await world.rpc.model('product.product', 'read', [ids, ['code', 'quantity']], { locations: [location] })) as Row[];
    for (const r of rows) result.set(`${code}|${String(r.code)}`, Number(r.quantity));
  }
  return result;
}

/** Throws unless every pair moved by exactly `expected` (absent: 0) between the two reads. */
export function assertMoved(before: Map<string, number>, after: Map<string, number>, expected: Map<string, number>, what: string): number {
  let total = 0;
  for (const key of new Set([...before.keys(), ...after.keys(), ...expected.keys()])) {
    const moved = (after.get(key) ?? 0) - (before.get(key) ?? 0);
    const want = expected.get(key) ?? 0;
    if (moved !== want) throw new Error(`TRYTON ON HAND MISMATCH after ${what} for ${key}: moved ${moved}, expected ${want}`);
    total += moved;
  }
  return total;
}

/**
 * The direct peer: the same stock changes as plain stock moves, Lost and
 * Found to storage, one `create` and one `do` call per warehouse (the same
 * grouping the sink's shipments have). No shipment, no reference, no
 * idempotency: the floor of what Tryton takes for this many moves.
 */
export async function directMoves(world: TrytonWorld, adjustments: readonly BenchAdjustment[]): Promise<{ ms: number; calls: number }> {
  const byWarehouse = new Map<string, BenchAdjustment[]>();
  for (const a of adjustments) byWarehouse.set(a.warehouseCode, [...(byWarehouse.get(a.warehouseCode) ?? []), a]);
  const callsBefore = world.calls();
  const started = performance.now();
  for (const [code, lines] of byWarehouse) {
    const ids = (await world.rpc.model('stock.move', 'create', [
      lines.map((a) => ({
        product: world.products.get(a.productNumber) ?? 0,
        uom: world.company.unitId,
        quantity: a.quantity,
        from_location: world.company.lostFoundLocationId,
        to_location: world.storage.get(code) ?? 0,
        company: world.company.companyId,
      })),
    ])) as number[];
    await world.rpc.model('stock.move', 'do', [ids]);
  }
  return { ms: performance.now() - started, calls: world.calls() - callsBefore };
}

/** Moves of every Fieldstock shipment in Tryton, by state (the "posted once" audit). */
export async function fieldstockMoves(world: TrytonWorld): Promise<{ shipments: number; moves: number; done: number; notDoneShipments: number }> {
  const shipments = (await world.rpc.model('stock.shipment.internal', 'search_read', [[['reference', 'like', 'fieldstock:%']], 0, null, [['id', 'ASC']], ['state', 'moves']])) as Row[];
  const moveIds = shipments.flatMap((s) => (Array.isArray(s.moves) ? (s.moves as number[]) : []));
  const moves = moveIds.length === 0 ? [] : ((await world.rpc.model('stock.move', 'read', [moveIds, ['state']])) as Row[]);
  return {
    shipments: shipments.length,
    moves: moveIds.length,
    done: moves.filter((m) => m.state === 'done').length,
    notDoneShipments: shipments.filter((s) => s.state !== 'done').length,
  };
}
