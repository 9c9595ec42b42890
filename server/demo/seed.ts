import { units, type Units } from '../../shared/decimal.js';
import { toBaseUnits, unitFactor } from '../../shared/ledger/units.js';
import type { AuthService } from '../auth/service.js';
import { inventoryDocWrite } from '../ledger/state.js';
import type { ChangeNotifier } from '../store/notifier.js';
import type { Store } from '../store/open.js';
import { writeTransaction } from '../store/write.js';
import { DEMO_PASSWORD, demoCustomerAssets, demoProducts, demoPackPurchaseOrders, demoPurchaseOrders, demoReferenceData, demoUsers, demoWarehouses, random } from './data.js';

const SEED_KEY = 'demo-seed';

/**
 * Seeds the demo data once. Idempotent: a store that has it already is left
 * alone, so stock that moved since is never reset.
 */
export async function seedDemo(store: Store, notifier: ChangeNotifier, auth: AuthService): Promise<'seeded' | 'already-seeded'> {
  const done = await store.db.selectFrom('meta').select('value').where('key', '=', SEED_KEY).executeTakeFirst();
  if (done) return 'already-seeded';

  const result = await writeTransaction(store, notifier, async (w) => {
    const claimed = await w.trx.insertInto('meta').values({ key: SEED_KEY, value: new Date(w.now).toISOString() }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
    // Another instance seeded between our check and our lock.
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) return 'already-seeded' as const;

    for (const d of demoWarehouses) w.put({ collection: 'warehouses', id: d.id, data: { ...d, _deleted: false }, scopeA: null, scopeB: null });
    for (const d of demoProducts) w.put({ collection: 'products', id: d.id, data: { ...d, _deleted: false }, scopeA: null, scopeB: null });
    for (const d of demoReferenceData) w.put({ collection: 'referenceData', id: d.id, data: { ...d, _deleted: false }, scopeA: null, scopeB: null });
    for (const d of demoCustomerAssets) w.put({ collection: 'customerAssets', id: d.id, data: { ...d, _deleted: false }, scopeA: null, scopeB: null });

    const levels = new Map<string, { warehouseId: string; productId: string; onHand: Units; onOrder: Units; ordered: Units }>();
    const level = (warehouseId: string, productId: string) => {
      const key = `${warehouseId}~${productId}`;
      let l = levels.get(key);
      if (!l) {
        l = { warehouseId, productId, onHand: 0 as Units, onOrder: 0 as Units, ordered: 0 as Units };
        levels.set(key, l);
      }
      return l;
    };
    const rnd = random(42);
    for (const wh of demoWarehouses) {
      demoProducts.forEach((p, i) => {
        if (wh.kind === 'warehouse') level(wh.id, p.id).onHand = units(10 + Math.floor(rnd() * 190));
        else if (i % 4 === Number(wh.code.slice(-1)) % 4) level(wh.id, p.id).onHand = units(1 + Math.floor(rnd() * 12));
      });
    }
    const productsById = new Map(demoProducts.map((p) => [p.id, p]));
    for (const po of [...demoPurchaseOrders(), ...demoPackPurchaseOrders()]) {
      w.put({ collection: 'purchaseOrders', id: po.id, data: { ...po, _deleted: false }, scopeA: po.warehouseId, scopeB: null });
      for (const line of po.lines) {
        const l = level(po.warehouseId, line.productId);
        const product = productsById.get(line.productId);
        const factor = product && unitFactor(product, line.unit, demoReferenceData);
        if (!factor?.ok) throw new Error(`demo PO ${po.number} line ${line.lineNumber}: no conversion for ${line.unit}`);
        // On order is in the base unit, like on hand.
        l.onOrder = (l.onOrder + toBaseUnits(units(line.quantityOrdered), factor.factor)) as Units;
      }
    }
    const rows = [...levels.values()];
    for (let i = 0; i < rows.length; i += 400) {
      await w.trx
        .insertInto('onhand')
        .values(rows.slice(i, i + 400).map((r) => ({ warehouse_id: r.warehouseId, product_id: r.productId, on_hand: r.onHand, on_order: r.onOrder, ordered: r.ordered, last_count_at: null })))
        .execute();
    }
    for (const r of rows) w.put(inventoryDocWrite(r));
    return 'seeded' as const;
  });
  if (result === 'seeded') {
    for (const u of demoUsers) {
      const exists = await store.db.selectFrom('users').select('id').where('username', '=', u.username).executeTakeFirst();
      if (exists) continue;
      const ids = u.warehouseCodes.map((code) => demoWarehouses.find((w) => w.code === code)?.id ?? '');
      await auth.createUser({ username: u.username, password: DEMO_PASSWORD, role: u.role, warehouseCodes: u.warehouseCodes }, ids);
    }
  }
  return result;
}
