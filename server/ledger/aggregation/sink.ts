import type { ErpJournal } from '../../../shared/schemas/journals.js';
import type { Config } from '../../config.js';
import type { ErpConnector } from '../../erp/connector.js';
import { createErpConnector } from '../../erp/registry.js';

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
      /** Per line, when the ERP holds one journal as several documents (wins over erpJournalId). */
      erpJournalIds?: ReadonlyMap<number, string>;
      /** Lines the ERP refused while it took the others (unknown product, a business rule): they become create-error alone. */
      lineErrors?: ReadonlyMap<number, SinkError>;
    }
  | { ok: false; error: SinkError };

export type SinkPostResult =
  | {
      ok: true;
      /** Lines whose posting the ERP refused while it posted the others: they become post-error alone. */
      lineErrors?: ReadonlyMap<number, SinkError>;
    }
  | { ok: false; error: SinkError };

/**
 * What one delivery round hands every sink call besides the journal: the
 * integration keys (warehouse code, product number) of the warehouses and
 * products of the journals being delivered, by our id, since ERPs match
 * records by those keys. One object per round, so a sink may cache its own
 * ERP look-ups on it (e.g. in a WeakMap) and see changes on the next round.
 */
export interface SinkDelivery {
  warehouseCodes: ReadonlyMap<string, string>;
  productNumbers: ReadonlyMap<string, string>;
}

/**
 * Where ERP journals go: one adapter per ERP (habit 6). The journal handed
 * over holds only the lines to deliver (never `do-not-sync` ones), in the
 * wire shape, with decimal quantities. A sink that throws counts as an error
 * of the step it was asked to do; it is never retried by the sink itself.
 */
export interface ErpJournalSink {
  /** For logs and the admin answer ("none", "tryton"). */
  readonly name: string;
  /** Creates the journal in the ERP (lines then read `created-in-erp`); must be safe to call again for lines it already created. */
  create(journal: ErpJournal, delivery: SinkDelivery): Promise<SinkCreateResult>;
  /** Posts a journal the ERP holds (lines then read `posted`); must be safe to call again. */
  post(journal: ErpJournal, delivery: SinkDelivery): Promise<SinkPostResult>;
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

const connectors = new WeakMap<Config, Promise<ErpConnector>>();

/**
 * The sink of the configured ERP adapter (config.erp): the journals of the
 * app's open connector when there is one (one ERP session for everything),
 * otherwise a connector made through the registry once per configuration.
 * Undefined while the adapter cannot deliver journals (they then wait in
 * `created`).
 */
export async function sinkFor(config: Config, open?: ErpConnector): Promise<ErpJournalSink | undefined> {
  if (config.erp === 'none') return noneSink;
  if (open) return open.journals;
  let connector = connectors.get(config);
  if (!connector) {
    connector = createErpConnector(config);
    connectors.set(config, connector);
    // A failed start is not cached: the next run tries again (and reports the error again).
    connector.catch(() => connectors.delete(config));
  }
  return (await connector).journals;
}
