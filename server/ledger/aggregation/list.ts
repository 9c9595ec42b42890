import type { Kysely } from 'kysely';
import type { ErpLineStatus } from '../../../shared/ledger/erp-status.js';
import type { ErpJournalPage } from '../../../shared/erp/journals-wire.js';
import type { Database } from '../../store/tables.js';
import { erpJournalDoc, loadErpJournals } from './erp-journals.js';

interface Cursor {
  createdAt: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id]), 'utf8').toString('base64url');
}

/** Undefined for anything that is not a cursor this server made. */
export function decodeCursor(raw: string): Cursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/** ERP journals newest first, with their lines, optionally only those whose summary status is `status`. */
export async function listErpJournals(db: Kysely<Database>, options: { status?: ErpLineStatus; limit: number; after?: Cursor }): Promise<ErpJournalPage> {
  let query = db.selectFrom('erp_journals').select(['id', 'created_at']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit + 1);
  if (options.status) query = query.where('status', '=', options.status);
  const after = options.after;
  if (after) {
    query = query.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  const journals = (await loadErpJournals(db, page.map((r) => r.id))).map(({ head, lines }) => erpJournalDoc(head, lines));
  const last = page[page.length - 1];
  return { journals, nextCursor: rows.length > options.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null };
}
