import type { FastifyRequest } from 'fastify';
import type { Role } from '../../shared/wire.js';
import type { AuthService, Principal } from '../auth/service.js';
import { forbidden, unauthorized } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Reads the bearer token (header only: never from the URL, where it would land in logs). */
export async function authenticate(auth: AuthService, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw unauthorized();
  const principal = await auth.authenticate(match[1]);
  request.principal = principal;
  return principal;
}

export function requireRole(principal: Principal, roles: readonly Role[]): void {
  if (!roles.includes(principal.user.role)) {
    throw forbidden(`This needs the ${roles.join(' or ')} role; you are signed in as ${principal.user.role}.`);
  }
}
