import type { FastifyReply } from 'fastify';
import type { SessionUser } from '../../shared/wire.js';
import type { AppContext } from '../context.js';
import { ANY_COLLECTION } from '../store/notifier.js';
import { pullPage, pullPageJson } from './pull.js';
import type { CollectionPolicy } from './registry.js';

const STREAM_BATCH = 1000;

/**
 * A server-sent event stream of one collection's changes in the caller's scope.
 * It opens with "RESYNC" (the client pulls from its own checkpoint), then
 * sends each committed change once, read from the store by sequence, so a
 * missed wake-up only delays a change.
 */
export async function openStream(
  ctx: AppContext,
  policy: CollectionPolicy,
  user: SessionUser,
  expiresAt: number,
  reply: FastifyReply,
): Promise<void> {
  const start = await ctx.store.db
    .selectFrom('docs')
    .select((eb) => eb.fn.max<number>('seq').as('seq'))
    .where('collection', '=', policy.name)
    .executeTakeFirst();
  let cursor = { seq: Number(start?.seq ?? 0) };

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
  raw.write(`retry: 2000\n\ndata: "RESYNC"\n\n`);
  ctx.metrics.streams.inc();

  let draining = false;
  let again = false;
  let closed = false;
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
          const page = await pullPage(ctx.store.db, policy, user, cursor, STREAM_BATCH);
          if (closed) return;
          if (page.rawDocuments.length > 0) {
            raw.write(`data: ${pullPageJson(page)}\n\n`);
            cursor = page.checkpoint ?? cursor;
          }
          if (page.rawDocuments.length < STREAM_BATCH) break;
        }
      } while (again && !closed);
    } catch {
      // The store hiccuped: tell the client to pull again rather than lose anything.
      if (!closed) raw.write(`data: "RESYNC"\n\n`);
    } finally {
      draining = false;
    }
  };

  const unsubscribe = ctx.notifier.subscribe((collection) => {
    if (collection === policy.name || collection === ANY_COLLECTION) void drain();
  });
  const heartbeat = setInterval(() => raw.write(`: heartbeat ${Date.now()}\n\n`), ctx.config.heartbeatMs);
  // The stream lives no longer than the token that opened it; the client reconnects with a fresh one.
  const expiry = setTimeout(() => close(), Math.max(0, Math.min(expiresAt - Date.now(), 2 ** 31 - 1)));

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
  // Changes committed between reading the start cursor and subscribing.
  void drain();
}
