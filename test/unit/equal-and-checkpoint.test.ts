// Document equality used for conflict detection (equalDocs) and the replication checkpoint parser.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalDocs, stripInternal } from '../../server/replication/equal.js';
import { parseCheckpoint } from '../../server/replication/pull.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const INTERNAL = new Set(['_rev', '_meta', '_attachments']);

/** JSON values whose object keys are never RxDB bookkeeping fields. */
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.string({ maxLength: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.string({ maxLength: 4 }).filter((k) => !INTERNAL.has(k) && k !== '__proto__'),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

const jsonObject = fc.dictionary(
  fc.string({ maxLength: 4 }).filter((k) => !INTERNAL.has(k) && k !== '__proto__'),
  json,
  { maxKeys: 6 },
);

/** The same value with every object's keys in another order (reversed, then rotated by `shift`). */
function reorder(value: Json, shift: number): Json {
  if (Array.isArray(value)) return value.map((v) => reorder(v, shift));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).reverse();
  const k = entries.length === 0 ? 0 : shift % entries.length;
  const rotated = [...entries.slice(k), ...entries.slice(0, k)];
  const out: { [key: string]: Json } = {};
  for (const [key, v] of rotated) out[key] = reorder(v, shift);
  return out;
}

/** Canonical text: sorted keys at every level. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k] as Json)}`)
    .join(',')}}`;
}

describe('equalDocs', () => {
  const base = {
    id: 'tx-1',
    type: 'adjustment',
    quantity: 2.5,
    externalReference: { category: 'wo', id: 'WO-1' },
    lines: [{ lineNumber: 1, quantity: 1 }],
    _deleted: false,
  };

  it('ignores _rev, _meta and _attachments', () => {
    const withInternals = { ...base, _rev: '3-abc', _meta: { lwt: 1234.5 }, _attachments: {} };
    expect(equalDocs(base, withInternals)).toBe(true);
    expect(equalDocs({ ...base, _rev: '1-a' }, { ...base, _rev: '2-b' })).toBe(true);
  });

  it('ignores key order at every level', () => {
    const reordered = {
      _deleted: false,
      lines: [{ quantity: 1, lineNumber: 1 }],
      externalReference: { id: 'WO-1', category: 'wo' },
      quantity: 2.5,
      type: 'adjustment',
      id: 'tx-1',
    };
    expect(equalDocs(base, reordered)).toBe(true);
  });

  it('detects a change deep inside a nested object or array', () => {
    expect(equalDocs(base, { ...base, externalReference: { category: 'wo', id: 'WO-2' } })).toBe(false);
    expect(equalDocs(base, { ...base, lines: [{ lineNumber: 1, quantity: 1.0001 }] })).toBe(false);
    expect(equalDocs(base, { ...base, lines: [] })).toBe(false);
    expect(equalDocs(base, { ...base, lines: [{ lineNumber: 1, quantity: 1 }, { lineNumber: 2, quantity: 1 }] })).toBe(false);
  });

  it('detects an added, removed or retyped field', () => {
    expect(equalDocs(base, { ...base, note: 'x' })).toBe(false);
    const { quantity: _q, ...withoutQuantity } = base;
    expect(equalDocs(base, withoutQuantity)).toBe(false);
    expect(equalDocs(base, { ...base, quantity: '2.5' })).toBe(false);
    expect(equalDocs(base, { ...base, _deleted: true })).toBe(false);
  });

  it('does not confuse arrays with objects, or null with an empty object', () => {
    expect(equalDocs([], {})).toBe(false);
    expect(equalDocs({ 0: 'a' }, ['a'])).toBe(false);
    expect(equalDocs(null, {})).toBe(false);
    expect(equalDocs({}, null)).toBe(false);
    expect(equalDocs(null, null)).toBe(true);
  });

  it('treats a property set to undefined as absent, as JSON does', () => {
    expect(equalDocs({ ...base, note: undefined }, base)).toBe(true);
    expect(equalDocs(base, { ...base, note: undefined })).toBe(true);
  });

  it('is independent of key order for any JSON document (property)', () => {
    fc.assert(
      fc.property(jsonObject, fc.nat({ max: 7 }), (doc, shift) => {
        const shuffled = reorder(doc, shift);
        expect(equalDocs(doc, shuffled)).toBe(true);
        expect(equalDocs(shuffled, doc)).toBe(true);
        expect(equalDocs({ ...doc, _rev: '1-x' }, { _meta: { lwt: 1 }, ...(shuffled as object) })).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with canonical JSON equality for any two JSON values (property)', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(equalDocs(a, b)).toBe(canonical(a) === canonical(b));
      }),
      { numRuns: 500 },
    );
  });

  it('detects any added field in any JSON document (property)', () => {
    fc.assert(
      fc.property(jsonObject, json, (doc, value) => {
        const key = '\u0001added';
        expect(equalDocs(doc, { ...doc, [key]: value })).toBe(false);
      }),
    );
  });
});

describe('stripInternal', () => {
  it('removes the bookkeeping fields without touching the input', () => {
    const doc = { id: 'a', _rev: '1-x', _meta: { lwt: 1 }, _deleted: false };
    expect(stripInternal(doc)).toEqual({ id: 'a', _deleted: false });
    expect(doc).toHaveProperty('_rev', '1-x');
  });

  it('returns the same object when there is nothing to strip', () => {
    const doc = { id: 'a', _deleted: false };
    expect(stripInternal(doc)).toBe(doc);
  });
});

describe('parseCheckpoint', () => {
  it('accepts {"seq":N} for a non-negative integer N', () => {
    expect(parseCheckpoint('{"seq":0}')).toEqual({ seq: 0 });
    expect(parseCheckpoint('{"seq":42}')).toEqual({ seq: 42 });
    expect(parseCheckpoint(JSON.stringify({ seq: Number.MAX_SAFE_INTEGER }))).toEqual({ seq: Number.MAX_SAFE_INTEGER });
  });

  it('reads an absent, empty or null checkpoint as "from the beginning"', () => {
    expect(parseCheckpoint(undefined)).toBeNull();
    expect(parseCheckpoint('')).toBeNull();
    expect(parseCheckpoint('null')).toBeNull();
    expect(parseCheckpoint('undefined')).toBeNull();
  });

  it('rejects garbage, negative, non-integer and string sequences', () => {
    const bad = [
      'garbage',
      '{',
      '{"seq":}',
      '{}',
      '[]',
      '[{"seq":1}]',
      '5',
      '"5"',
      'true',
      '{"seq":-1}',
      '{"seq":1.5}',
      '{"seq":"5"}',
      '{"seq":null}',
      '{"seq":1e400}',
      JSON.stringify({ seq: Number.MAX_SAFE_INTEGER + 1 }),
      '{"sequence":1}',
    ];
    for (const raw of bad) expect(parseCheckpoint(raw), raw).toBe('invalid');
  });

  it('round-trips any non-negative safe integer sequence (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (seq) => {
        expect(parseCheckpoint(JSON.stringify({ seq }))).toEqual({ seq });
      }),
    );
  });

  it('never throws and never yields a negative or fractional sequence for any text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (raw) => {
        const result = parseCheckpoint(raw);
        if (result !== null && result !== 'invalid') {
          expect(Number.isSafeInteger(result.seq)).toBe(true);
          expect(result.seq).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
