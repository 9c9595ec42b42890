/**
 * The part of a map's ERP filter the ERP can apply itself, so a sweep of
 * stock.location does not page through every bin. Only plain conditions on
 * the record's own fields with non-null values are handed over: how an ERP
 * compares against null inside `in` lists varies (SQL's NULL semantics), so
 * those, and every condition, are also checked here with the map engine.
 */
import type { ErpFilter, ErpOperator } from '../connector.js';
import type { FieldFilter, FilterOperator } from '../maps/types.js';

const OPERATORS: Record<FilterOperator, ErpOperator> = { equals: '=', in: 'in', notIn: 'not in' };

export function pushedDownFilter(filters: readonly FieldFilter[]): ErpFilter {
  return filters
    .filter((f) => !f.field.includes('.') && f.values.every((v) => v !== null))
    .map((f) => [f.field, OPERATORS[f.op], f.op === 'equals' ? (f.values[0] ?? null) : [...f.values]] as const);
}
