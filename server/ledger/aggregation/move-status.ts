import { canMoveErpLine, ERP_LINE_STATUS_LABELS, summarizeErpLineStatuses, type ErpLineStatus } from '../../../shared/ledger/erp-status.js';
import type { ErpJournalLinesTable } from '../../store/tables.js';
import type { Writer } from '../../store/write.js';
import { erpJournalDoc, erpJournalDocWrite, lineStatus, loadErpJournals } from './erp-journals.js';

export interface ErpLineMove {
  journalId: string;
  lineNumber: number;
  to: ErpLineStatus;
  /** The ERP's ids, when it reports them (kept from earlier moves otherwise). */
  erpJournalId?: string;
  erpLineId?: string;
  /** Required for create-error and post-error; cleared by any other move. */
  error?: { code: string; message: string };
}

export type MoveResult =
  | { ok: true; moved: number; journalIds: string[] }
  | { ok: false; code: 'status-not-allowed' | 'not-found' | 'invalid-request'; message: string };

/**
 * Moves ERP line statuses inside the caller's write transaction, all or none:
 * every move is checked against the transition table first (a line may move
 * several steps in order, e.g. sent → created-in-erp → posted), and any
 * illegal one refuses the whole call with nothing written. The ERP journal's
 * summary status and its replicated document follow the lines.
 */
export async function moveErpLineStatuses(writer: Writer, moves: readonly ErpLineMove[]): Promise<MoveResult> {
  if (moves.length === 0) return { ok: true, moved: 0, journalIds: [] };
  const journals = await loadErpJournals(writer.trx, moves.map((m) => m.journalId));
  const lines = new Map<string, ErpJournalLinesTable>();
  for (const j of journals) for (const l of j.lines) lines.set(`${l.journal_id}#${l.line_number}`, { ...l });
  const changed = new Set<string>();

  for (const m of moves) {
    const key = `${m.journalId}#${m.lineNumber}`;
    const line = lines.get(key);
    if (!line) return { ok: false, code: 'not-found', message: `ERP journal ${m.journalId} has no line ${m.lineNumber}.` };
    const from = lineStatus(line.status);
    if (!canMoveErpLine(from, m.to)) {
      return {
        ok: false,
        code: 'status-not-allowed',
        message: `Line ${m.lineNumber} of ERP journal ${m.journalId} is "${ERP_LINE_STATUS_LABELS[from]}" and cannot become "${ERP_LINE_STATUS_LABELS[m.to]}".`,
      };
    }
    const isError = m.to === 'create-error' || m.to === 'post-error';
    if (isError && !m.error) return { ok: false, code: 'invalid-request', message: `Moving a line to ${m.to} needs the error that caused it.` };
    line.status = m.to;
    line.error_code = isError && m.error ? m.error.code.slice(0, 64) : null;
    line.error_message = isError && m.error ? m.error.message.slice(0, 2000) : null;
    if (m.erpJournalId !== undefined) line.erp_journal_id = m.erpJournalId;
    if (m.erpLineId !== undefined) line.erp_line_id = m.erpLineId;
    line.updated_at = writer.now;
    changed.add(key);
  }

  // Lines that end in the same state are written by one statement (the `none` sink moves whole journals alike).
  const groups = new Map<string, { journalId: string; numbers: number[]; row: ErpJournalLinesTable }>();
  for (const key of changed) {
    const row = lines.get(key);
    if (!row) continue;
    const state = JSON.stringify([row.journal_id, row.status, row.erp_journal_id, row.erp_line_id, row.error_code, row.error_message]);
    const group = groups.get(state) ?? { journalId: row.journal_id, numbers: [], row };
    group.numbers.push(row.line_number);
    groups.set(state, group);
  }
  for (const { journalId, numbers, row } of groups.values()) {
    for (let i = 0; i < numbers.length; i += 500) {
      await writer.trx
        .updateTable('erp_journal_lines')
        .set({
          status: row.status,
          erp_journal_id: row.erp_journal_id,
          erp_line_id: row.erp_line_id,
          error_code: row.error_code,
          error_message: row.error_message,
          updated_at: writer.now,
        })
        .where('journal_id', '=', journalId)
        .where('line_number', 'in', numbers.slice(i, i + 500))
        .execute();
    }
  }

  const touched = journals.filter((j) => j.lines.some((l) => changed.has(`${l.journal_id}#${l.line_number}`)));
  for (const j of touched) {
    const current = j.lines.map((l) => lines.get(`${l.journal_id}#${l.line_number}`) ?? l);
    const head = { ...j.head, status: summarizeErpLineStatuses(current.map((l) => lineStatus(l.status))), updated_at: writer.now };
    await writer.trx.updateTable('erp_journals').set({ status: head.status, updated_at: head.updated_at }).where('id', '=', head.id).execute();
    writer.put(erpJournalDocWrite(erpJournalDoc(head, current)));
  }
  return { ok: true, moved: changed.size, journalIds: touched.map((j) => j.head.id) };
}
