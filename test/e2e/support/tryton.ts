/**
 * A real Tryton for an end-to-end test (test/helpers/tryton/: a trytond on a copy of
 * the run's pristine database, the fixture company) with the demo's main warehouse
 * code and one demo product number, so the backend's --demo data links to them
 * instead of making second ones, and a confirmed purchase for that warehouse.
 *
 *   import { test } from './support/tryton.js';   // the stack fixture, its backend on this Tryton
 *   test('...', async ({ stack, tryton }) => { tryton.purchase.number; await tryton.onHand(); });
 *
 * The `backendEnv` fixture is overridden so the backend starts with FIELDSTOCK_ERP=tryton
 * (password in a file, never on a command line), a short ERP sync and outbox interval.
 * Reads for the assertions go through our own JSON-RPC client, as admin.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TrytonRpc } from '../../../server/erp/adapters/tryton/rpc.js';
import type { ErpValue } from '../../../server/erp/values.js';
import { units, type Units } from '../../../shared/decimal.js';
import { trytonUnavailableReason } from '../../helpers/tryton/binaries.js';
import { buildPurchasingCompany, createConfirmedPurchase, type ConfirmedPurchase, type PurchasingCompany } from '../../helpers/tryton/fixture.js';
import { TrytonTestServer } from '../../helpers/tryton/server.js';
import { tempDir } from '../../helpers/tmp.js';
import { test as stackTest } from './fixtures.js';

/** The demo's main warehouse (server/demo/data.ts): the backend's initial sync links it to Tryton's. */
export const DEMO_WAREHOUSE = 'WH-MAIN';
/** A demo product number without lot or serial tracking (Copper elbow 1/4 in), linked to Tryton's product. */
export const DEMO_PRODUCT = 'P-1001';

/** Why these tests cannot run here (trytond missing), or undefined when they can. */
export const TRYTON_UNAVAILABLE = trytonUnavailableReason();

type Row = Record<string, ErpValue>;

export interface TrytonPurchaseLine {
  quantity: number;
  unitPrice: Units;
}

export interface TrytonWorld {
  server: TrytonTestServer;
  rpc: TrytonRpc;
  company: PurchasingCompany;
  purchase: ConfirmedPurchase;
  /** The backend's environment for this Tryton. */
  backendEnv: Record<string, string>;
  /** Tryton's on hand of the company's product in the warehouse (its storage and input locations below it). */
  onHand(): Promise<number>;
  /** Incoming shipments carrying `reference`, with their state and moves. */
  shipmentsWithReference(reference: string): Promise<Row[]>;
  /** A purchase line's moves still to receive (draft or assigned), with their quantity and shipment. */
  openMoves(lineId: number): Promise<Row[]>;
  dispose(): Promise<void>;
}

/** Starts trytond, builds the company with the demo codes and confirms one purchase of `lines`. */
export async function startTrytonWorld(lines: readonly TrytonPurchaseLine[]): Promise<TrytonWorld> {
  const server = new TrytonTestServer();
  const tmp = tempDir('e2e-tryton');
  let rpc: TrytonRpc | undefined;
  try {
    await server.init();
    // Generous: on a loaded 2-core machine a Tryton call can take seconds.
    rpc = new TrytonRpc(server.rpcOptions({ timeoutMs: 60_000 }));
    const company = await buildPurchasingCompany(rpc, { productCode: DEMO_PRODUCT });
    await rpc.model('stock.location', 'write', [[company.warehouseId], { code: DEMO_WAREHOUSE }]);
    const purchase = await createConfirmedPurchase(rpc, company, lines);
    const passwordFile = path.join(tmp.path, 'tryton.password');
    writeFileSync(passwordFile, server.password.reveal(), { mode: 0o600 });
    const client = rpc;
    return {
      server,
      rpc,
      company,
      purchase,
      backendEnv: {
        FIELDSTOCK_ERP: 'tryton',
        FIELDSTOCK_TRYTON_URL: server.url,
        FIELDSTOCK_TRYTON_DATABASE: server.database,
        FIELDSTOCK_TRYTON_USER: server.user,
        FIELDSTOCK_TRYTON_PASSWORD_FILE: passwordFile,
        FIELDSTOCK_ERP_TIMEOUT_MS: '60000',
        // The lease must outlast one ERP call (config.ts checks it).
        FIELDSTOCK_ERP_OUTBOX_LEASE_MS: '120000',
        // Short, so the purchase arrives and the receipt leaves within the test's waits.
        FIELDSTOCK_ERP_SYNC_INTERVAL_MS: '2000',
        FIELDSTOCK_ERP_OUTBOX_INTERVAL_MS: '1000',
      },
      async onHand() {
        const [product] = (await client.model('product.product', 'read', [[company.productId], ['quantity']], { locations: [company.warehouseId] })) as Row[];
        return Number(product?.quantity);
      },
      async shipmentsWithReference(reference) {
        return (await client.model('stock.shipment.in', 'search_read', [[['reference', '=', reference]], 0, null, null, ['state', 'warehouse', 'incoming_moves']])) as Row[];
      },
      async openMoves(lineId) {
        return (await client.model('stock.move', 'search_read', [
          [
            ['origin', '=', `purchase.line,${lineId}`],
            ['state', 'in', ['draft', 'assigned']],
          ],
          0,
          null,
          null,
          ['quantity', 'state', 'shipment'],
        ])) as Row[];
      },
      async dispose() {
        await client.logout().catch(() => undefined);
        await server.dispose();
        tmp.cleanup();
      },
    };
  } catch (error) {
    await rpc?.logout().catch(() => undefined);
    await server.dispose();
    tmp.cleanup();
    if (error instanceof Error) error.message += `\ntrytond log:\n${server.log().slice(-3000)}`;
    throw error;
  }
}

export interface TrytonOptions {
  /** The lines of the purchase confirmed in Tryton (test.use to change them; one line of 5 units by default). */
  trytonPurchaseLines: TrytonPurchaseLine[];
}

/**
 * The e2e `test` with a `tryton` fixture (a world with one confirmed purchase, started
 * before the backend and stopped after it) and the backend pointed at it.
 */
export const test = stackTest.extend<{ tryton: TrytonWorld } & TrytonOptions>({
  trytonPurchaseLines: [[{ quantity: 5, unitPrice: units('12.5') }], { option: true }],
  tryton: async ({ trytonPurchaseLines }, use, testInfo) => {
    const world = await startTrytonWorld(trytonPurchaseLines);
    try {
      await use(world);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('trytond-log', { body: world.server.log(), contentType: 'text/plain' }).catch(() => undefined);
      await world.dispose();
    }
  },
  backendEnv: async ({ tryton }, use) => {
    await use(tryton.backendEnv);
  },
});

export { expect } from './fixtures.js';
