import type { Kysely, Migration } from 'kysely';

/**
 * The admin trace (server/erp/trace/) follows one document to its outbox
 * items and ERP links by the document's id alone, whatever map carried it;
 * both tables are otherwise indexed map first.
 */
export const erpTraceIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('erp_outbox_document_id').on('erp_outbox').column('document_id').execute();
    await db.schema.createIndex('erp_record_links_local_id').on('erp_record_links').column('local_id').execute();
  },
};
