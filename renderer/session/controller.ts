/**
 * Signing in and out: owns the live objects of a session (tokens, the user's
 * database, the sync engine) and reports what the UI shows through
 * `onView`. One operation runs at a time, so a sign-out cannot interleave
 * with the sign-in it follows.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import type { RxStorage } from 'rxdb';
import type { FieldstockPlatform, StoredSession } from '../../shared/platform.js';
import type { SessionUser } from '../../shared/wire.js';
import { normalizeServerUrl, openDatabase, type FieldstockDatabase } from '../db/database.js';
import { startSyncEngine, type SyncEngine, type SyncEngineOptions } from '../sync/engine.js';
import { authApi } from './auth-api.js';
import type { AuthProblem } from './problems.js';
import type { SessionView } from './session-view.js';
import { AccessTokens, type AccessTokenSource } from './tokens.js';

/** A signed-in session: what screens and hooks read domain data from. */
export interface ActiveSession {
  serverUrl: string;
  username: string;
  /** Null only if the profile saved at sign-in is missing from the local database. */
  user: SessionUser | null;
  db: FieldstockDatabase;
  sync: SyncEngine;
  /**
   * The session's access token (refreshed when needed), for online-only calls such as the admin screens.
   * Every signed-in session has it; optional only so sessions assembled by hand in tests need not.
   */
  tokens?: AccessTokenSource;
}

/** Tuning of the sync engine that a session starts; tests shorten its delays. */
export type SyncTuning = Omit<SyncEngineOptions, 'db' | 'serverUrl' | 'tokens' | 'platform' | 'fetch'>;

export interface SessionControllerOptions {
  platform: FieldstockPlatform;
  onView: (view: SessionView) => void;
  /** A fresh storage per database; Dexie (IndexedDB) by default. */
  storage?: () => RxStorage<unknown, unknown>;
  multiInstance?: boolean;
  fetch?: typeof fetch;
  sync?: SyncTuning;
  authTimeoutMs?: number;
}

const PROFILE_KEY = 'session-user';
type Profile = SessionUser & Record<string, unknown>;

export class SessionController {
  private readonly activeSubject = new BehaviorSubject<ActiveSession | null>(null);
  private tokens: AccessTokens | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  readonly active$: Observable<ActiveSession | null> = this.activeSubject.asObservable();

  constructor(private readonly options: SessionControllerOptions) {}

  get active(): ActiveSession | null {
    return this.activeSubject.getValue();
  }

  /** At start: reopen the stored session, offline if need be (the first request refreshes the token). */
  restore(): Promise<void> {
    return this.serially(async () => {
      this.options.onView({ status: 'starting' });
      const stored = await this.options.platform.loadSession().catch(() => null);
      if (!stored) {
        this.options.onView({ status: 'signed-out', problem: null, serverUrl: null, username: null });
        return;
      }
      const problem = await this.begin(stored, null, undefined);
      if (problem) this.options.onView({ status: 'signed-out', problem, serverUrl: stored.serverUrl, username: stored.username });
    });
  }

  /** Resolves with the problem shown to the user, or null when signed in. */
  signIn(serverUrlInput: string, username: string, password: string): Promise<AuthProblem | null> {
    return this.serially(async () => {
      if (this.active) await this.end(null);
      let serverUrl: string;
      try {
        serverUrl = normalizeServerUrl(serverUrlInput);
        if (!/^https?:$/.test(new URL(serverUrl).protocol)) throw new Error('not http');
      } catch {
        const problem: AuthProblem = { kind: 'invalid-server-url' };
        this.options.onView({ status: 'signed-out', problem, serverUrl: serverUrlInput, username });
        return problem;
      }
      this.options.onView({ status: 'signing-in' });
      const result = await authApi(serverUrl, this.authOptions()).login(username, password);
      if (!result.ok) {
        this.options.onView({ status: 'signed-out', problem: result.problem, serverUrl, username });
        return result.problem;
      }
      const { user, accessToken, refreshToken, expiresIn } = result.value;
      const stored: StoredSession = { serverUrl, username: user.username, refreshToken };
      const problem = await this.begin(stored, user, { accessToken, expiresIn });
      if (problem) {
        void authApi(serverUrl, this.authOptions()).logout(refreshToken);
        this.options.onView({ status: 'signed-out', problem, serverUrl, username });
        return problem;
      }
      await this.options.platform.saveSession(stored);
      return null;
    });
  }

  /** Ends the session here and on the server. The local database stays, with anything not yet uploaded. */
  signOut(): Promise<void> {
    return this.serially(() => this.end(null));
  }

  private async begin(stored: StoredSession, user: SessionUser | null, initial: { accessToken: string; expiresIn: number } | undefined): Promise<AuthProblem | null> {
    const { options } = this;
    let db: FieldstockDatabase;
    try {
      db = await openDatabase({
        serverUrl: stored.serverUrl,
        username: stored.username,
        storage: options.storage?.(),
        multiInstance: options.multiInstance,
      });
    } catch (error) {
      return { kind: 'local-database', message: error instanceof Error ? error.message : String(error) };
    }
    try {
      if (user) await db.upsertLocal<Profile>(PROFILE_KEY, { ...user });
      else {
        const saved = (await db.getLocal<Profile>(PROFILE_KEY))?.toJSON().data;
        user = saved ? { id: saved.id, username: saved.username, role: saved.role, warehouseIds: [...saved.warehouseIds] } : null;
      }
    } catch (error) {
      await db.close();
      return { kind: 'local-database', message: error instanceof Error ? error.message : String(error) };
    }

    const tokens = new AccessTokens({
      api: authApi(stored.serverUrl, this.authOptions()),
      session: stored,
      platform: options.platform,
      initial,
      // Not awaited: this runs inside a sync request, which end() cancels.
      onExpired: () => void this.serially(() => (this.tokens === tokens ? this.end({ kind: 'session-expired' }) : Promise.resolve())),
    });
    const sync = startSyncEngine({ ...options.sync, db, serverUrl: stored.serverUrl, tokens, platform: options.platform, fetch: options.fetch });
    this.tokens = tokens;
    this.activeSubject.next({ serverUrl: stored.serverUrl, username: stored.username, user, db, sync, tokens });
    options.onView({ status: 'signed-in', serverUrl: stored.serverUrl, username: stored.username, role: user?.role ?? null });
    return null;
  }

  private async end(problem: AuthProblem | null): Promise<void> {
    const active = this.active;
    const tokens = this.tokens;
    if (!active || !tokens) return;
    this.tokens = null;
    this.activeSubject.next(null);
    await active.sync.stop();
    if (!problem) {
      // Best effort: offline, the server session simply expires later.
      void authApi(active.serverUrl, this.authOptions()).logout(tokens.currentRefreshToken);
    }
    tokens.end(problem ?? { kind: 'session-expired' });
    await this.options.platform.clearSession();
    await active.db.close();
    this.options.onView({ status: 'signed-out', problem, serverUrl: active.serverUrl, username: active.username });
  }

  private authOptions() {
    return { fetch: this.options.fetch, timeoutMs: this.options.authTimeoutMs };
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
