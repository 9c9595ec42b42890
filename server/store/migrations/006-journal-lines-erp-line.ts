import { sql, type Kysely, type Migration } from 'kysely';

/**
 * From an ERP journal back to the posting lines (and so the documents) it
 * carries: the ERP's refusal of a journal marks those documents
 * (server/erp/refusals/). Partial, so posting, which inserts lines without
 * an ERP journal, never touches it; aggregation adds the entries.
 */
export const journalLinesErpLine: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('journal_lines_erp_line')
      .on('journal_lines')
      .columns(['erp_journal_id', 'erp_line_number'])
      .where(sql.ref('erp_journal_id'), 'is not', null)
      .execute();
  },
};
