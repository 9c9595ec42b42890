import type { FastifyInstance } from 'fastify';
import type { LoginRequest } from '../../shared/wire.js';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { authenticate } from '../http/authenticate.js';

const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    role: { type: 'string' },
    warehouseIds: { type: 'array', items: { type: 'string' } },
  },
} as const;

const tokenPairSchema = {
  type: 'object',
  properties: { accessToken: { type: 'string' }, refreshToken: { type: 'string' }, expiresIn: { type: 'integer' } },
} as const;

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: LoginRequest }>(
    '/api/v1/auth/login',
    {
      schema: {
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: { username: { type: 'string', minLength: 1, maxLength: 100 }, password: { type: 'string', minLength: 1, maxLength: 500 } },
        },
        response: { 200: { type: 'object', properties: { ...tokenPairSchema.properties, user: userSchema } } },
      },
    },
    async (request) => ctx.auth.login(request.body.username, request.body.password, request.ip),
  );

  app.post<{ Body: { refreshToken: string } }>(
    '/api/v1/auth/refresh',
    {
      schema: {
        body: { type: 'object', required: ['refreshToken'], additionalProperties: false, properties: { refreshToken: { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 200: tokenPairSchema },
      },
    },
    async (request) => ctx.auth.refresh(request.body.refreshToken),
  );

  // Signs out with the access token, or with the refresh token alone (a client whose access token expired).
  app.post<{ Body: unknown }>('/api/v1/auth/logout', async (request, reply) => {
    // The body is optional (no schema: Fastify would refuse a bodyless request against one).
    const body = request.body;
    if (body !== undefined && (typeof body !== 'object' || body === null || Object.keys(body).some((k) => k !== 'refreshToken'))) {
      throw new AppError(400, 'invalid-request', 'The logout body may only hold { "refreshToken" }.');
    }
    const refreshToken = (body as { refreshToken?: unknown } | undefined)?.refreshToken;
    if (refreshToken !== undefined && typeof refreshToken !== 'string') throw new AppError(400, 'invalid-request', 'refreshToken must be a string.');
    if (request.headers.authorization || !refreshToken) {
      const principal = await authenticate(ctx.auth, request);
      await ctx.auth.logout(principal.sessionId);
    } else {
      await ctx.auth.logoutWithRefreshToken(refreshToken);
    }
    return reply.status(204).send();
  });

  app.get('/api/v1/auth/me', { schema: { response: { 200: userSchema } } }, async (request) => (await authenticate(ctx.auth, request)).user);
}
