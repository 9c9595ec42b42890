import type { ErpJournal } from '../../../shared/schemas/journals.js';

export interface SinkError {
  code: string;
  message: string;
}

export type SinkCreateResult =
  | {
      ok: true;
      /** The ERP's id of the journal and of each line, by our line number (an ERP without ids leaves them out). */
      erpJournalId?: string;
      erpLineIds?: ReadonlyMap<number, string>;
    }
  | { ok: false; error: SinkError };

export type SinkPostResult = { ok: true } | { ok: false; error: SinkError };

/**
 * Where ERP journals go: one adapter per ERP (habit 6). The journal handed
 * over holds only the lines to deliver (never `do-not-sync` ones), in the
 * wire shape, with decimal quantities. A sink that throws counts as an error
 * of the step it was asked to do; it is never retried by the sink itself.
 */
export interface ErpJournalSink {
  /** For logs and the admin answer ("none", "tryton"). */
  readonly name: string;
  /** Creates the journal in the ERP (lines then read `created-in-erp`). */
  create(journal: ErpJournal): Promise<SinkCreateResult>;
  /** Posts a journal the ERP holds (lines then read `posted`). */
  post(journal: ErpJournal): Promise<SinkPostResult>;
}

/**
 * `FIELDSTOCK_ERP=none`: no ERP is configured and the backend is the master,
 * so an ERP journal is posted locally: its lines walk to `posted` at once,
 * without ERP ids.
 */
export const noneSink: ErpJournalSink = {
  name: 'none',
  create: () => Promise.resolve({ ok: true }),
  post: () => Promise.resolve({ ok: true }),
};

/** The sink for the configured ERP; undefined while its adapter does not exist yet (journals then wait in `created`). */
export function sinkFor(erp: string): ErpJournalSink | undefined {
  return erp === 'none' ? noneSink : undefined;
}
