import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ROLES, type CreateUserRequest, type LoginResponse, type Role, type SessionUser, type TokenPair } from '../../shared/wire.js';
import { AppError, unauthorized } from '../http/errors.js';
import type { Database } from '../store/tables.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './passwords.js';
import { assertNotThrottled, clearFailures, recordFailure, type ThrottleConfig } from './throttle.js';
import { newToken, tokenHash } from './tokens.js';

export interface AuthConfig {
  accessTtlMs: number;
  refreshTtlMs: number;
  throttle: ThrottleConfig;
}

export interface Principal {
  user: SessionUser;
  sessionId: string;
  accessExpiresAt: number;
}

const PER_ADDRESS_FACTOR = 4;

export function createAuthService(db: Kysely<Database>, config: AuthConfig) {
  async function issuePair(sessionId: string, now: number): Promise<TokenPair> {
    const accessToken = newToken();
    const refreshToken = newToken();
    await db
      .insertInto('auth_tokens')
      .values([
        { token_hash: tokenHash(accessToken), session_id: sessionId, kind: 'access', expires_at: now + config.accessTtlMs, used_at: null },
        { token_hash: tokenHash(refreshToken), session_id: sessionId, kind: 'refresh', expires_at: now + config.refreshTtlMs, used_at: null },
      ])
      .execute();
    return { accessToken, refreshToken, expiresIn: Math.floor(config.accessTtlMs / 1000) };
  }

  async function toSessionUser(row: { id: string; username: string; role: string; warehouse_ids: string }): Promise<SessionUser> {
    const role = row.role as Role;
    // An admin's scope is every warehouse: listed so clients can show it.
    const warehouseIds =
      role === 'admin'
        ? (await db.selectFrom('docs').select('id').where('collection', '=', 'warehouses').where('deleted', '=', 0).execute()).map((r) => r.id)
        : (JSON.parse(row.warehouse_ids) as string[]);
    return { id: row.id, username: row.username, role, warehouseIds };
  }

  return {
    async login(username: string, password: string, address: string): Promise<LoginResponse> {
      const now = Date.now();
      const userKey = `user:${username.toLowerCase()}`;
      const addressKey = `address:${address}`;
      await assertNotThrottled(db, [userKey, addressKey], now);
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      const ok = row ? await verifyPassword(password, row.password_hash) : await verifyPassword(password, await DUMMY_HASH_PROMISE);
      if (!row || !ok || row.disabled) {
        await recordFailure(db, userKey, config.throttle.maxFailures, config.throttle, now);
        await recordFailure(db, addressKey, config.throttle.maxFailures * PER_ADDRESS_FACTOR, config.throttle, now);
        throw new AppError(401, 'invalid-credentials', 'The user name or password is wrong.');
      }
      await clearFailures(db, userKey);
      const sessionId = randomUUID();
      await db.insertInto('sessions').values({ id: sessionId, user_id: row.id, created_at: now, revoked_at: null }).execute();
      const pair = await issuePair(sessionId, now);
      return { ...pair, user: await toSessionUser(row) };
    },

    /** Rotates the pair. A refresh token works once; presenting a used one revokes the whole session (theft). */
    async refresh(refreshToken: string): Promise<TokenPair> {
      const now = Date.now();
      const hash = tokenHash(refreshToken);
      const token = await db
        .selectFrom('auth_tokens')
        .innerJoin('sessions', 'sessions.id', 'auth_tokens.session_id')
        .select(['auth_tokens.session_id', 'auth_tokens.expires_at', 'auth_tokens.used_at', 'auth_tokens.kind', 'sessions.revoked_at'])
        .where('auth_tokens.token_hash', '=', hash)
        .executeTakeFirst();
      if (!token || token.kind !== 'refresh' || token.revoked_at !== null || token.expires_at <= now) {
        throw new AppError(401, 'unauthorized', 'This session has ended. Sign in again.');
      }
      // The database decides who used it first: only one UPDATE can flip used_at.
      const claimed = await db
        .updateTable('auth_tokens')
        .set({ used_at: now })
        .where('token_hash', '=', hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', token.session_id).execute();
        throw new AppError(401, 'unauthorized', 'This refresh token was already used; the session is revoked. Sign in again.');
      }
      return issuePair(token.session_id, now);
    },

    async logout(sessionId: string): Promise<void> {
      const now = Date.now();
      await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
      await db.deleteFrom('auth_tokens').where('session_id', '=', sessionId).execute();
    },

    async logoutWithRefreshToken(refreshToken: string): Promise<void> {
      const token = await db.selectFrom('auth_tokens').select(['session_id', 'kind']).where('token_hash', '=', tokenHash(refreshToken)).executeTakeFirst();
      if (!token || token.kind !== 'refresh') throw unauthorized('This refresh token is not valid.');
      await this.logout(token.session_id);
    },

    async authenticate(accessToken: string): Promise<Principal> {
      const now = Date.now();
      const row = await db
        .selectFrom('auth_tokens')
        .innerJoin('sessions', 'sessions.id', 'auth_tokens.session_id')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'auth_tokens.kind',
          'auth_tokens.expires_at',
          'auth_tokens.session_id',
          'sessions.revoked_at',
          'users.id',
          'users.username',
          'users.role',
          'users.warehouse_ids',
          'users.disabled',
        ])
        .where('auth_tokens.token_hash', '=', tokenHash(accessToken))
        .executeTakeFirst();
      if (!row || row.kind !== 'access' || row.revoked_at !== null || row.disabled) throw unauthorized('The access token is not valid. Sign in again.');
      if (row.expires_at <= now) throw new AppError(401, 'token-expired', 'The access token has expired: refresh it or sign in again.');
      return { user: await toSessionUser(row), sessionId: row.session_id, accessExpiresAt: row.expires_at };
    },

    /**
     * The session's user as of now, or null when the session was revoked (sign-out,
     * refresh-token reuse, password change) or the user is disabled or gone. Open
     * streams ask on every heartbeat, so they follow an admin's changes.
     */
    async sessionUser(sessionId: string): Promise<SessionUser | null> {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['sessions.revoked_at', 'users.id', 'users.username', 'users.role', 'users.warehouse_ids', 'users.disabled'])
        .where('sessions.id', '=', sessionId)
        .executeTakeFirst();
      if (!row || row.revoked_at !== null || row.disabled) return null;
      return toSessionUser(row);
    },

    async createUser(request: CreateUserRequest, warehouseIds: string[]): Promise<string> {
      if (!(ROLES as readonly string[]).includes(request.role)) throw new AppError(400, 'invalid-request', `Unknown role "${request.role}".`);
      const id = randomUUID();
      const inserted = await db
        .insertInto('users')
        .values({
          id,
          username: request.username,
          password_hash: await hashPassword(request.password),
          role: request.role,
          warehouse_ids: JSON.stringify(warehouseIds),
          disabled: 0,
          created_at: Date.now(),
        })
        .onConflict((oc) => oc.column('username').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) {
        throw new AppError(409, 'username-taken', `A user named "${request.username}" already exists.`);
      }
      return id;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
