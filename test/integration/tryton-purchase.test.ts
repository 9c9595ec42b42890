// The purchasing fixture (test/helpers/tryton/fixture.ts) against a real trytond, and
// typed values (Decimal, date, datetime) round-tripped through real records.
import { beforeAll, expect, it } from 'vitest';
import { units, type Units } from '../../shared/decimal.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import { trytonToUnits, unitsToTryton } from '../../server/erp/adapters/tryton/values.js';
import { ErpError } from '../../server/erp/errors.js';
import { ErpDate, ErpDateTime, ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, createConfirmedPurchase, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';

type Row = Record<string, ErpValue>;

describeIfTryton('Tryton purchasing fixture and typed values', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let company: PurchasingCompany;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    company = await buildPurchasingCompany(rpc);
  });

  it('builds a company the admin works in, with a warehouse, a supplier and a product', async () => {
    expect((await rpc.context()).company).toBe(company.companyId);
    const [warehouse] = (await rpc.model('stock.location', 'read', [[company.warehouseId], ['type', 'input_location', 'storage_location']])) as Row[];
    expect(warehouse).toMatchObject({ type: 'warehouse', input_location: company.inputLocationId, storage_location: company.storageLocationId });
    const [lostFound] = (await rpc.model('stock.location', 'read', [[company.lostFoundLocationId], ['type']])) as Row[];
    expect(lostFound?.type).toBe('lost_found');
    const [product] = (await rpc.model('product.product', 'read', [[company.productId], ['code', 'type', 'default_uom']])) as Row[];
    expect(product).toMatchObject({ code: company.productCode, type: 'goods', default_uom: company.unitId });
  });

  it('makes a confirmed purchase whose incoming moves exist, from the supplier to the warehouse input', async () => {
    const po = await createConfirmedPurchase(rpc, company, [
      { quantity: 5, unitPrice: units('2.5') },
      { quantity: 3, unitPrice: units('7.25') },
    ]);
    expect(po.state).toBe('processing');
    expect(po.number).not.toBe('');
    expect(po.lineIds).toHaveLength(2);

    const moveIds = [...po.moveIdsByLine.values()].flat();
    expect(moveIds).toHaveLength(2);
    const moves = (await rpc.model('stock.move', 'read', [moveIds, ['product', 'quantity', 'from_location', 'to_location', 'state', 'unit_price']])) as Row[];
    for (const move of moves) {
      expect(move).toMatchObject({ product: company.productId, from_location: company.supplierLocationId, to_location: company.inputLocationId, state: 'draft' });
    }
    expect(moves.map((m) => m.quantity).sort()).toEqual([3, 5]);
    expect(moves.map((m) => (m.unit_price as ErpDecimal).text).sort()).toEqual(['2.5', '7.25']);
  });

  it('refuses a purchase without its required party with Tryton\'s message and a stable code', async () => {
    let error: unknown;
    try {
      await rpc.model('purchase.purchase', 'create', [[{ invoice_method: 'manual', warehouse: company.warehouseId }]]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ErpError);
    expect(error).toMatchObject({ code: 'erp-user-error', retryable: false, method: 'model.purchase.purchase.create' });
    expect((error as ErpError).message).toBe('A value is required for field "Party" in "Purchase".');
  });

  it('round-trips Decimal and date values through a real purchase without float rounding', async () => {
    const prices: Units[] = [units('0.0001'), units('0.1'), units('1234567.8901'), units('19.99')];
    const date = new ErpDate('2024-02-29');
    const [purchaseId] = (await rpc.model('purchase.purchase', 'create', [
      [
        {
          party: company.supplierId,
          invoice_address: company.supplierAddressId,
          invoice_method: 'manual',
          warehouse: company.warehouseId,
          purchase_date: date,
          lines: [['create', prices.map((price) => ({ type: 'line', product: company.productId, quantity: 1, unit: company.unitId, unit_price: ErpDecimal.fromUnits(price), description: 'price' }))]],
        },
      ],
    ])) as number[];
    const [purchase] = (await rpc.model('purchase.purchase', 'read', [[purchaseId ?? 0], ['purchase_date', 'lines', 'create_date']])) as Row[];
    expect(purchase?.purchase_date).toBeInstanceOf(ErpDate);
    expect((purchase?.purchase_date as ErpDate).iso).toBe('2024-02-29');
    // create_date is a naive-UTC datetime with microseconds, close to now.
    const created = purchase?.create_date as ErpDateTime;
    expect(created).toBeInstanceOf(ErpDateTime);
    expect(Math.abs(created.toDate().getTime() - Date.now())).toBeLessThan(5 * 60_000);

    const lines = (await rpc.model('purchase.line', 'read', [purchase?.lines as number[], ['unit_price']])) as Row[];
    const back = lines.map((l) => {
      const parsed = (l.unit_price as ErpDecimal).toUnits();
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.units;
    });
    expect(back).toEqual(prices);

    // The wire helpers agree with the values the client decoded.
    expect(prices.map((p) => trytonToUnits(unitsToTryton(p)))).toEqual(prices.map((p) => ({ ok: true, units: p })));
  });

  it('filters by a datetime typed value on the server side', async () => {
    const [party] = (await rpc.model('party.party', 'search_read', [[['id', '=', company.supplierId]], 0, 1, null, ['create_date']])) as Row[];
    const created = party?.create_date as ErpDateTime;
    const before = await rpc.model('party.party', 'search', [[['id', '=', company.supplierId], ['create_date', '>=', created.minusMs(1)]]]);
    const after = await rpc.model('party.party', 'search', [[['id', '=', company.supplierId], ['create_date', '>', ErpDateTime.fromDate(new Date(created.toDate().getTime() + 1_000))]]]);
    expect(before).toEqual([company.supplierId]);
    expect(after).toEqual([]);
  });
});
