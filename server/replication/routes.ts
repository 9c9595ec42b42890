import type { FastifyInstance } from 'fastify';
import { PULL_LIMIT_MAX, PUSH_ROWS_MAX } from '../../shared/wire.js';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { authenticate } from '../http/authenticate.js';
import { parseCheckpoint, pullPage, pullPageJson, resumeFrom } from './pull.js';
import { pushRows } from './push.js';
import { scopeFingerprint } from './scope.js';
import { openMultiplexedStream, openStream } from './stream.js';

const collectionParams = {
  type: 'object',
  required: ['collection'],
  properties: { collection: { type: 'string', maxLength: 64 } },
} as const;

export function registerReplicationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const policyOf = (name: string) => {
    const policy = ctx.registry.get(name);
    if (!policy) throw new AppError(404, 'unknown-collection', `There is no collection "${name}".`);
    return policy;
  };

  app.get<{ Params: { collection: string }; Querystring: { checkpoint?: string; limit?: string } }>(
    '/api/v1/replication/:collection/pull',
    {
      schema: {
        params: collectionParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { checkpoint: { type: 'string', maxLength: 200 }, limit: { type: 'string', pattern: '^[0-9]{1,5}$' } },
        },
      },
    },
    async (request, reply) => {
      const { user } = await authenticate(ctx.auth, request);
      const policy = policyOf(request.params.collection);
      const parsed = parseCheckpoint(request.query.checkpoint);
      if (parsed === 'invalid') throw new AppError(400, 'invalid-request', 'checkpoint must be JSON like {"seq":123,"scope":"…"}, as returned by the last pull.');
      const checkpoint = resumeFrom(parsed, scopeFingerprint(policy, user));
      const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
      if (limit < 1 || limit > PULL_LIMIT_MAX) throw new AppError(400, 'invalid-request', `limit must be between 1 and ${PULL_LIMIT_MAX}.`);
      const page = await pullPage(ctx.store.db, policy, user, checkpoint, limit);
      ctx.metrics.pulledDocs.inc({ collection: policy.name }, page.rawDocuments.length);
      return reply.type('application/json; charset=utf-8').send(pullPageJson(page));
    },
  );

  app.post<{ Params: { collection: string }; Body: unknown[] }>(
    '/api/v1/replication/:collection/push',
    {
      schema: {
        params: collectionParams,
        body: {
          type: 'array',
          maxItems: PUSH_ROWS_MAX,
          items: {
            type: 'object',
            required: ['newDocumentState'],
            additionalProperties: false,
            properties: {
              assumedMasterState: { anyOf: [{ type: 'object' }, { type: 'null' }] },
              newDocumentState: { type: 'object' },
            },
          },
        },
      },
    },
    async (request) => {
      const { user } = await authenticate(ctx.auth, request);
      const policy = policyOf(request.params.collection);
      const outcome = await pushRows({ store: ctx.store, notifier: ctx.notifier, ledger: ctx.config.ledger, hooks: ctx.hooks, onWritten: ctx.onPushWritten }, policy, user, request.body);
      const labels = { collection: policy.name };
      ctx.metrics.pushedRows.inc(labels, request.body.length);
      ctx.metrics.conflicts.inc(labels, outcome.conflicts.length);
      ctx.metrics.quarantined.inc(labels, outcome.quarantined);
      if (outcome.posted) ctx.metrics.postings.inc({ ...labels, outcome: 'posted' }, outcome.posted);
      if (outcome.rejected) ctx.metrics.postings.inc({ ...labels, outcome: 'rejected' }, outcome.rejected);
      if (outcome.quarantined > 0) request.log.warn({ collection: policy.name, quarantined: outcome.quarantined }, 'pushed rows set aside');
      return outcome.conflicts;
    },
  );

  app.get<{ Params: { collection: string } }>(
    '/api/v1/replication/:collection/stream',
    { schema: { params: collectionParams } },
    async (request, reply) => {
      const principal = await authenticate(ctx.auth, request);
      const policy = policyOf(request.params.collection);
      await openStream(ctx, policy, principal, reply);
    },
  );

  // Addition (docs/api.md): every listed collection over one connection, since a browser holds at most six per server.
  app.get<{ Querystring: { collections: string } }>(
    '/api/v1/replication/stream',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['collections'],
          additionalProperties: false,
          properties: { collections: { type: 'string', maxLength: 2000 } },
        },
      },
    },
    async (request, reply) => {
      const principal = await authenticate(ctx.auth, request);
      // A name listed twice is streamed once, so a stream carries at most every registered collection.
      const names = [...new Set(request.query.collections.split(',').map((name) => name.trim()))].filter((name) => name !== '');
      if (names.length === 0) throw new AppError(400, 'invalid-request', 'collections must name at least one collection, comma-separated.');
      const policies = names.map(policyOf);
      await openMultiplexedStream(ctx, policies, principal, reply);
    },
  );
}
