import type { Kysely, Migration } from 'kysely';

/**
 * The ERP outbox: every write Fieldstock makes to the ERP is a row here,
 * committed in the same transaction as the change that caused it, then
 * delivered by a worker with retries (server/erp/outbox/). Rows are kept once
 * done, with the ERP's id, so every record can be traced across both systems.
 *
 * And the pause state of each entity map: while paused, changes still queue.
 */
export const erpOutbox: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('erp_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // Enqueue order (allocated under the write lock): items of one document are delivered in this order.
      .addColumn('seq', 'bigint', (c) => c.notNull().unique())
      .addColumn('map_name', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('document_id', 'text', (c) => c.notNull())
      // Enqueueing the same change twice is harmless: the database, not a prior read, refuses the second.
      .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('claim_id', 'text')
      .addColumn('lease_expires_at', 'bigint')
      .addColumn('last_error_code', 'text')
      .addColumn('last_error_message', 'text')
      .addColumn('last_error_at', 'bigint')
      .addColumn('erp_id', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    // The worker's claim: due items in enqueue order.
    await db.schema.createIndex('erp_outbox_due').on('erp_outbox').columns(['status', 'next_attempt_at', 'seq']).execute();
    // "Is an earlier item of this document still undelivered?"
    await db.schema.createIndex('erp_outbox_document').on('erp_outbox').columns(['map_name', 'document_id', 'seq']).execute();
    // Status per map (depth, oldest waiting item).
    await db.schema.createIndex('erp_outbox_map_status').on('erp_outbox').columns(['map_name', 'status', 'created_at']).execute();
    // The last error of a map.
    await db.schema.createIndex('erp_outbox_map_error').on('erp_outbox').columns(['map_name', 'last_error_at']).execute();
    await db.schema.createIndex('erp_outbox_updated').on('erp_outbox').columns(['updated_at', 'id']).execute();

    await db.schema
      .createTable('erp_map_state')
      .addColumn('map_name', 'text', (c) => c.primaryKey())
      .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('paused_at', 'bigint')
      .addColumn('reason', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
