/**
 * The local side of a map is checked against the collection schemas in
 * shared/collections.ts: this reads their properties into LocalFieldInfo.
 */
import { collectionSchemas, type CollectionName } from '../../../shared/collections.js';
import type { LocalFieldInfo, Scalar } from './types.js';

interface JsonSchemaLike {
  type?: unknown;
  enum?: readonly unknown[];
  format?: unknown;
  properties?: Record<string, JsonSchemaLike>;
  required?: readonly string[];
  items?: JsonSchemaLike;
}

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

function fieldsOf(schema: JsonSchemaLike): Map<string, LocalFieldInfo> {
  const required = new Set(schema.required ?? []);
  const result = new Map<string, LocalFieldInfo>();
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const type = typeof prop.type === 'string' && TYPES.has(prop.type) ? (prop.type as LocalFieldInfo['type']) : 'object';
    const info: LocalFieldInfo = { name, type, required: required.has(name) };
    if (prop.enum) info.enum = prop.enum as readonly Scalar[];
    if (typeof prop.format === 'string') info.format = prop.format;
    if (type === 'array' && prop.items && prop.items.properties) info.items = fieldsOf(prop.items);
    result.set(name, info);
  }
  return result;
}

const cache = new Map<CollectionName, Map<string, LocalFieldInfo>>();

/** The top-level fields of a collection's documents. */
export function collectionFields(collection: CollectionName): ReadonlyMap<string, LocalFieldInfo> {
  let fields = cache.get(collection);
  if (!fields) {
    fields = fieldsOf(collectionSchemas[collection] as unknown as JsonSchemaLike);
    cache.set(collection, fields);
  }
  return fields;
}

export function primaryKeyField(collection: CollectionName): string {
  return collectionSchemas[collection].primaryKey;
}

/** Whether a local value fits the field: its JSON type and, for enums, a listed value. */
export function localValueProblem(info: LocalFieldInfo, value: unknown): string | undefined {
  if (info.enum && !info.enum.includes(value as Scalar)) {
    return `${JSON.stringify(value)} is not one of ${info.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  switch (info.type) {
    case 'string':
      return typeof value === 'string' ? undefined : `${JSON.stringify(value)} is not text`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${JSON.stringify(value)} is not a number`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `${JSON.stringify(value)} is not a whole number`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${JSON.stringify(value)} is not true or false`;
    default:
      return `${info.name} is a list or object and cannot take a single value`;
  }
}
