import type { Kysely, Migration } from 'kysely';

/**
 * ERP dual-write state: which local document is which ERP record (the link
 * table that stops echo loops and makes every record traceable across both
 * systems), and where each map's change feed stands.
 */
export const erpRecordLinks: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('erp_record_links')
      // The map's name (its file name without extension): a local id can be linked once per map.
      .addColumn('map', 'text', (c) => c.notNull())
      .addColumn('local_id', 'text', (c) => c.notNull())
      .addColumn('erp_id', 'text', (c) => c.notNull())
      // The ERP record's change stamp we last synced (Tryton: write_date, else create_date): equal means an echo.
      .addColumn('erp_version', 'text', (c) => c.notNull())
      // The local document's change sequence after our last write: a higher one means Fieldstock changed it since.
      .addColumn('local_seq', 'bigint', (c) => c.notNull())
      .addColumn('synced_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('erp_record_links_pk', ['map', 'erp_id'])
      .execute();
    await db.schema.createIndex('erp_record_links_local').on('erp_record_links').columns(['map', 'local_id']).unique().execute();

    await db.schema
      .createTable('erp_sync_state')
      .addColumn('map', 'text', (c) => c.primaryKey())
      // The connector's opaque change cursor; null until the first sweep finished a page.
      .addColumn('cursor', 'text')
      // The last run's summary (JSON), so the admin API shows it after a restart.
      .addColumn('last_run', 'text')
      .addColumn('last_error', 'text')
      .addColumn('last_reconciled_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
