// Changes Tryton stamps on a related record only, against a real trytond: a product renamed
// on its template (product.template) and a purchase line edited on its own (purchase.line)
// leave product.product / purchase.purchase stamps as they were, yet the next 'changes' run
// applies them (the PO line's ordered quantity and on order follow); the record's change time
// is the newest of its own and its related stamps, the same in the change feed and in a read
// by id, while its optimistic-lock version stays its own; and an unchanged re-read is an echo.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { units } from '../../shared/decimal.js';
import { TrytonConnector } from '../../server/erp/adapters/tryton/connector.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import { ErpDateTime, type ErpValue } from '../../server/erp/values.js';
import { pullAll, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, createConfirmedPurchase, type ConfirmedPurchase, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { onHandRow, type Doc } from './api-support.js';
import { changeSequence, runMap, startSyncServer } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;
interface PoLine {
  lineNumber: number;
  quantityOrdered: number;
  quantityReceived: number;
}

describeIfTryton('changes Tryton stamps on related records (templates, purchase lines)', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let connector: TrytonConnector;
  let company: PurchasingCompany;
  let po: ConfirmedPurchase;
  let server: TestServer;
  let warehouseCode: string;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    connector = new TrytonConnector(tryton.rpcOptions());
    company = await buildPurchasingCompany(rpc);
    const [warehouse] = (await rpc.model('stock.location', 'read', [[company.warehouseId], ['code']])) as Row[];
    warehouseCode = String(warehouse?.code);
    po = await createConfirmedPurchase(rpc, company, [
      { quantity: 5, unitPrice: units('2') },
      { quantity: 3, unitPrice: units('4') },
    ]);
    server = await startSyncServer(tryton);
    expect(await runMap(server, 'purchase-orders')).toMatchObject({ kind: 'initial', created: 1, failed: 0 });
    expect(await runMap(server, 'products')).toMatchObject({ kind: 'initial', failed: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await connector?.close();
    await rpc?.logout();
  });

  const docByField = async (collection: string, field: string, value: unknown): Promise<Doc | undefined> =>
    (await pullAll<Doc>(server, await server.token('admin'), collection)).find((d) => d[field] === value);
  const stamp = async (model: string, id: number): Promise<string> => {
    const [row] = (await rpc.model(model, 'read', [[id], ['write_date']])) as Row[];
    const value = row?.write_date;
    if (!(value instanceof ErpDateTime)) throw new Error(`${model} ${id} has no write_date`);
    return value.iso;
  };
  /** A second run right after: the overlap window reads the record again, and nothing is written. */
  const expectEcho = async (map: string): Promise<void> => {
    const sequence = await changeSequence(server);
    const again = await runMap(server, map);
    expect(again).toMatchObject({ kind: 'changes', updated: 0, created: 0, unchanged: 0, failed: 0 });
    expect(again.echoes).toBeGreaterThanOrEqual(1);
    expect(await changeSequence(server)).toBe(sequence);
  };

  it('applies a rename of the product template in the next changes run, and its re-read is an echo', async () => {
    const productStampBefore = await stamp('product.product', company.productId);
    await rpc.model('product.template', 'write', [[company.productTemplateId], { name: 'Widget, blue' }]);
    // Tryton stamped the template only: this is what the change feed has to see through.
    expect(await stamp('product.product', company.productId)).toBe(productStampBefore);

    const run = await runMap(server, 'products');
    expect(run).toMatchObject({ kind: 'changes', updated: 1, created: 0, failed: 0 });
    expect(await docByField('products', 'number', company.productCode)).toMatchObject({ name: 'Widget, blue' });
    await expectEcho('products');
  });

  it('applies a purchase line quantity changed in Tryton in the next changes run: the PO line and on order follow', async () => {
    const [firstLine, secondLine] = po.lineIds;
    const admin = await server.token('admin');
    expect(await onHandRow(server, admin, warehouseCode, company.productCode)).toMatchObject({ onOrder: 8 });
    const purchaseStampBefore = await stamp('purchase.purchase', po.purchaseId);
    await rpc.model('purchase.line', 'write', [[firstLine ?? 0], { quantity: 7 }]);
    expect(await stamp('purchase.purchase', po.purchaseId)).toBe(purchaseStampBefore);

    const run = await runMap(server, 'purchase-orders');
    expect(run).toMatchObject({ kind: 'changes', updated: 1, created: 0, failed: 0, conflicts: [] });
    const order = await docByField('purchaseOrders', 'number', po.number);
    expect((order?.lines as PoLine[]).map((l) => [l.lineNumber, l.quantityOrdered, l.quantityReceived])).toEqual([
      [firstLine, 7, 0],
      [secondLine, 3, 0],
    ]);
    expect(await onHandRow(server, admin, warehouseCode, company.productCode)).toMatchObject({ onOrder: 10 });
    await expectEcho('purchase-orders');
  });

  it("gives a record the newest of its own and its related stamps as change time, in the feed and in a read by id alike; the version stays the record's own", async () => {
    const lineStamp = await stamp('purchase.line', po.lineIds[0] ?? 0);
    const [own] = (await rpc.model('purchase.purchase', 'read', [[po.purchaseId], ['write_date', '_timestamp']])) as Row[];
    expect(own?.write_date instanceof ErpDateTime && own.write_date.iso < lineStamp).toBe(true);

    const fields = ['number', 'lines.quantity'];
    const [read] = await connector.read('purchase.purchase', [String(po.purchaseId)], fields);
    const page = await connector.readChanges('purchase.purchase', { fields, cursor: null, overlapMs: 0, limit: 10, filter: [['id', '=', po.purchaseId]] });
    expect(read).toMatchObject({ erpId: String(po.purchaseId), changedAt: lineStamp, version: own?._timestamp });
    expect(page.records).toEqual([read]);
    // Only what was asked for: the lines' stamps are read for the change time, not handed on as values.
    expect(read?.values['lines.']).toEqual([
      { id: po.lineIds[0], quantity: 7 },
      { id: po.lineIds[1], quantity: 3 },
    ]);
  });
});
