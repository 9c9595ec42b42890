// How the `journals/deliver` handler ends an outbox item from the lines of its
// ERP journal: done, a retryable error (the outbox backs off) or a permanent
// one (poison), classified as the outbox itself classifies handler errors.
import { describe, expect, it } from 'vitest';
import { verdict } from '../../server/erp/journals-outbox/handler.js';
import { classify } from '../../server/erp/outbox/deliver-one.js';
import type { LineFailure } from '../../server/ledger/aggregation/deliver.js';
import type { ErpJournalLinesTable } from '../../server/store/tables.js';

const JOURNAL = 'j-1';

function line(lineNumber: number, status: string, extra: Partial<ErpJournalLinesTable> = {}): ErpJournalLinesTable {
  return {
    journal_id: JOURNAL,
    line_number: lineNumber,
    warehouse_id: 'w',
    product_id: 'p',
    quantity: 10_000,
    source_line_count: 1,
    status,
    erp_journal_id: null,
    erp_line_id: null,
    error_code: null,
    error_message: null,
    updated_at: 0,
    ...extra,
  };
}

function failure(lineNumber: number, code: string, step: LineFailure['step'] = 'create'): LineFailure {
  return { journalId: JOURNAL, lineNumber, step, error: { code, message: `${code} on ${lineNumber}` } };
}

/** The outcome the outbox records for this verdict. */
function outcome(lines: ErpJournalLinesTable[], failures: LineFailure[]) {
  try {
    return { ok: true as const, result: verdict(JOURNAL, lines, failures) };
  } catch (error) {
    return classify(error);
  }
}

describe('journals/deliver verdict', () => {
  it('is done when every line is posted or nets to zero, keeping the ERP ids once each', () => {
    expect(outcome([line(1, 'posted', { erp_journal_id: 'S,1' }), line(2, 'posted', { erp_journal_id: 'S,1' }), line(3, 'do-not-sync'), line(4, 'posted', { erp_journal_id: 'S,2' })], [])).toEqual({
      ok: true,
      result: { erpId: 'S,1 S,2' },
    });
    expect(outcome([line(1, 'do-not-sync')], [])).toEqual({ ok: true, result: {} });
  });

  it('retries when any failure may pass (an ERP outage, a sink that threw), even beside refusals', () => {
    const lines = [line(1, 'create-error'), line(2, 'create-error')];
    expect(outcome(lines, [failure(1, 'erp-unknown-product'), failure(2, 'erp-network')])).toMatchObject({ ok: false, retryable: true, error: { code: 'erp-network' } });
    expect(outcome(lines, [failure(1, 'erp-timeout'), failure(2, 'erp-timeout')])).toMatchObject({ ok: false, retryable: true, error: { code: 'erp-timeout' } });
    expect(outcome(lines, [failure(1, 'internal-error')])).toMatchObject({ ok: false, retryable: true, error: { code: 'internal-error', message: expect.stringContaining('[internal-error]') } });
    expect(outcome(lines, [failure(1, 'erp-incomplete')])).toMatchObject({ ok: false, retryable: true });
  });

  it('sets the item aside when only refusals are left, naming each line with its step and message', () => {
    const lines = [line(1, 'posted'), line(2, 'create-error'), line(3, 'post-error')];
    const refused = outcome(lines, [failure(2, 'erp-unknown-product'), failure(3, 'erp-cancelled', 'post')]);
    expect(refused).toEqual({
      ok: false,
      retryable: false,
      error: {
        code: 'erp-unknown-product',
        message: `2 of 3 lines of ERP journal ${JOURNAL} failed: line 2 (create): [erp-unknown-product] erp-unknown-product on 2; line 3 (post): [erp-cancelled] erp-cancelled on 3`,
      },
    });
    // A refusal under a code the ERP table does not know is still a refusal, its code kept in the message.
    expect(outcome([line(1, 'create-error')], [failure(1, 'invalid-request')])).toMatchObject({ ok: false, retryable: false, error: { code: 'erp-user-error', message: expect.stringContaining('[invalid-request]') } });
    for (const code of ['erp-unknown-product', 'erp-unknown-warehouse', 'erp-not-supported', 'erp-user-error']) {
      expect(outcome([line(1, 'create-error')], [failure(1, code)])).toMatchObject({ retryable: false, error: { code } });
    }
  });

  it('reads the errors the lines hold when this delivery recorded none, and retries lines left waiting without one', () => {
    expect(outcome([line(1, 'post-error', { error_code: 'erp-not-found', error_message: 'gone' })], [])).toMatchObject({
      retryable: false,
      error: { code: 'erp-not-found', message: expect.stringContaining('line 1 (post): [erp-not-found] gone') },
    });
    expect(outcome([line(1, 'sent'), line(2, 'posted')], [])).toMatchObject({ ok: false, retryable: true, error: { code: 'internal-error', message: expect.stringContaining('1 of 2 lines') } });
  });
});
