import type { AppContext } from '../../context.js';
import { sinkFor } from '../../ledger/aggregation/sink.js';
import { journalDeliveryHandler } from './handler.js';
import { journalRefusalHooks } from './hooks.js';
import { DELIVER_OPERATION, JOURNALS_MAP } from './queue.js';

/**
 * Registers `journals/deliver` on the app's handlers, with its store and the configured
 * adapter's sink (and the hooks that mark refused documents), when an ERP adapter is configured (with `none` journals
 * are posted locally by aggregation and never queued). Returns the function
 * that removes it (the app's close).
 */
export function registerJournalDelivery(ctx: Pick<AppContext, 'config' | 'store' | 'notifier' | 'erp' | 'outboxHandlers'>): () => void {
  if (ctx.config.erp === 'none') return () => undefined;
  return ctx.outboxHandlers.register(
    JOURNALS_MAP,
    DELIVER_OPERATION,
    journalDeliveryHandler({ store: ctx.store, notifier: ctx.notifier, sink: () => sinkFor(ctx.config, ctx.erp?.connector) }),
    journalRefusalHooks(),
  );
}

/** Whether aggregation hands ERP journals to the outbox (any ERP adapter) rather than posting them locally (`none`). */
export function deliversThroughOutbox(config: AppContext['config']): boolean {
  return config.erp !== 'none';
}
