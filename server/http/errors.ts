import type { ErrorCode } from '../../shared/errors.js';

/** An error meant for the client: a status, a code from the shared union, and a message for people. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const unauthorized = (message = 'Sign in first: this route needs a valid access token.') =>
  new AppError(401, 'unauthorized', message);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const badRequest = (message: string) => new AppError(400, 'invalid-request', message);
export const notFound = (message: string) => new AppError(404, 'not-found', message);
