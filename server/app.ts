import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErpOutboxRoutes } from './admin/erp-outbox-routes.js';
import { registerErpSyncRoutes } from './admin/erp-sync-routes.js';
import { registerErpTraceRoutes } from './admin/erp-trace-routes.js';
import { registerAdminRoutes } from './admin/routes.js';
import { registerUserRoutes } from './admin/user-routes.js';
import { registerAuthRoutes } from './auth/routes.js';
import { createAuthService } from './auth/service.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { OutboxHandlers } from './erp/outbox/handlers.js';
import { outboxGaugeSource } from './erp/outbox/metrics-source.js';
import { registerJournalDelivery } from './erp/journals-outbox/register.js';
import { startErpOutbox, wakeOnCommits } from './erp/outbox/service.js';
import { openErp, startErpSync, wireErpOutbound, wireErpReceipts } from './erp/sync/startup.js';
import { installErrorHandler } from './http/error-handler.js';
import { installJsonParser } from './http/json-body.js';
import { countErpLinesByStatus, countLinesAwaitingAggregation } from './ledger/aggregation/erp-journals.js';
import { runAggregationFor } from './ledger/aggregation/service.js';
import { startAggregationTimer } from './ledger/aggregation/timer.js';
import { registerLedgerRoutes } from './ledger/routes.js';
import { createMetrics } from './ops/metrics.js';
import { registerOpsRoutes } from './ops/routes.js';
import { createRegistry, type ExtraCollection } from './replication/registry.js';
import { registerReplicationRoutes } from './replication/routes.js';
import { ChangeNotifier } from './store/notifier.js';
import { openStore, type Store } from './store/open.js';
import type { WriteHooks } from './store/write.js';

const DRAIN_TIMEOUT_MS = 5_000;

export interface BuildOptions {
  config: Config;
  /** Use this store instead of opening one from the config (tests). */
  store?: Store;
  /** Collections registered beside Fieldstock's nine (RxDB's conformance suite). */
  extraCollections?: ExtraCollection[];
  hooks?: WriteHooks;
  logger?: boolean;
}

export interface Fieldstock {
  app: FastifyInstance;
  ctx: AppContext;
  /** Ends streams, drains in-flight requests, closes the store. */
  close(): Promise<void>;
}

export async function buildApp(options: BuildOptions): Promise<Fieldstock> {
  const { config } = options;
  // Before anything opens: broken ERP maps refuse the start, listing every problem.
  const erp = await openErp(config);
  const store = options.store ?? (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const notifier = new ChangeNotifier(store);
  await notifier.start();

  const app = Fastify({
    bodyLimit: config.bodyLimitBytes,
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            // Tokens and passwords never reach the logs.
            redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.accessToken'],
          },
    ajv: {
      // Reject, never repair: unknown properties and wrong types are a 400, not silently coerced.
      // (@fastify/ajv-compiler already adds ajv-formats.)
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  // This app's outbox handlers (not the process's: another app in the process has its own).
  const outboxHandlers = new OutboxHandlers();
  // Receipts against ERP purchases are queued for the ERP as they post (the ledger's onReceiptPosted).
  const erpReceipts = erp ? wireErpReceipts(erp, outboxHandlers, app.log) : undefined;
  const ctx: AppContext = {
    config: erpReceipts ? { ...config, ledger: { ...config.ledger, onReceiptPosted: erpReceipts.onReceiptPosted } } : config,
    store,
    notifier,
    auth: createAuthService(store.db, config.auth),
    registry: createRegistry(options.extraCollections),
    metrics: createMetrics({
      erpLinesByStatus: () => countErpLinesByStatus(store.db),
      linesAwaitingAggregation: () => countLinesAwaitingAggregation(store.db),
      erpOutbox: outboxGaugeSource(store.db, config.erpOutbox.alertThreshold),
    }),
    hooks: options.hooks ?? {},
    closing: { closed: false, handlers: new Set() },
    erp,
    erpSync: undefined,
    outboxHandlers,
  };

  installErrorHandler(app);
  installJsonParser(app);
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
    // A request in flight when close() began: end its keep-alive connection after the
    // response, or close() would wait for the keep-alive timeout (72 s) before exiting.
    if (ctx.closing.closed) void reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  // Streams never finish on their own: end them so close() can drain the rest.
  app.addHook('preClose', async () => {
    ctx.closing.closed = true;
    for (const end of [...ctx.closing.handlers]) end();
  });

  // The desktop app's page (app://fieldstock) calls the backend cross-origin; only listed origins may.
  await app.register(cors, {
    origin: config.corsOrigins,
    methods: ['GET', 'POST', 'PATCH'],
    allowedHeaders: ['authorization', 'content-type', 'accept'],
    maxAge: 600,
  });
  // The OpenAPI description is generated from the routes' own schemas, so it cannot drift.
  await app.register(swagger, {
    openapi: {
      info: { title: 'Fieldstock sync backend', version: '1.0.0', description: 'See docs/api.md for the behaviour behind each route.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerOpsRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  registerReplicationRoutes(app, ctx);
  registerLedgerRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerErpOutboxRoutes(app, ctx);
  registerErpSyncRoutes(app, ctx);
  registerErpTraceRoutes(app, ctx);
  await app.ready();
  // ERP aggregation in the background; a failed run is logged and the next one tries again.
  const aggregation = startAggregationTimer(config.aggregation.intervalMs, () => runAggregationFor(ctx), (error) => app.log.error({ err: error }, 'ERP aggregation run failed'));
  // ERP writes queued in the outbox, delivered by the handlers registered on this app (ctx.outboxHandlers).
  const erpOutbox = startErpOutbox(ctx, app.log);
  // Items queued by a commit are delivered by the next run, not after the interval (near real time to the ERP).
  const stopWaking = erp ? wakeOnCommits(notifier, erpOutbox) : undefined;
  // Aggregated ERP journals reach the ERP through the outbox (map `journals`); with `none` aggregation posts them locally.
  const unregisterJournalDelivery = registerJournalDelivery(ctx);
  // ERP → Fieldstock: each map's changes on a timer; a failed run is logged, counted and retried next round.
  if (erp) ctx.erpSync = startErpSync(ctx, erp, app.log);
  // Fieldstock → ERP: pushed changes of two-way maps (warehouses) are queued for the outbox.
  const erpOutbound = erp ? wireErpOutbound(ctx, erp, app.log) : undefined;

  return {
    app,
    ctx,
    async close() {
      await aggregation.stop();
      stopWaking?.();
      await erpOutbox.stop();
      unregisterJournalDelivery();
      erpReceipts?.unregister();
      erpOutbound?.unregister();
      await ctx.erpSync?.stop();
      // Drain in-flight requests, but not forever: a client that holds a connection
      // open without a request would otherwise keep the process alive.
      const deadline = setTimeout(() => app.server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      deadline.unref();
      await app.close();
      clearTimeout(deadline);
      await notifier.close();
      if (!options.store) await store.close();
      await erp?.connector.close().catch(() => undefined);
    },
  };
}
