// The read-scope fingerprint checkpoints carry, and how a pull resumes from a
// checkpoint taken under another scope (server/replication/scope.ts, pull.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint, resumeFrom } from '../../server/replication/pull.js';
import { createRegistry } from '../../server/replication/registry.js';
import { WHOLE_SCOPE, scopeFingerprint, userScopeFingerprint } from '../../server/replication/scope.js';
import type { SessionUser } from '../../shared/wire.js';

const registry = createRegistry();
const policy = (name: string) => {
  const found = registry.get(name);
  if (!found) throw new Error(`no collection ${name}`);
  return found;
};
const tech = (warehouseIds: string[], id = 'u-1'): SessionUser => ({ id, username: 'tech', role: 'technician', warehouseIds });

describe('userScopeFingerprint', () => {
  it('is short, stable, and ignores the order and repetition of warehouses', () => {
    const a = userScopeFingerprint(tech(['w-1', 'w-2']));
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(userScopeFingerprint(tech(['w-2', 'w-1', 'w-2']))).toBe(a);
  });

  it('changes with the warehouses, the role and the user', () => {
    const base = userScopeFingerprint(tech(['w-1']));
    const others = [
      userScopeFingerprint(tech([])),
      userScopeFingerprint(tech(['w-1', 'w-2'])),
      userScopeFingerprint(tech(['w-2'])),
      userScopeFingerprint({ ...tech(['w-1']), role: 'warehouse' }),
      // Users read what they wrote themselves, so two users never share a fingerprint.
      userScopeFingerprint(tech(['w-1'], 'u-2')),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('is one constant for every admin, whatever warehouses exist', () => {
    const admin = (warehouseIds: string[], id: string): SessionUser => ({ id, username: id, role: 'admin', warehouseIds });
    expect(userScopeFingerprint(admin(['w-1'], 'a-1'))).toBe(WHOLE_SCOPE);
    expect(userScopeFingerprint(admin([], 'a-2'))).toBe(WHOLE_SCOPE);
  });

  it('never collides with the admin constant', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 5 }), fc.string(), (ids, id) => {
        expect(userScopeFingerprint(tech(ids, id))).not.toBe(WHOLE_SCOPE);
      }),
    );
  });
});

describe('scopeFingerprint', () => {
  it("is the user's for warehouse-bound collections and the constant for collections everyone reads", () => {
    const user = tech(['w-1']);
    for (const name of ['inventory', 'purchaseOrders', 'receipts', 'inventoryTransactions', 'journals']) {
      expect(scopeFingerprint(policy(name), user), name).toBe(userScopeFingerprint(user));
    }
    for (const name of ['warehouses', 'products', 'referenceData', 'customerAssets']) {
      expect(scopeFingerprint(policy(name), user), name).toBe(WHOLE_SCOPE);
    }
  });
});

describe('parseCheckpoint with a scope', () => {
  it('accepts { seq, scope } with a string scope of up to 64 characters', () => {
    expect(parseCheckpoint('{"seq":7,"scope":"abc"}')).toEqual({ seq: 7, scope: 'abc' });
    expect(parseCheckpoint(JSON.stringify({ seq: 0, scope: 'x'.repeat(64) }))).toEqual({ seq: 0, scope: 'x'.repeat(64) });
    expect(parseCheckpoint('{"seq":7}')).toEqual({ seq: 7 });
  });

  it('rejects a scope that is not a string or longer than 64 characters', () => {
    for (const raw of ['{"seq":7,"scope":5}', '{"seq":7,"scope":null}', '{"seq":7,"scope":["a"]}', JSON.stringify({ seq: 7, scope: 'x'.repeat(65) }), '{"scope":"abc"}']) {
      expect(parseCheckpoint(raw), raw).toBe('invalid');
    }
  });

  it('round-trips what the server sends (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.string({ maxLength: 64 }), (seq, scope) => {
        expect(parseCheckpoint(JSON.stringify({ seq, scope }))).toEqual({ seq, scope });
      }),
    );
  });
});

describe('resumeFrom', () => {
  it('resumes from a checkpoint in the current scope, or one without a scope', () => {
    expect(resumeFrom({ seq: 9, scope: 'now' }, 'now')).toEqual({ seq: 9, scope: 'now' });
    expect(resumeFrom({ seq: 9 }, 'now')).toEqual({ seq: 9 });
    expect(resumeFrom(null, 'now')).toBeNull();
  });

  it('starts over from a checkpoint taken under another scope', () => {
    expect(resumeFrom({ seq: 9, scope: 'before' }, 'now')).toEqual({ seq: 0 });
  });
});
