/**
 * What the app shows of an ERP journal's delivery, in the transaction that
 * records its outcome: the documents whose stock the journal carries are
 * marked with the ERP's refusal (poison: some lines refused), and the mark
 * goes once their lines post (done after an admin retry). See
 * server/erp/refusals/journal-refusals.ts. Nothing stops for it: other
 * journals are delivered as before.
 */
import type { OutboxHooks } from '../outbox/types.js';
import { settleJournalRefusals } from '../refusals/journal-refusals.js';

export function journalRefusalHooks(): OutboxHooks {
  return {
    async onPoison(writer, item) {
      await settleJournalRefusals(writer, item.documentId);
    },
    async onDone(writer, item) {
      // An item that never failed never marked anything: most deliveries skip the look-up.
      const row = await writer.trx.selectFrom('erp_outbox').select('last_error_code').where('id', '=', item.id).executeTakeFirst();
      if (row?.last_error_code === null || row?.last_error_code === undefined) return;
      await settleJournalRefusals(writer, item.documentId);
    },
  };
}
