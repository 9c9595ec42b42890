// Password hashing, token hashing and login throttling, against a real SQLite store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.js';
import { assertNotThrottled, clearFailures, recordFailure, type ThrottleConfig } from '../../server/auth/throttle.js';
import { newToken, tokenHash } from '../../server/auth/tokens.js';
import { AppError } from '../../server/http/errors.js';
import { openStore, type Store } from '../../server/store/open.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

describe('passwords', () => {
  it('a hash verifies the password it was made from and no other', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('hashes are salted: the same password hashes differently twice, and each verifies', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    const salt = (hash: string) => hash.split('$')[4];
    expect(salt(a)).not.toBe(salt(b));
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('composed and decomposed Unicode spellings of a password are the same password', async () => {
    const composed = 'caf\u00e9-ü';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('a malformed stored hash never verifies', async () => {
    for (const stored of ['', 'plain-text', 'bcrypt$10$x$y$z$w', 'scrypt$32768$8$1$', 'scrypt$$$$$']) {
      expect(await verifyPassword('anything', stored), stored).toBe(false);
    }
  });
});

describe('tokens', () => {
  it('tokenHash is stable for a token and is not the token', () => {
    const token = newToken();
    expect(tokenHash(token)).toBe(tokenHash(token));
    expect(tokenHash(token)).not.toBe(token);
    expect(tokenHash(token)).not.toContain(token);
  });

  it('different tokens have different hashes, and new tokens are long and unique', () => {
    const tokens = Array.from({ length: 50 }, () => newToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(new Set(tokens.map(tokenHash)).size).toBe(tokens.length);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('tokenHash is the base64url SHA-256 of the token', () => {
    // SHA-256("abc"), a published test vector.
    expect(tokenHash('abc')).toBe(Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex').toString('base64url'));
  });
});

describe('login throttle', () => {
  const config: ThrottleConfig = { maxFailures: 3, baseLockMs: 30_000, maxLockMs: 100_000 };
  const now = 1_750_000_000_000;
  const key = 'user:alice';
  let dir: TempDir;
  let store: Store;

  beforeEach(async () => {
    dir = tempDir('throttle');
    store = await openStore({ dataDir: dir.path });
  });

  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  async function fail(times: number, at = now, k = key): Promise<void> {
    for (let i = 0; i < times; i += 1) await recordFailure(store.db, k, config.maxFailures, config, at);
  }

  async function thrown(keys: string[], at: number): Promise<unknown> {
    try {
      await assertNotThrottled(store.db, keys, at);
      return undefined;
    } catch (error) {
      return error;
    }
  }

  it('failures below maxFailures do not lock the key', async () => {
    await fail(config.maxFailures - 1);
    await expect(assertNotThrottled(store.db, [key], now)).resolves.toBeUndefined();
  });

  it('after maxFailures the key is locked: 429 too-many-requests with a Retry-After header', async () => {
    await fail(config.maxFailures);
    const error = await thrown([key], now);
    expect(error).toBeInstanceOf(AppError);
    if (!(error instanceof AppError)) return;
    expect(error.statusCode).toBe(429);
    expect(error.code).toBe('too-many-requests');
    expect(error.headers['retry-after']).toBe('30');
    // Later within the lock, Retry-After counts down (rounded up to whole seconds).
    const later = await thrown([key], now + 10_500);
    expect(later instanceof AppError ? later.headers['retry-after'] : undefined).toBe('20');
  });

  it('the lock ends when its time is up', async () => {
    await fail(config.maxFailures);
    expect(await thrown([key], now + config.baseLockMs - 1)).toBeInstanceOf(AppError);
    await expect(assertNotThrottled(store.db, [key], now + config.baseLockMs)).resolves.toBeUndefined();
  });

  it('each further failure doubles the lock, up to maxLockMs', async () => {
    await fail(config.maxFailures + 1);
    const doubled = await thrown([key], now);
    expect(doubled instanceof AppError ? doubled.headers['retry-after'] : undefined).toBe('60');
    await fail(3);
    const capped = await thrown([key], now);
    expect(capped instanceof AppError ? capped.headers['retry-after'] : undefined).toBe('100');
  });

  it('a lock on any of the checked keys throttles the request; other keys are unaffected', async () => {
    await fail(config.maxFailures, now, 'address:10.0.0.1');
    expect(await thrown(['user:bob', 'address:10.0.0.1'], now)).toBeInstanceOf(AppError);
    await expect(assertNotThrottled(store.db, ['user:bob', 'address:10.0.0.2'], now)).resolves.toBeUndefined();
  });

  it('clearFailures unlocks the key and restarts its count', async () => {
    await fail(config.maxFailures);
    expect(await thrown([key], now)).toBeInstanceOf(AppError);
    await clearFailures(store.db, key);
    await expect(assertNotThrottled(store.db, [key], now)).resolves.toBeUndefined();
    await fail(config.maxFailures - 1);
    await expect(assertNotThrottled(store.db, [key], now)).resolves.toBeUndefined();
  });
});
