/**
 * The outbox handler of `journals/deliver`: delivers one ERP journal with
 * the ledger's delivery (claim the lines, create then post through the
 * sink outside any transaction, record each line's outcome), then tells the
 * outbox how the item ended, from the lines as they now stand:
 *
 * - every line posted or do-not-sync: done;
 * - a line failed for a reason that may pass (the ERP unreachable, timed out,
 *   overloaded): a retryable error, so the outbox backs off and tries again;
 * - only refusals (an unknown product, a business rule): a permanent error,
 *   so the item is set aside as poison with the lines' messages; the lines
 *   keep create-error/post-error with the ERP's message (they replicate to
 *   the devices), the documents they came from are marked with it (hooks.ts),
 *   and an admin retries the item once master data is fixed.
 *
 * A retry delivers only what is still owed (the sink is idempotent, so a
 * line the ERP already holds is found, not made twice).
 */
import { isFinalErpLineStatus } from '../../../shared/ledger/erp-status.js';
import { deliverErpJournal, type LineFailure } from '../../ledger/aggregation/deliver.js';
import { lineStatus, loadErpJournals } from '../../ledger/aggregation/erp-journals.js';
import type { ErpJournalSink } from '../../ledger/aggregation/sink.js';
import type { ChangeNotifier } from '../../store/notifier.js';
import type { Store } from '../../store/open.js';
import type { ErpJournalLinesTable } from '../../store/tables.js';
import { ErpError, isErpErrorCode } from '../errors.js';
import type { OutboxDelivery, OutboxHandler, OutboxHandlerResult } from '../outbox/types.js';
import { isPassingFailure } from '../refusals/journal-refusals.js';

export interface JournalDeliveryDeps {
  store: Store;
  notifier: ChangeNotifier | undefined;
  /** The configured adapter's sink; undefined while it cannot deliver journals (the item is retried). */
  sink: () => Promise<ErpJournalSink | undefined>;
}

/** Longest erp_id kept on the item (the ERP's ids of the journal, for tracing). */
const MAX_ERP_ID = 500;
/** Lines named in an item's error before "and n more". */
const MAX_LINES_IN_MESSAGE = 10;

export function journalDeliveryHandler(deps: JournalDeliveryDeps): OutboxHandler {
  return async (item: OutboxDelivery): Promise<OutboxHandlerResult> => {
    const journalId = item.documentId;
    const sink = await deps.sink();
    // Not a refusal: the adapter's connector is not up yet; plain errors are retried.
    if (!sink) throw new Error('The configured ERP adapter cannot deliver journals yet; the delivery is tried again.');
    const report = await deliverErpJournal(deps.store, deps.notifier, sink, journalId, item.signal);
    const [stored] = await loadErpJournals(deps.store.db, [journalId]);
    if (!stored) throw new ErpError('erp-not-found', `ERP journal ${journalId} does not exist in Fieldstock; there is nothing to deliver.`);
    return verdict(journalId, stored.lines, report.failures);
  };
}

/** Done, or the error the outbox should act on (see the top of this file). */
export function verdict(journalId: string, lines: readonly ErpJournalLinesTable[], failures: readonly LineFailure[]): OutboxHandlerResult {
  const open = lines.filter((l) => !isFinalErpLineStatus(lineStatus(l.status)));
  if (open.length === 0) {
    const ids = [...new Set(lines.map((l) => l.erp_journal_id).filter((id): id is string => id !== null))].join(' ');
    return ids === '' ? {} : { erpId: ids.slice(0, MAX_ERP_ID) };
  }
  // What is wrong now: this delivery's failures, else what the lines hold (a delivery that recorded nothing new).
  const wrong: LineFailure[] =
    failures.length > 0
      ? [...failures]
      : open.flatMap((l) =>
          l.error_code
            ? [{ journalId, lineNumber: l.line_number, step: l.status === 'post-error' ? ('post' as const) : ('create' as const), error: { code: l.error_code, message: l.error_message ?? '' } }]
            : [],
        );
  const transient = wrong.filter((f) => retryable(f.error.code));
  if (wrong.length === 0 || transient.length > 0) {
    const first = transient[0]?.error;
    const message = wrong.length === 0 ? `${open.length} of ${lines.length} lines of ERP journal ${journalId} are still waiting; the delivery is tried again.` : describe(journalId, lines.length, transient);
    // An ERP code says it is retryable; anything else (internal-error) is retried as the outbox retries unknown failures.
    if (first && isErpErrorCode(first.code)) throw new ErpError(first.code, message);
    throw new Error(message);
  }
  const first = wrong[0]?.error;
  const code = first && isErpErrorCode(first.code) ? first.code : 'erp-user-error';
  throw new ErpError(code, describe(journalId, lines.length, wrong));
}

/** Retryable by the ERP error table; `internal-error` (a sink that threw) too, like any unexpected failure; other codes are refusals. */
const retryable = isPassingFailure;

function describe(journalId: string, lineCount: number, failures: readonly LineFailure[]): string {
  const shown = failures.slice(0, MAX_LINES_IN_MESSAGE).map((f) => `line ${f.lineNumber} (${f.step}): [${f.error.code}] ${f.error.message}`);
  const more = failures.length > shown.length ? `; and ${failures.length - shown.length} more` : '';
  const lineNumbers = new Set(failures.map((f) => f.lineNumber));
  return `${lineNumbers.size} of ${lineCount} lines of ERP journal ${journalId} failed: ${shown.join('; ')}${more}`;
}
