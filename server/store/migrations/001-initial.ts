import type { Kysely, Migration } from 'kysely';

// Quantities are scaled integers (1/10,000 of a unit) in bigint columns; times are epoch ms.
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('change_counter')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute();
    await db.insertInto('change_counter' as never).values({ id: 1, value: 0 } as never).execute();

    await db.schema
      .createTable('docs')
      .addColumn('collection', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull())
      .addColumn('scope_a', 'text')
      .addColumn('scope_b', 'text')
      .addColumn('owner_id', 'text')
      .addColumn('natural_key', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('docs_pk', ['collection', 'id'])
      .execute();
    await db.schema.createIndex('docs_natural_key').on('docs').columns(['collection', 'natural_key']).execute();
    await db.schema.createIndex('docs_collection_seq').on('docs').columns(['collection', 'seq']).unique().execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('warehouse_ids', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();

    await db.schema
      .createTable('auth_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema.createIndex('auth_tokens_session').on('auth_tokens').column('session_id').execute();

    await db.schema
      .createTable('login_throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('locked_until', 'bigint', (c) => c.notNull())
      .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('onhand')
      .addColumn('warehouse_id', 'text', (c) => c.notNull())
      .addColumn('product_id', 'text', (c) => c.notNull())
      .addColumn('on_hand', 'bigint', (c) => c.notNull())
      .addColumn('on_order', 'bigint', (c) => c.notNull())
      .addColumn('ordered', 'bigint', (c) => c.notNull())
      .addColumn('last_count_at', 'text')
      .addPrimaryKeyConstraint('onhand_pk', ['warehouse_id', 'product_id'])
      .execute();

    await db.schema
      .createTable('journal_lines')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('journal_id', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('warehouse_id', 'text', (c) => c.notNull())
      .addColumn('product_id', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('quantity', 'bigint', (c) => c.notNull())
      .addColumn('requested_quantity', 'bigint', (c) => c.notNull())
      .addColumn('posted_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('journal_lines_item_time')
      .on('journal_lines')
      .columns(['warehouse_id', 'product_id', 'occurred_at'])
      .execute();

    await db.schema
      .createTable('postings')
      .addColumn('source_collection', 'text', (c) => c.notNull())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('journal_id', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('posted_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('postings_pk', ['source_collection', 'source_id'])
      .execute();

    await db.schema
      .createTable('push_rejections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('collection', 'text', (c) => c.notNull())
      .addColumn('doc_id', 'text')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
