// Time-ordered ids for the journals and journal lines the server makes in bulk.
import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../server/store/ordered-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('makes RFC 9562 version 7 UUIDs', () => {
    for (let i = 0; i < 100; i += 1) expect(timeOrderedId()).toMatch(V7);
  });

  it('never repeats and sorts in the order it made them, even thousands within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => timeOrderedId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts with the current time in milliseconds', () => {
    const before = Date.now();
    const id = timeOrderedId();
    const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    // Borrowing the next millisecond after a burst can put it slightly ahead; never behind.
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms - before).toBeLessThan(60_000);
  });
});
