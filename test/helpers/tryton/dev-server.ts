/**
 * `npm run tryton:dev`: a throwaway Tryton to try the ERP integration by hand
 * (the same pristine database and fixture company the tests use), with the
 * demo's main warehouse code, one demo product and a confirmed purchase, so
 * `npm run server -- --demo` started against it has something to match,
 * receive and send. It prints the settings to start the backend with and
 * runs until Ctrl-C; the database and the password file are deleted on exit.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrytonRpc } from '../../../server/erp/adapters/tryton/rpc.js';
import { units } from '../../../shared/decimal.js';
import { trytonUnavailableReason } from './binaries.js';
import { buildPurchasingCompany, createConfirmedPurchase } from './fixture.js';
import { TrytonTestServer } from './server.js';
import { ADMIN_PASSWORD } from './template.js';

/** The demo's main warehouse (server/demo/data.ts): the initial sync links it instead of creating a second one. */
const DEMO_WAREHOUSE = 'WH-MAIN';
/** A demo product number (Copper elbow 1/4 in), so the purchase's product links to the demo's. */
const DEMO_PRODUCT = 'P-1001';

async function main(): Promise<void> {
  const reason = trytonUnavailableReason();
  if (reason) {
    console.error(`Cannot start Tryton: ${reason}`);
    process.exitCode = 1;
    return;
  }
  console.log('Starting Tryton (the first start builds its database, about 10 s)…');
  const server = new TrytonTestServer();
  await server.init();
  const rpc = new TrytonRpc(server.rpcOptions());
  const company = await buildPurchasingCompany(rpc, { productCode: DEMO_PRODUCT });
  await rpc.model('stock.location', 'write', [[company.warehouseId], { code: DEMO_WAREHOUSE }]);
  const purchase = await createConfirmedPurchase(rpc, company, [{ quantity: 5, unitPrice: units('12.5') }]);
  await rpc.logout();

  // The password goes to the backend through a file, never on a command line or in a URL.
  const passwordFile = join(tmpdir(), `fieldstock-tryton-dev-${process.pid}.password`);
  writeFileSync(passwordFile, ADMIN_PASSWORD, { mode: 0o600 });
  console.log(`
Tryton ${server.url} is running (database ${server.database}, user ${server.user}), with
warehouse ${DEMO_WAREHOUSE}, product ${DEMO_PRODUCT} and purchase ${purchase.number} (5 units, ${purchase.state}).

Start the backend against it in another terminal:

  FIELDSTOCK_ERP=tryton FIELDSTOCK_TRYTON_URL=${server.url} FIELDSTOCK_TRYTON_DATABASE=${server.database} \\
  FIELDSTOCK_TRYTON_USER=${server.user} FIELDSTOCK_TRYTON_PASSWORD_FILE=${passwordFile} \\
  FIELDSTOCK_DATA_DIR=$(mktemp -d) npm run server -- --demo

Ctrl-C stops Tryton and deletes its database.`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('Stopping Tryton…');
  rmSync(passwordFile, { force: true });
  await server.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
