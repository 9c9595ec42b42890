import type { FastifyInstance } from 'fastify';
import { ROLES, type CreateUserRequest, type UpdateUserRequest } from '../../shared/wire.js';
import { listUsers, updateUser, warehouseIdsOf } from '../auth/users.js';
import type { AppContext } from '../context.js';
import { authenticate, requireRole } from '../http/authenticate.js';

const username = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._@-]+$' } as const;
const password = { type: 'string', minLength: 8, maxLength: 500 } as const;
const role = { type: 'string', enum: [...ROLES] } as const;
const warehouseCodes = { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 64 } } as const;

const userSummarySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    role: { type: 'string' },
    warehouseCodes: { type: 'array', items: { type: 'string' } },
    disabled: { type: 'boolean' },
  },
} as const;

/** Administering users: create, list, change role, warehouses or password, disable (docs/api.md "Users"). */
export function registerUserRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: CreateUserRequest }>(
    '/api/v1/admin/users',
    {
      schema: {
        body: {
          type: 'object',
          required: ['username', 'password', 'role', 'warehouseCodes'],
          additionalProperties: false,
          properties: { username, password, role, warehouseCodes },
        },
        response: { 201: { type: 'object', properties: { id: { type: 'string' } } } },
      },
    },
    async (request, reply) => {
      requireRole(await authenticate(ctx.auth, request), ['admin']);
      const ids = await warehouseIdsOf(ctx.store.db, request.body.warehouseCodes);
      const id = await ctx.auth.createUser(request.body, ids);
      return reply.status(201).send({ id });
    },
  );

  app.get('/api/v1/admin/users', { schema: { response: { 200: { type: 'array', items: userSummarySchema } } } }, async (request) => {
    requireRole(await authenticate(ctx.auth, request), ['admin']);
    return listUsers(ctx.store.db);
  });

  app.patch<{ Params: { username: string }; Body: UpdateUserRequest }>(
    '/api/v1/admin/users/:username',
    {
      schema: {
        params: { type: 'object', required: ['username'], properties: { username: { type: 'string', minLength: 1, maxLength: 100 } } },
        body: { type: 'object', additionalProperties: false, properties: { role, warehouseCodes, disabled: { type: 'boolean' }, password } },
        response: { 200: userSummarySchema },
      },
    },
    async (request) => {
      const principal = await authenticate(ctx.auth, request);
      requireRole(principal, ['admin']);
      const updated = await updateUser(ctx.store.db, principal.user.id, request.params.username, request.body);
      // The names of the changed fields only: never the password itself.
      request.log.info({ admin: principal.user.username, user: updated.username, changed: Object.keys(request.body) }, 'user updated');
      return updated;
    },
  );
}
