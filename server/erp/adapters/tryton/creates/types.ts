/**
 * What a per-model create module does: Tryton refuses some records unless
 * other records exist first (a warehouse's zones, a carrier's party and
 * product, a payment term's line). The module makes the create call's values,
 * creating those records on the way, each idempotent by its own reference so
 * a retried create reuses what an earlier attempt made.
 */
import type { ErpValues } from '../../../values.js';
import type { KeyedLock } from '../references.js';
import type { TrytonRpc } from '../rpc.js';

export interface CreateContext {
  rpc: TrytonRpc;
  lock: KeyedLock;
  /** Our reference of the record being created (its integration key). */
  reference: string;
}

export type PrepareCreate = (ctx: CreateContext, values: ErpValues) => Promise<ErpValues>;
