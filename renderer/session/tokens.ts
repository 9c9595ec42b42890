/**
 * The access token lives in memory only; the refresh token is rotated on
 * every use and the new one saved through the platform at once, because the
 * server accepts each refresh token a single time.
 */
import type { FieldstockPlatform, StoredSession } from '../../shared/platform.js';
import type { AuthApi } from './auth-api.js';
import type { AuthProblem } from './problems.js';

/** Thrown to the sync handlers when no access token can be had; `problem` says why. */
export class AuthFailure extends Error {
  constructor(readonly problem: AuthProblem) {
    super(problem.kind);
    this.name = 'AuthFailure';
  }
}

/** What the sync engine needs from the session. */
export interface AccessTokenSource {
  /** A token that is not known to be expired, refreshed first when needed. */
  token(): Promise<string>;
  /** The server refused `used` (401): refresh once, unless someone already did. Throws AuthFailure when the session is over. */
  afterRejected(used: string): Promise<void>;
}

export interface AccessTokensOptions {
  api: Pick<AuthApi, 'refresh'>;
  session: StoredSession;
  platform: Pick<FieldstockPlatform, 'saveSession' | 'loadSession'>;
  /** The pair from sign-in; absent when the app starts from a stored session. */
  initial?: { accessToken: string; expiresIn: number };
  /** Called once when the server ends the session (refresh refused). */
  onExpired: () => void;
  now?: () => number;
}

export class AccessTokens implements AccessTokenSource {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private refreshToken: string;
  private refreshing: Promise<void> | null = null;
  private ended: AuthProblem | null = null;
  private readonly now: () => number;

  constructor(private readonly options: AccessTokensOptions) {
    this.refreshToken = options.session.refreshToken;
    this.now = options.now ?? Date.now;
    if (options.initial) this.accept(options.initial.accessToken, options.initial.expiresIn);
  }

  /** The current refresh token (rotated), for signing out on the server. */
  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  async token(): Promise<string> {
    if (this.ended) throw new AuthFailure(this.ended);
    if (!this.accessToken || this.now() >= this.expiresAt) await this.refresh();
    if (!this.accessToken) throw new AuthFailure(this.ended ?? { kind: 'session-expired' });
    return this.accessToken;
  }

  async afterRejected(used: string): Promise<void> {
    if (this.ended) throw new AuthFailure(this.ended);
    // Another request already refreshed while this one was in flight.
    if (this.accessToken && this.accessToken !== used) return;
    this.accessToken = null;
    await this.refresh();
  }

  /** Stops using the tokens (sign-out): later calls fail without a request. */
  end(problem: AuthProblem = { kind: 'session-expired' }): void {
    this.ended ??= problem;
    this.accessToken = null;
  }

  private refresh(): Promise<void> {
    // One refresh at a time: a second one would present a refresh token already used, which revokes the session.
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const { session, platform, api } = this.options;
    // Another browser tab of this user may have rotated the token since: use the newest one.
    const stored = await platform.loadSession().catch(() => null);
    if (stored && stored.serverUrl === session.serverUrl && stored.username === session.username) this.refreshToken = stored.refreshToken;

    const result = await api.refresh(this.refreshToken);
    if (this.ended) throw new AuthFailure(this.ended);
    if (!result.ok) {
      if (result.problem.kind === 'session-expired') {
        this.end(result.problem);
        this.options.onExpired();
      }
      throw new AuthFailure(result.problem);
    }
    this.refreshToken = result.value.refreshToken;
    this.accept(result.value.accessToken, result.value.expiresIn);
    await platform.saveSession({ ...session, refreshToken: this.refreshToken });
  }

  private accept(accessToken: string, expiresInSeconds: number): void {
    this.accessToken = accessToken;
    const lifetime = expiresInSeconds * 1000;
    // Refresh a little early so a request does not leave with a token about to lapse.
    this.expiresAt = this.now() + lifetime - Math.min(30_000, lifetime / 2);
  }
}
