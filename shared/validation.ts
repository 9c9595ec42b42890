/**
 * Builds the strict validator schema of a collection from its RxDB schema:
 * the same properties plus the `_deleted` tombstone flag, and nothing else.
 * RxDB-only keywords (version, primaryKey, indexes) are dropped.
 */
export interface RxLikeSchema {
  primaryKey: string | { key: string };
  properties: Record<string, unknown>;
  required?: readonly string[];
  [keyword: string]: unknown;
}

export function wireSchemaOf(schema: RxLikeSchema): Record<string, unknown> {
  const { version: _v, primaryKey: _p, indexes: _i, ...rest } = schema;
  return {
    ...rest,
    type: 'object',
    properties: { ...schema.properties, _deleted: { type: 'boolean' } },
    required: [...(schema.required ?? []), '_deleted'],
    additionalProperties: false,
  };
}

export function primaryKeyOf(schema: RxLikeSchema): string {
  return typeof schema.primaryKey === 'string' ? schema.primaryKey : schema.primaryKey.key;
}
