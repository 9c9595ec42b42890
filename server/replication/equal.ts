/** RxDB's own bookkeeping fields: never part of a document's identity on the server. */
const INTERNAL_FIELDS = new Set(['_rev', '_meta', '_attachments']);

export function stripInternal(doc: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const k of INTERNAL_FIELDS) {
    if (k in doc) {
      copy ??= { ...doc };
      delete copy[k];
    }
  }
  return copy ?? doc;
}

/** Structural equality of two JSON documents, independent of key order, as RxDB's isEqual. */
export function equalDocs(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => equalDocs(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => !INTERNAL_FIELDS.has(k) && ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => !INTERNAL_FIELDS.has(k) && bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && equalDocs(ao[k], bo[k]));
}
