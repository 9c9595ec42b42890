import type { Kysely } from 'kysely';
import type { Database } from '../store/tables.js';
import { AppError } from '../http/errors.js';

export interface ThrottleConfig {
  /** Failures allowed before a key is locked. */
  maxFailures: number;
  /** First lock; each further failure doubles it, up to maxLockMs. */
  baseLockMs: number;
  maxLockMs: number;
}

export const DEFAULT_THROTTLE: ThrottleConfig = { maxFailures: 5, baseLockMs: 30_000, maxLockMs: 15 * 60_000 };

/**
 * Login throttling kept in the database, so it holds across backend instances
 * and restarts. Keys are per user name and per client address.
 */
export async function assertNotThrottled(db: Kysely<Database>, keys: string[], now: number): Promise<void> {
  const rows = await db.selectFrom('login_throttle').select(['locked_until']).where('key', 'in', keys).execute();
  const lockedUntil = Math.max(0, ...rows.map((r) => r.locked_until));
  if (lockedUntil > now) {
    const seconds = Math.ceil((lockedUntil - now) / 1000);
    throw new AppError(429, 'too-many-requests', `Too many failed sign-in attempts. Try again in ${seconds} s.`, {
      'retry-after': String(seconds),
    });
  }
}

export async function recordFailure(db: Kysely<Database>, key: string, allowed: number, config: ThrottleConfig, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    const failures = (row?.failures ?? 0) + 1;
    const over = failures - allowed;
    const lockedUntil = over >= 0 ? now + Math.min(config.baseLockMs * 2 ** over, config.maxLockMs) : 0;
    await trx
      .insertInto('login_throttle')
      .values({ key, failures, locked_until: lockedUntil, last_failure_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures, locked_until: lockedUntil, last_failure_at: now }))
      .execute();
  });
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
