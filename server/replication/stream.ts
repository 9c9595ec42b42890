import type { FastifyReply } from 'fastify';
import type { SessionUser } from '../../shared/wire.js';
import type { Principal } from '../auth/service.js';
import type { AppContext } from '../context.js';
import { ANY_COLLECTION } from '../store/notifier.js';
import { pullPage, pullPageJson } from './pull.js';
import type { CollectionPolicy } from './registry.js';
import { scopeFingerprint, userScopeFingerprint } from './scope.js';

const STREAM_BATCH = 1000;

/** One collection carried by a stream, and how its events are framed on the wire. */
interface Channel {
  policy: CollectionPolicy;
  /** The whole server-sent event for one `data` payload (JSON text). */
  frame(data: string): string;
}

/**
 * A server-sent event stream of one collection's changes in the caller's scope.
 * It opens with "RESYNC" (the client pulls from its own checkpoint), then
 * sends each committed change once, read from the store by sequence, so a
 * missed wake-up only delays a change. On every heartbeat it re-reads the
 * session's user: a revoked session or a disabled user ends the stream, and a
 * changed scope is followed at once with "RESYNC" (the client's next pull
 * starts over because its checkpoint carries the old scope, see pull.ts).
 */
export function openStream(ctx: AppContext, policy: CollectionPolicy, principal: Principal, reply: FastifyReply): Promise<void> {
  return serveStream(ctx, [{ policy, frame: (data) => `data: ${data}\n\n` }], principal, reply);
}

/**
 * Several collections over one connection (a browser holds at most six per
 * server): the same events as openStream, each named after its collection
 * with the SSE `event:` field, so the data stays exactly what the
 * single-collection stream sends.
 */
export function openMultiplexedStream(
  ctx: AppContext,
  policies: readonly CollectionPolicy[],
  principal: Principal,
  reply: FastifyReply,
): Promise<void> {
  const channels = policies.map((policy): Channel => ({ policy, frame: (data) => `event: ${policy.name}\ndata: ${data}\n\n` }));
  return serveStream(ctx, channels, principal, reply);
}

async function serveStream(ctx: AppContext, channels: readonly Channel[], principal: Principal, reply: FastifyReply): Promise<void> {
  /** Whom the stream serves: replaced when an admin changes the user's scope. */
  let user: SessionUser = principal.user;
  const starts = await ctx.store.db
    .selectFrom('docs')
    .select((eb) => ['collection', eb.fn.max<number>('seq').as('seq')])
    .where('collection', 'in', channels.map((c) => c.policy.name))
    .groupBy('collection')
    .execute();
  const startOf = new Map(starts.map((row) => [row.collection, Number(row.seq)]));

  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, {
    // Headers set by hooks so far (CORS, security) still apply to a hijacked reply.
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write(`retry: 2000\n\n${channels.map((c) => c.frame('"RESYNC"')).join('')}`);
  ctx.metrics.streams.inc();

  let closed = false;

  /** Sends a channel's changes after its cursor; one drain at a time per channel, re-run when woken meanwhile. */
  const follower = ({ policy, frame }: Channel): (() => Promise<void>) => {
    let cursor = { seq: startOf.get(policy.name) ?? 0 };
    let draining = false;
    let again = false;
    const drain = async (): Promise<void> => {
      if (draining) {
        again = true;
        return;
      }
      draining = true;
      try {
        do {
          again = false;
          for (;;) {
            const readAs = user;
            const page = await pullPage(ctx.store.db, policy, readAs, cursor, STREAM_BATCH);
            if (closed) return;
            if (readAs !== user) {
              // The scope changed while reading: drop the page and read again in the new scope.
              again = true;
              break;
            }
            if (page.rawDocuments.length > 0) {
              raw.write(frame(pullPageJson(page)));
              cursor = page.checkpoint ?? cursor;
            }
            if (page.rawDocuments.length < STREAM_BATCH) break;
          }
        } while (again && !closed);
      } catch {
        // The store hiccuped: tell the client to pull again rather than lose anything.
        if (!closed) raw.write(frame('"RESYNC"'));
      } finally {
        draining = false;
      }
    };
    return drain;
  };
  const drains = new Map(channels.map((c) => [c.policy.name, follower(c)]));

  const unsubscribe = ctx.notifier.subscribe((collection) => {
    if (collection === ANY_COLLECTION) for (const drain of drains.values()) void drain();
    else void drains.get(collection)?.();
  });

  let checking = false;
  /** Follows the admin's changes to the session's user (see openStream). */
  const recheckUser = async (): Promise<void> => {
    if (checking) return;
    checking = true;
    try {
      const current = await ctx.auth.sessionUser(principal.sessionId);
      if (closed) return;
      if (!current) {
        close();
        return;
      }
      if (userScopeFingerprint(current) === userScopeFingerprint(user)) return;
      const changed = channels.filter((c) => scopeFingerprint(c.policy, current) !== scopeFingerprint(c.policy, user));
      user = current;
      if (changed.length > 0) raw.write(changed.map((c) => c.frame('"RESYNC"')).join(''));
    } catch {
      // The store hiccuped: keep serving the scope known so far and look again on the next beat.
    } finally {
      checking = false;
    }
  };
  const heartbeat = setInterval(() => {
    raw.write(`: heartbeat ${Date.now()}\n\n`);
    void recheckUser();
  }, ctx.config.heartbeatMs);
  // The stream lives no longer than the token that opened it; the client reconnects with a fresh one.
  const expiry = setTimeout(() => close(), Math.max(0, Math.min(principal.accessExpiresAt - Date.now(), 2 ** 31 - 1)));

  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    clearTimeout(expiry);
    ctx.metrics.streams.dec();
    ctx.closing.handlers.delete(close);
    raw.end();
  };
  ctx.closing.handlers.add(close);
  raw.on('close', close);
  // The client may have gone while the start cursors were read: its 'close' came before the listener.
  if (!raw.socket || raw.socket.destroyed) close();
  // Changes committed between reading the start cursors and subscribing.
  for (const drain of drains.values()) void drain();
}
