/**
 * The ErpConnector for Tryton: ids are Tryton's integers as text, versions
 * are Tryton's `_timestamp` (what its optimistic lock compares), and every
 * read includes inactive records (a deactivation is a change to sync).
 * Creates of models Tryton refuses without other records first go through
 * creates/ (payment terms, carriers, warehouses); a written `relation.field`
 * goes to the related record (creates/related-writes.ts).
 */
import type { ChangePage, ChangeQuery, CreateOnceResult, ErpConnector, ErpFilter, ErpReceiptFlow, ErpRecord } from '../../connector.js';
import { ErpError } from '../../errors.js';
import type { OutboxHandlers } from '../../outbox/handlers.js';
import type { OutboxLog } from '../../outbox/worker.js';
import type { ErpValues } from '../../values.js';
import { asRows, filterDomain, readChanges, readFields, toRecord } from './changes.js';
import { createModule } from './creates/index.js';
import { splitRelated, writeRelated } from './creates/related-writes.js';
import { TrytonJournalSink } from './journals/sink.js';
import { TrytonLevelSource } from './levels-source.js';
import { registerTrytonReceipts } from './receipts/register.js';
import { createOnce, findByReference, KeyedLock } from './references.js';
import { TrytonRpc, type TrytonRpcOptions } from './rpc.js';

const ALL_RECORDS = { active_test: false } as const;

export class TrytonConnector implements ErpConnector {
  readonly name = 'tryton';
  readonly external = true;
  /** ERP journals become internal shipments with our reference (journals/sink.ts). */
  readonly journals: TrytonJournalSink;
  /** On hand per warehouse, and what Tryton applied of our shipments (levels-source.ts). */
  readonly levels: TrytonLevelSource;
  readonly rpc: TrytonRpc;
  readonly #lock = new KeyedLock();

  constructor(options: TrytonRpcOptions) {
    this.rpc = new TrytonRpc(options);
    this.journals = new TrytonJournalSink(this.rpc);
    this.levels = new TrytonLevelSource(this.rpc);
  }

  /** Receipts become incoming shipments against the purchase's moves (receipts/). */
  registerReceipts(handlers: OutboxHandlers, log: OutboxLog): ErpReceiptFlow {
    return registerTrytonReceipts(this.rpc, handlers, log);
  }

  async check(): Promise<{ version: string }> {
    const version = await this.rpc.version();
    await this.rpc.context();
    return { version };
  }

  readChanges(model: string, query: ChangeQuery): Promise<ChangePage> {
    return readChanges(this.rpc, model, query);
  }

  async readIds(model: string, filter?: ErpFilter): Promise<string[]> {
    const ids = await this.rpc.model(model, 'search', [filterDomain(filter), 0, null, [['id', 'ASC']]], ALL_RECORDS);
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'number')) throw new ErpError('erp-protocol', `Tryton answered model.${model}.search with something other than ids`);
    return ids.map(String);
  }

  async read(model: string, erpIds: readonly string[], fields: readonly string[]): Promise<ErpRecord[]> {
    if (erpIds.length === 0) return [];
    // search_read by id, unlike read, skips ids that no longer exist instead of failing the whole call.
    const rows = await this.rpc.model(model, 'search_read', [[['id', 'in', erpIds.map(toId)]], 0, null, [['id', 'ASC']], readFields(model, fields)], ALL_RECORDS);
    return asRows(model, rows).map((row) => toRecord(model, row, fields));
  }

  async findByReference(model: string, reference: string): Promise<string | undefined> {
    const id = await findByReference(this.rpc, model, reference);
    return id === undefined ? undefined : String(id);
  }

  async createOnce(model: string, reference: string, values: ErpValues): Promise<CreateOnceResult> {
    // Records Tryton refuses without others made first (a warehouse's zones, a carrier's party): creates/.
    const prepare = createModule(model);
    const ctx = { rpc: this.rpc, lock: this.#lock, reference };
    const { id, created } = await createOnce(this.rpc, this.#lock, model, reference, values, prepare && ((v) => prepare(ctx, v)));
    return { erpId: String(id), created };
  }

  async update(model: string, erpId: string, values: ErpValues, options: { expectedVersion?: string } = {}): Promise<void> {
    const id = toId(erpId);
    const { own, related } = splitRelated(values);
    // Tryton's optimistic lock: a `_timestamp` in the context makes a stale write fail with ConcurrencyException.
    // It guards the record's own fields; a related record's (the carrier's party.name) is written after, unguarded.
    const context = options.expectedVersion === undefined ? undefined : { _timestamp: { [`${model},${id}`]: options.expectedVersion } };
    if (Object.keys(own).length > 0) await this.rpc.model(model, 'write', [[id], own], context);
    await writeRelated(this.rpc, model, id, related);
  }

  close(): Promise<void> {
    return this.rpc.logout();
  }
}

function toId(erpId: string): number {
  const id = /^\d+$/.test(erpId) ? Number(erpId) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new ErpError('erp-config', `"${erpId}" is not a Tryton record id`);
  return id;
}
