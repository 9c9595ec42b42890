import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../../shared/wire.js';
import { AppError } from '../http/errors.js';
import type { PurchaseOrder } from '../../shared/collections.js';
import { applyPurchaseOrderChanges, type PurchaseOrderChange } from '../ledger/on-order.js';
import { postNewDocuments, type LedgerConfig, type PostingCollection } from '../ledger/post.js';
import type { ChangeNotifier } from '../store/notifier.js';
import type { Store } from '../store/open.js';
import type { PushRejectionsTable } from '../store/tables.js';
import { loadDocs, writeTransaction, type StoredDoc, type WriteHooks, type Writer } from '../store/write.js';
import { equalDocs, stripInternal } from './equal.js';
import { canWrite, describeErrors, type CollectionPolicy } from './registry.js';
import { canRead, inScope } from './scope.js';

export interface PushDeps {
  store: Store;
  notifier: ChangeNotifier;
  ledger: LedgerConfig;
  hooks?: WriteHooks;
  /** Called in the push's transaction for each document written to a non-posting collection (set by the ERP wiring to queue two-way changes). */
  onWritten?: PushWritten | undefined;
}

export interface PushedWrite {
  collection: string;
  id: string;
  /** The master before this write (null: a new document). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  /** The change sequence of the master this write replaces (0: new). */
  previousSeq: number;
}

export type PushWritten = (writer: Writer, write: PushedWrite) => Promise<void>;

export interface PushOutcome {
  /** Current master states of rows that were not applied because they conflicted. */
  conflicts: Record<string, unknown>[];
  /** Rows set aside because they were invalid or out of scope (kept in push_rejections). */
  quarantined: number;
  posted: number;
  rejected: number;
}

interface Row {
  id: string;
  assumed: Record<string, unknown> | null;
  next: Record<string, unknown>;
}

/**
 * Applies one push batch, RxDB style: a row whose assumed master state is not
 * the current master is a conflict and is answered with the master. Each row
 * stands alone: an invalid row is set aside and the rest of the batch goes on.
 */
export async function pushRows(deps: PushDeps, policy: CollectionPolicy, user: SessionUser, body: unknown[]): Promise<PushOutcome> {
  if (!canWrite(policy, user)) {
    throw new AppError(403, 'collection-read-only', `${policy.name} cannot be written by a ${user.role}.`);
  }
  const now = Date.now();
  const quarantine: PushRejectionsTable[] = [];
  const setAside = (doc: unknown, id: string | null, code: string, message: string) =>
    quarantine.push({ id: randomUUID(), collection: policy.name, doc_id: id, user_id: user.id, code, message, payload: JSON.stringify(doc), created_at: now });

  const rows: Row[] = [];
  for (const raw of body) {
    const { newDocumentState, assumedMasterState } = raw as { newDocumentState: Record<string, unknown>; assumedMasterState?: Record<string, unknown> | null };
    const next = stripInternal(newDocumentState);
    const id = next[policy.primaryKey];
    if (!policy.validate(next)) {
      setAside(newDocumentState, typeof id === 'string' ? id : null, 'invalid-document', describeErrors(policy.validate));
      continue;
    }
    rows.push({ id: String(id), assumed: assumedMasterState ? stripInternal(assumedMasterState) : null, next });
  }

  const outcome: PushOutcome = { conflicts: [], quarantined: 0, posted: 0, rejected: 0 };
  await writeTransaction(
    deps.store,
    deps.notifier,
    async (writer) => {
      const masters = await loadDocs(writer.trx, policy.name, rows.map((r) => r.id));
      const toPost: Row[] = [];
      const postedIds = new Set<string>();
      const duplicates: string[] = [];
      const orderChanges: PurchaseOrderChange[] = [];
      for (const row of rows) {
        const master = masters.get(row.id);
        if (master && !canRead(policy, user, master)) {
          // Never reveal, nor overwrite, a document outside the caller's scope.
          setAside(row.next, row.id, 'warehouse-not-in-scope', `${policy.name} ${row.id} belongs to a warehouse outside your scope.`);
          continue;
        }
        if (policy.posting) {
          if (postedIds.has(row.id)) duplicates.push(row.id);
          else if (master) outcome.conflicts.push(master.data); // posted or rejected: immutable
          else {
            postedIds.add(row.id);
            toPost.push(row);
          }
          continue;
        }
        if (master && (!row.assumed || !equalDocs(row.assumed, master.data))) {
          outcome.conflicts.push(master.data);
          continue;
        }
        const [scopeA, scopeB] = policy.scopeOf(row.next);
        if (policy.readScope === 'warehouse' && user.role !== 'admin' && !inScope(user, scopeA) && !inScope(user, scopeB)) {
          setAside(row.next, row.id, 'warehouse-not-in-scope', `${policy.name} ${row.id} is for a warehouse outside your scope.`);
          continue;
        }
        writer.put({ collection: policy.name, id: row.id, data: row.next, scopeA, scopeB, ownerId: master?.ownerId ?? user.id });
        await deps.onWritten?.(writer, { collection: policy.name, id: row.id, before: master && !master.deleted ? master.data : null, after: row.next, previousSeq: master?.seq ?? 0 });
        if (policy.name === 'purchaseOrders') {
          const before = master && !master.deleted ? (master.data as unknown as PurchaseOrder) : null;
          orderChanges.push({ before, after: row.next._deleted === true ? null : (row.next as unknown as PurchaseOrder) });
        }
        masters.set(row.id, { ...(master ?? emptyMaster(row.id)), data: row.next, scopeA, scopeB });
      }
      if (orderChanges.length > 0) await applyPurchaseOrderChanges(writer, orderChanges);
      if (toPost.length > 0) {
        const results = await postNewDocuments(writer, policy.name as PostingCollection, toPost.map((r) => r.next), user, deps.ledger);
        const byId = new Map(results.map((r) => [r.id, r]));
        for (const r of results) {
          const [a, b] = policy.scopeOf(r.document);
          // A rejected document stays visible to its author, and only to the warehouses the author may see.
          const scopeA = r.status === 'posted' || inScope(user, a) ? a : null;
          const scopeB = r.status === 'posted' || inScope(user, b) ? b : null;
          writer.put({ collection: policy.name, id: r.id, data: r.document, scopeA, scopeB, ownerId: user.id });
          if (r.status === 'posted') outcome.posted += 1;
          else outcome.rejected += 1;
        }
        for (const id of duplicates) {
          const r = byId.get(id);
          if (r) outcome.conflicts.push(r.document);
        }
      }
      if (quarantine.length > 0) {
        await writer.trx.insertInto('push_rejections').values(quarantine).execute();
      }
    },
    deps.hooks,
  );
  outcome.quarantined = quarantine.length;
  return outcome;
}

function emptyMaster(id: string): StoredDoc {
  return { id, seq: 0, deleted: false, scopeA: null, scopeB: null, ownerId: null, data: {} };
}
