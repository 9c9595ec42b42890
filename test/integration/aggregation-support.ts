/**
 * Helpers for the ERP aggregation tests (test/integration/aggregation*.test.ts):
 * run it over HTTP as an admin would, and audit what the store holds.
 */
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { AggregationRunResult } from '../../server/ledger/aggregation/run.js';
import type { Database } from '../../server/store/tables.js';
import { api, type TestServer } from '../helpers/server.js';

/** The admin run's answer is the run's result, as JSON. */
export type RunAnswer = AggregationRunResult;

export async function runNow(server: Pick<TestServer, 'url'>, adminToken: string): Promise<RunAnswer> {
  const r = await api<RunAnswer>(server, adminToken, 'POST', '/api/v1/admin/aggregation/run');
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

/** The posting journal of a posted source document. */
export async function journalIdOf(db: Kysely<Database>, sourceId: string): Promise<string> {
  const row = await db.selectFrom('postings').select('journal_id').where('source_id', '=', sourceId).executeTakeFirst();
  if (!row?.journal_id) throw new Error(`${sourceId} was not posted`);
  return row.journal_id;
}

export interface AggregationAudit {
  postingLines: number;
  pendingLines: number;
  /** Problems found; must be empty. */
  problems: string[];
}

const keyOf = (parts: (string | null)[]) => parts.map((p) => p ?? '').join('|');

/**
 * Every invariant of aggregation over the whole store: each aggregated
 * posting line points at an ERP line that exists; each ERP line's quantity
 * and source count are exactly those of the posting lines pointing at it
 * (so no line is counted twice or lost); per (journal, warehouses, product)
 * the ERP lines sum to the posting lines; the ERP journal documents say what
 * the tables say.
 */
export async function auditAggregation(db: Kysely<Database>): Promise<AggregationAudit> {
  const problems: string[] = [];
  const lines = await db.selectFrom('journal_lines').selectAll().execute();
  const erpLines = await db.selectFrom('erp_journal_lines').selectAll().execute();
  const erpHeads = new Map((await db.selectFrom('erp_journals').selectAll().execute()).map((h) => [h.id, h]));
  const linked = new Map<string, { sum: number; count: number }>();
  const postingTotals = new Map<string, number>();
  let pending = 0;
  for (const l of lines) {
    if (l.aggregation_status === 'pending') {
      pending += 1;
      if (l.erp_journal_id !== null) problems.push(`pending line ${l.id} has an ERP link`);
      continue;
    }
    if (l.erp_journal_id === null || l.erp_line_number === null) {
      problems.push(`aggregated line ${l.id} has no ERP link`);
      continue;
    }
    const k = `${l.erp_journal_id}#${l.erp_line_number}`;
    const prev = linked.get(k) ?? { sum: 0, count: 0 };
    linked.set(k, { sum: prev.sum + Number(l.quantity), count: prev.count + 1 });
    const key = keyOf([l.journal_name, l.journal_warehouse_id, l.journal_to_warehouse_id, l.warehouse_id, l.product_id]);
    postingTotals.set(key, (postingTotals.get(key) ?? 0) + Number(l.quantity));
  }
  const erpTotals = new Map<string, number>();
  for (const e of erpLines) {
    const k = `${e.journal_id}#${e.line_number}`;
    const got = linked.get(k);
    if (!got) problems.push(`ERP line ${k} carries no posting line`);
    else {
      if (got.sum !== Number(e.quantity)) problems.push(`ERP line ${k} says ${e.quantity} but its posting lines sum to ${got.sum}`);
      if (got.count !== e.source_line_count) problems.push(`ERP line ${k} says ${e.source_line_count} source lines but ${got.count} point at it`);
      linked.delete(k);
    }
    if ((Number(e.quantity) === 0) !== (e.status === 'do-not-sync')) problems.push(`ERP line ${k} has quantity ${e.quantity} and status ${e.status}`);
    const head = erpHeads.get(e.journal_id);
    if (!head) problems.push(`ERP line ${k} has no journal`);
    else {
      const key = keyOf([head.journal_name, head.warehouse_id, head.to_warehouse_id, e.warehouse_id, e.product_id]);
      erpTotals.set(key, (erpTotals.get(key) ?? 0) + Number(e.quantity));
    }
  }
  for (const k of linked.keys()) problems.push(`posting lines point at ${k}, which does not exist`);
  for (const [key, total] of postingTotals) if (erpTotals.get(key) !== total) problems.push(`${key}: posting lines sum to ${total}, ERP lines to ${erpTotals.get(key)}`);
  for (const [key, total] of erpTotals) if (!postingTotals.has(key)) problems.push(`${key}: ERP lines sum to ${total} without posting lines`);

  const docs = await db.selectFrom('docs').select(['id', 'data']).where('collection', '=', 'journals').execute();
  const erpDocs = new Map<string, { status: string; lines: { lineNumber: number; status: string }[] }>();
  for (const d of docs) {
    const data = JSON.parse(d.data) as { kind: string; status: string; lines: { lineNumber: number; status: string }[] };
    if (data.kind === 'erp') erpDocs.set(d.id, data);
  }
  for (const [id, head] of erpHeads) {
    const doc = erpDocs.get(id);
    if (!doc) problems.push(`ERP journal ${id} has no document`);
    else if (doc.status !== head.status) problems.push(`ERP journal ${id}: document says ${doc.status}, table ${head.status}`);
  }
  for (const e of erpLines) {
    const docLine = erpDocs.get(e.journal_id)?.lines.find((l) => l.lineNumber === e.line_number);
    if (docLine?.status !== e.status) problems.push(`ERP line ${e.journal_id}#${e.line_number}: document says ${docLine?.status}, table ${e.status}`);
  }
  return { postingLines: lines.length, pendingLines: pending, problems };
}
