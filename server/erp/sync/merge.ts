/**
 * The local document an ERP record becomes: a new one gets the map's create
 * values; an existing one keeps everything the map does not bring from the
 * ERP (a warehouse's kind, a line's received quantity), and sub-records are
 * merged by their key so lines new to the app get the child map's create
 * values and existing lines keep theirs.
 */
import { integrationKey, matches } from '../maps/index.js';
import type { ChildMap, EntityMap, JsonValue, LocalFields } from '../maps/types.js';
import { keepReceivedState } from './received.js';

type Doc = Record<string, unknown>;

const fromErpFields = (body: { fields: readonly { local: string; direction: string }[] }) =>
  new Set(body.fields.filter((f) => f.direction !== 'to-erp').map((f) => f.local));

/**
 * `created`: fromErp with create values (complete, for new documents and new
 * lines); `updated`: fromErp without (only what the ERP owns). A field present
 * as undefined was cleared in the ERP.
 */
export function mergeLocal(map: EntityMap, existing: Doc | undefined, id: string, created: LocalFields, updated: LocalFields): Doc {
  if (!existing) return withoutUndefined({ ...created, id });
  const next: Doc = { ...existing };
  const childFields = new Set(map.children.map((c) => c.local));
  for (const [field, value] of Object.entries(updated)) {
    if (childFields.has(field)) continue;
    if (value === undefined) delete next[field];
    else next[field] = value;
  }
  for (const child of map.children) {
    const incoming = created[child.local];
    if (!Array.isArray(incoming)) continue;
    next[child.local] = mergeItems(child, existing[child.local], incoming);
  }
  delete next._deleted;
  return keepReceivedState(map, existing, next);
}

function mergeItems(child: ChildMap, existingItems: unknown, incoming: JsonValue[]): Doc[] {
  const owned = fromErpFields(child);
  const keyOf = (item: Doc, side: 'local') => {
    const k = integrationKey(child, side, item);
    return k.ok ? k.value.key : undefined;
  };
  const before = new Map<string, Doc>();
  const untouched: Doc[] = [];
  for (const item of Array.isArray(existingItems) ? (existingItems as Doc[]) : []) {
    const k = matches(child, 'local', item) ? keyOf(item, 'local') : undefined;
    if (k === undefined) untouched.push(item);
    else before.set(k, item);
  }
  const merged = (incoming as Doc[]).map((item) => {
    const k = keyOf(item, 'local');
    const old = k === undefined ? undefined : before.get(k);
    if (k !== undefined) before.delete(k);
    if (!old) return item;
    // What the ERP owns comes from the ERP; the rest (received quantities) stays Fieldstock's.
    const kept = Object.fromEntries(Object.entries(old).filter(([field]) => !owned.has(field)));
    return { ...item, ...kept };
  });
  // Lines the ERP no longer lists are dropped, unless Fieldstock received goods on them.
  const gone = [...before.values()].filter((item) => typeof item.quantityReceived === 'number' && item.quantityReceived > 0);
  return [...merged, ...gone, ...untouched];
}

function withoutUndefined(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined));
}
