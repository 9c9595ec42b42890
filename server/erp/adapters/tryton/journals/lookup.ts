/**
 * Our integration keys to Tryton records, looked up once per delivery round:
 *
 *   warehouse code   → stock.location (type warehouse, same `code`), with its
 *                      storage location (where stock is) and Lost and Found
 *   product number   → product.product (same `code`), with its default unit
 *
 * The cache hangs off the round's SinkDelivery object (a WeakMap), so every
 * journal of a round shares the look-ups and the next round sees a product
 * or warehouse someone has just created in Tryton. Quantities are sent in the
 * product's default unit, which is our base unit (the products map keeps
 * them the same).
 */
import type { SinkDelivery } from '../../../../ledger/aggregation/sink.js';
import { ErpError } from '../../../errors.js';
import type { ErpValue } from '../../../values.js';
import type { TrytonRpc } from '../rpc.js';

export interface TrytonWarehouse {
  id: number;
  code: string;
  storageId: number;
  lostFoundId: number;
}

export interface TrytonProduct {
  id: number;
  code: string;
  uomId: number;
}

/** A key Tryton cannot resolve: the message names it and says what to do. */
export interface Unresolved {
  code: string;
  message: string;
}

export type Resolved<T> = { ok: true; record: T } | ({ ok: false } & Unresolved);

export class TrytonLookup {
  readonly #rpc: TrytonRpc;
  readonly #warehouses = new Map<string, Resolved<TrytonWarehouse>>();
  readonly #products = new Map<string, Resolved<TrytonProduct>>();

  constructor(rpc: TrytonRpc) {
    this.#rpc = rpc;
  }

  async warehouses(codes: Iterable<string>): Promise<Map<string, Resolved<TrytonWarehouse>>> {
    const wanted = [...new Set(codes)];
    const missing = wanted.filter((c) => !this.#warehouses.has(c));
    if (missing.length > 0) {
      const rows = await this.#search('stock.location', [['type', '=', 'warehouse'], ['code', 'in', missing]], ['code', 'storage_location', 'lost_found_location']);
      for (const code of missing) {
        const found = rows.filter((r) => r.code === code);
        const [row] = found;
        if (!row) {
          this.#warehouses.set(code, {
            ok: false,
            code: 'erp-unknown-warehouse',
            message: `Tryton has no active warehouse with code "${code}" (a stock.location of type warehouse); create it or fix the code, then retry.`,
          });
        } else if (found.length > 1) {
          this.#warehouses.set(code, { ok: false, code: 'erp-ambiguous-code', message: `${found.length} Tryton warehouses have code "${code}"; codes must be unique to match.` });
        } else if (typeof row.storage_location !== 'number') {
          this.#warehouses.set(code, { ok: false, code: 'erp-unknown-warehouse', message: `Tryton warehouse "${code}" has no storage location.` });
        } else if (typeof row.lost_found_location !== 'number') {
          this.#warehouses.set(code, {
            ok: false,
            code: 'erp-unknown-warehouse',
            message: `Tryton warehouse "${code}" has no Lost and Found location; set one on the warehouse (stock changes are moved from and to it), then retry.`,
          });
        } else {
          this.#warehouses.set(code, { ok: true, record: { id: id(row.id), code, storageId: row.storage_location, lostFoundId: row.lost_found_location } });
        }
      }
    }
    return new Map(wanted.map((c) => [c, this.#warehouses.get(c) as Resolved<TrytonWarehouse>]));
  }

  async products(codes: Iterable<string>): Promise<Map<string, Resolved<TrytonProduct>>> {
    const wanted = [...new Set(codes)];
    const missing = wanted.filter((c) => !this.#products.has(c));
    for (let i = 0; i < missing.length; i += 500) {
      const chunk = missing.slice(i, i + 500);
      const rows = await this.#search('product.product', [['code', 'in', chunk]], ['code', 'default_uom']);
      for (const code of chunk) {
        const found = rows.filter((r) => r.code === code);
        const [row] = found;
        if (!row) {
          this.#products.set(code, {
            ok: false,
            code: 'erp-unknown-product',
            message: `Tryton has no active product with code "${code}" (product.product); create it or fix the product number, then retry this line.`,
          });
        } else if (found.length > 1) {
          this.#products.set(code, { ok: false, code: 'erp-ambiguous-code', message: `${found.length} Tryton products have code "${code}"; codes must be unique to match.` });
        } else {
          this.#products.set(code, { ok: true, record: { id: id(row.id), code, uomId: id(row.default_uom) } });
        }
      }
    }
    return new Map(wanted.map((c) => [c, this.#products.get(c) as Resolved<TrytonProduct>]));
  }

  async #search(model: string, domain: ErpValue[], fields: string[]): Promise<Record<string, ErpValue>[]> {
    const rows = await this.#rpc.model(model, 'search_read', [domain, 0, null, [['id', 'ASC']], fields]);
    if (!Array.isArray(rows) || !rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) {
      throw new ErpError('erp-protocol', `Tryton answered a search of ${model} with something other than records`);
    }
    return rows as Record<string, ErpValue>[];
  }
}

/** One lookup per delivery round (see the file comment). */
export class LookupPerDelivery {
  readonly #rpc: TrytonRpc;
  readonly #byDelivery = new WeakMap<SinkDelivery, TrytonLookup>();

  constructor(rpc: TrytonRpc) {
    this.#rpc = rpc;
  }

  for(delivery: SinkDelivery): TrytonLookup {
    let lookup = this.#byDelivery.get(delivery);
    if (!lookup) {
      lookup = new TrytonLookup(this.#rpc);
      this.#byDelivery.set(delivery, lookup);
    }
    return lookup;
  }
}

function id(value: ErpValue | undefined): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ErpError('erp-protocol', `Tryton answered ${JSON.stringify(value)} where a record id was expected`);
  return value;
}
