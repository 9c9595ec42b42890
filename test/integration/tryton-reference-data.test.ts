// Reference data both ways with a real trytond: one Fieldstock collection (referenceData) holds
// payment terms, asset categories and ship-via, told apart by kind, each synced by its own map
// (account.invoice.payment_term, product.category, carrier). The initial run matches local
// documents that existed before the ERP by code and reports the values that differ; records made
// in Tryton reach clients; records an admin makes or edits in Fieldstock are created in Tryton with
// what Tryton needs besides the mapped fields (a remainder line; a party and a service product),
// and the next inbound run sees its own write as an echo; deactivations and deletions in Tryton
// make the local document inactive. Nothing the inbound sync writes is queued back to Tryton.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceData } from '../../shared/collections.js';
import { TrytonConnector } from '../../server/erp/adapters/tryton/connector.js';
import { CARRIER_PRODUCT_CODE } from '../../server/erp/adapters/tryton/creates/carrier.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import type { OutboxRunResult } from '../../server/erp/outbox/worker.js';
import { ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import { writeTransaction } from '../../server/store/write.js';
import { describeIfPg } from '../helpers/postgres.js';
import { api, pullAll, type Engine, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { push, type Doc } from './api-support.js';
import { changeSequence, deliverOutbox, runMap, startOutboxServer } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;
type Kind = ReferenceData['kind'];

const TECH_PASSWORD = 'reference-data-tech';

describeIfTryton('reference data (payment terms, asset categories, ship-via) both ways with Tryton', () => {
  const tryton = useTrytonServer();
  for (const engine of ['sqlite', 'postgres'] as const satisfies readonly Engine[]) {
    (engine === 'postgres' ? describeIfPg : describe)(engine, () => referenceData(engine));
  }

  function referenceData(engine: Engine): void {
    let rpc: TrytonRpc;
    let server: TestServer;
    let tech: string;
    const ids = (value: ErpValue): number[] => value as number[];
    const local = (kind: Kind, code: string, name: string, active = true): ReferenceData => ({ id: `rd-${engine}-${kind}-${code}`, kind, code, name, active });

    beforeAll(async () => {
      await tryton.reset();
      rpc = new TrytonRpc(tryton.rpcOptions());
      // In Tryton before Fieldstock connects: two payment terms, two categories, one carrier.
      for (const name of ['NET30', 'COD']) await rpc.model('account.invoice.payment_term', 'create', [[{ name, lines: [['create', [{ type: 'remainder' }]]] }]]);
      await rpc.model('product.category', 'create', [[{ name: 'PUMPS' }, { name: 'VALVES' }]]);
      const [unit] = ids(await rpc.model('product.uom', 'search', [[['symbol', '=', 'u']], 0, 1, null]));
      const [template] = ids(
        await rpc.model('product.template', 'create', [
          [{ name: 'Courier', type: 'service', default_uom: unit ?? 0, list_price: ErpDecimal.parse('0'), products: [['create', [{ cost_price: ErpDecimal.parse('0') }]]] }],
        ]),
      );
      const [courier] = ids(await rpc.model('product.product', 'search', [[['template', '=', template ?? 0]]]));
      await createCarrier('UPS', 'United Parcel', courier ?? 0);

      server = await startOutboxServer(tryton, { engine });
      // Local reference data that existed before the ERP was connected (written as the demo seed does, not pushed).
      const { ctx } = server.fieldstock;
      const before = [
        local('payment-term', 'NET30', 'Net 30 days'),
        local('asset-category', 'PUMPS', 'PUMPS'),
        local('ship-via', 'UPS', 'UPS Ground'),
        // Same code, another kind: no map may take it for the payment term or category of that code.
        local('reason-code', 'COD', 'Cash on delivery damaged'),
      ];
      await writeTransaction(ctx.store, ctx.notifier, async (w) => {
        for (const d of before) w.put({ collection: 'referenceData', id: d.id, data: { ...d, _deleted: false }, scopeA: null, scopeB: null });
      });
      const admin = await server.token('admin');
      const username = `tech-${engine}`;
      expect((await api(server, admin, 'POST', '/api/v1/admin/users', { username, password: TECH_PASSWORD, role: 'technician', warehouseCodes: [] })).status).toBe(201);
      tech = (await server.login(username, TECH_PASSWORD)).accessToken;
    });
    afterAll(async () => {
      await server?.close();
      await rpc?.logout();
    });

    async function createCarrier(code: string, name: string, product: number): Promise<number> {
      const [party] = ids(await rpc.model('party.party', 'create', [[{ name, code }]]));
      const [carrier] = ids(await rpc.model('carrier', 'create', [[{ party: party ?? 0, carrier_product: product }]]));
      return carrier ?? 0;
    }

    const deliver = (): Promise<OutboxRunResult> => deliverOutbox(server);
    const outbox = () => server.fieldstock.ctx.store.db.selectFrom('erp_outbox').select(['map_name', 'document_id', 'status', 'last_error_code']).orderBy('seq').execute();
    const pulled = async (token: string) => pullAll<ReferenceData>(server, token, 'referenceData');
    const find = async (kind: Kind, code: string): Promise<ReferenceData | undefined> => (await pulled(await server.token('admin'))).find((d) => d.kind === kind && d.code === code);
    const get = async (kind: Kind, code: string): Promise<ReferenceData> => {
      const found = await find(kind, code);
      if (!found) throw new Error(`no ${kind} ${code}`);
      return found;
    };
    const adminPush = async (doc: ReferenceData, before: ReferenceData | null = null): Promise<void> => {
      const r = await push(server, await server.token('admin'), 'referenceData', [{ assumedMasterState: before as unknown as Doc | null, newDocumentState: { ...doc, _deleted: false } as unknown as Doc }]);
      expect(r.status).toBe(200);
      expect(r.body).toEqual([]);
    };
    const adminEdit = async (kind: Kind, code: string, change: Partial<ReferenceData>): Promise<void> => {
      const before = await get(kind, code);
      await adminPush({ ...before, ...change }, before);
    };
    const read = async (model: string, domain: ErpValue[], fields: string[]): Promise<Row[]> => (await rpc.model(model, 'search_read', [domain, 0, null, [['id', 'ASC']], fields], { active_test: false })) as Row[];
    /** An inbound run that must write nothing: no document, no new sequence, nothing queued. */
    const expectEcho = async (map: string): Promise<void> => {
      const seq = await changeSequence(server);
      const queued = (await outbox()).length;
      const run = await runMap(server, map);
      expect(run).toMatchObject({ created: 0, updated: 0, failed: 0, conflicts: [] });
      expect(run.echoes).toBeGreaterThanOrEqual(1);
      expect(await changeSequence(server)).toBe(seq);
      expect(await outbox()).toHaveLength(queued);
    };

    it('the initial runs match existing local reference data by code within its kind, report differing values, and bring the rest to clients', async () => {
      const terms = await runMap(server, 'payment-terms');
      expect(terms).toMatchObject({ kind: 'initial', created: 1, linked: 1, failed: 0 });
      expect(terms.mismatches).toEqual([
        expect.objectContaining({ key: 'NET30', localId: `rd-${engine}-payment-term-NET30`, fields: [{ field: 'name', local: 'Net 30 days', erp: 'NET30' }], resolution: expect.stringContaining('updated from the ERP') }),
      ]);
      const categories = await runMap(server, 'asset-categories');
      expect(categories).toMatchObject({ kind: 'initial', created: 1, linked: 1, failed: 0, mismatches: [] });
      const shipVia = await runMap(server, 'ship-via');
      expect(shipVia).toMatchObject({ kind: 'initial', created: 0, linked: 1, failed: 0 });
      expect(shipVia.mismatches).toEqual([expect.objectContaining({ key: 'UPS', fields: [{ field: 'name', local: 'UPS Ground', erp: 'United Parcel' }] })]);

      // A technician's device pulls them like any reference data.
      const docs = await pulled(tech);
      const view = docs.map(({ kind, code, name, active }) => ({ kind, code, name, active })).sort((a, b) => `${a.kind}/${a.code}`.localeCompare(`${b.kind}/${b.code}`));
      expect(view).toEqual([
        { kind: 'asset-category', code: 'PUMPS', name: 'PUMPS', active: true },
        { kind: 'asset-category', code: 'VALVES', name: 'VALVES', active: true },
        { kind: 'payment-term', code: 'COD', name: 'COD', active: true },
        { kind: 'payment-term', code: 'NET30', name: 'NET30', active: true },
        { kind: 'reason-code', code: 'COD', name: 'Cash on delivery damaged', active: true },
        { kind: 'ship-via', code: 'UPS', name: 'United Parcel', active: true },
      ]);
      expect(docs.find((d) => d.kind === 'reason-code')?.id).toBe(`rd-${engine}-reason-code-COD`);
      // What arrived from Tryton is not sent back.
      expect(await outbox()).toEqual([]);
    });

    it('a payment term an admin makes in the app reaches Tryton with its remainder line; the next inbound run sees the write as an echo', async () => {
      await adminPush(local('payment-term', 'NET45', 'NET45'));
      expect(await outbox()).toEqual([expect.objectContaining({ map_name: 'payment-terms', status: 'pending' })]);
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      const [term] = await read('account.invoice.payment_term', [['name', '=', 'NET45']], ['name', 'active', 'lines.type']);
      expect(term).toMatchObject({ name: 'NET45', active: 1, 'lines.': [expect.objectContaining({ type: 'remainder' })] });
      await expectEcho('payment-terms');

      // Deactivated in the app: written to Tryton, and again no echo back.
      await adminEdit('payment-term', 'NET45', { active: false });
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect((await read('account.invoice.payment_term', [['name', '=', 'NET45']], ['active']))[0]?.active).toBeFalsy();
      await expectEcho('payment-terms');

      // A retried create (its answer lost) finds the term by its name instead of making a second one.
      const connector = new TrytonConnector(tryton.rpcOptions());
      try {
        const again = await connector.createOnce('account.invoice.payment_term', 'NET45', { name: 'NET45' });
        expect(again).toEqual({ erpId: String(term?.id), created: false });
      } finally {
        await connector.close();
      }
    });

    it('a payment term deactivated in Tryton becomes inactive locally, and nothing goes back', async () => {
      const [cod] = ids(await rpc.model('account.invoice.payment_term', 'search', [[['name', '=', 'COD']]]));
      await rpc.model('account.invoice.payment_term', 'write', [[cod ?? 0], { active: false }]);
      const run = await runMap(server, 'payment-terms');
      expect(run).toMatchObject({ updated: 1, failed: 0 });
      expect(await get('payment-term', 'COD')).toMatchObject({ active: false });
      expect(await get('reason-code', 'COD')).toMatchObject({ active: true });
      expect(await deliver()).toMatchObject({ claimed: 0 });
    });

    it('asset categories both ways: made in the app → in Tryton (echo only); renamed in Tryton → renamed locally; deleted in Tryton → inactive after reconciliation', async () => {
      await adminPush(local('asset-category', 'COMPRESSORS', 'COMPRESSORS'));
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect(await read('product.category', [['name', '=', 'COMPRESSORS']], ['name'])).toHaveLength(1);
      await expectEcho('asset-categories');

      const [valves] = ids(await rpc.model('product.category', 'search', [[['name', '=', 'VALVES']]]));
      await rpc.model('product.category', 'write', [[valves ?? 0], { name: 'VALVES-BRASS' }]);
      expect(await runMap(server, 'asset-categories')).toMatchObject({ updated: 1, failed: 0 });
      expect(await find('asset-category', 'VALVES')).toBeUndefined();
      expect(await get('asset-category', 'VALVES-BRASS')).toMatchObject({ name: 'VALVES-BRASS', active: true });

      const [pumps] = ids(await rpc.model('product.category', 'search', [[['name', '=', 'PUMPS']]]));
      await rpc.model('product.category', 'delete', [[pumps ?? 0]]);
      const reconciled = await runMap(server, 'asset-categories', 'reconcile');
      expect(reconciled).toMatchObject({ removed: 1, removals: [expect.objectContaining({ action: 'deactivated', localId: `rd-${engine}-asset-category-PUMPS` })] });
      expect(await get('asset-category', 'PUMPS')).toMatchObject({ active: false });
      expect(await deliver()).toMatchObject({ claimed: 0 });
    });

    it('ship-via both ways: carriers made in the app get their party (our code) and one shared service product; a rename reaches the party; changes in Tryton arrive', async () => {
      await adminPush(local('ship-via', 'FEDEX', 'FedEx Ground'));
      await adminPush(local('ship-via', 'DHL', 'DHL Express'));
      expect(await deliver()).toMatchObject({ done: 2, poisoned: 0 });
      const carriers = await read('carrier', [['party.code', 'in', ['FEDEX', 'DHL']]], ['party.code', 'party.name', 'carrier_product', 'carrier_product.code', 'carrier_product.type', 'active']);
      expect(carriers.map((c) => ({ party: c['party.'], product: c['carrier_product.'], active: c.active }))).toEqual([
        { party: expect.objectContaining({ code: 'FEDEX', name: 'FedEx Ground' }), product: expect.objectContaining({ code: CARRIER_PRODUCT_CODE, type: 'service' }), active: 1 },
        { party: expect.objectContaining({ code: 'DHL', name: 'DHL Express' }), product: expect.objectContaining({ code: CARRIER_PRODUCT_CODE, type: 'service' }), active: 1 },
      ]);
      expect(carriers[0]?.carrier_product).toBe(carriers[1]?.carrier_product);
      expect(await read('product.product', [['code', '=', CARRIER_PRODUCT_CODE]], ['code'])).toHaveLength(1);
      await expectEcho('ship-via');

      // A rename in the app is written to the carrier's party; the party's new stamp was recorded with the write, so nothing echoes back.
      await adminEdit('ship-via', 'FEDEX', { name: 'FedEx Express' });
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect((await read('party.party', [['code', '=', 'FEDEX']], ['name']))[0]?.name).toBe('FedEx Express');
      const seq = await changeSequence(server);
      expect(await runMap(server, 'ship-via')).toMatchObject({ created: 0, updated: 0, failed: 0, conflicts: [] });
      expect(await changeSequence(server)).toBe(seq);

      // A retried create finds the carrier through its party's code.
      const connector = new TrytonConnector(tryton.rpcOptions());
      try {
        const again = await connector.createOnce('carrier', 'FEDEX', { 'party.code': 'FEDEX', 'party.name': 'FedEx Express', active: true });
        expect(again).toEqual({ erpId: String(carriers[0]?.id), created: false });
      } finally {
        await connector.close();
      }

      // In Tryton: UPS deactivated, a new carrier TNT.
      const [ups] = ids(await rpc.model('carrier', 'search', [[['party.code', '=', 'UPS']]]));
      await rpc.model('carrier', 'write', [[ups ?? 0], { active: false }]);
      await createCarrier('TNT', 'TNT Express', Number(carriers[0]?.carrier_product));
      expect(await runMap(server, 'ship-via')).toMatchObject({ created: 1, updated: 1, failed: 0 });
      expect(await get('ship-via', 'UPS')).toMatchObject({ name: 'United Parcel', active: false });
      expect(await get('ship-via', 'TNT')).toMatchObject({ name: 'TNT Express', active: true });
      expect(await deliver()).toMatchObject({ claimed: 0 });

      // A party renamed in Tryton stamps the party, not the carrier: the change read counts the party's stamps, so a regular run brings it.
      const [dhlParty] = ids(await rpc.model('party.party', 'search', [[['code', '=', 'DHL']]]));
      await rpc.model('party.party', 'write', [[dhlParty ?? 0], { name: 'DHL Parcel' }]);
      expect(await runMap(server, 'ship-via')).toMatchObject({ kind: 'changes', updated: 1, failed: 0 });
      expect(await get('ship-via', 'DHL')).toMatchObject({ name: 'DHL Parcel' });
      expect(await deliver()).toMatchObject({ claimed: 0 });
    });

    it('a reference data change that cannot be delivered stays in the outbox with its reason and shows on the document; the corrected change clears it', async () => {
      // Blank after the map's trim: the integration key (the category name Tryton requires) is empty.
      const blank = { ...local('asset-category', ' ', 'Unnamed'), id: `rd-${engine}-blank` };
      await adminPush(blank);
      expect(await deliver()).toMatchObject({ done: 0, poisoned: 1 });
      expect((await outbox()).filter((i) => i.status === 'poison')).toEqual([expect.objectContaining({ map_name: 'asset-categories', document_id: blank.id, last_error_code: 'erp-config' })]);
      // The entry carries the refusal (reference data v2) and is still a valid document for clients.
      const refused = (await pulled(tech)).find((d) => d.id === blank.id);
      expect(refused).toEqual({ ...blank, erpError: { code: 'erp-config', message: expect.stringContaining('integration key') as unknown as string, at: expect.any(String) as unknown as string }, _deleted: false });

      // The admin gives it a name: the refused item is re-armed, delivered, and the mark goes.
      if (!refused) throw new Error('the refused entry no longer pulls');
      await adminPush({ ...refused, code: 'UNNAMED' }, refused);
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      const fixed = (await pulled(tech)).find((d) => d.id === blank.id);
      expect(fixed?.erpError).toBeUndefined();
      expect(await read('product.category', [['name', '=', 'UNNAMED']], ['name'])).toHaveLength(1);
    });
  }
});
