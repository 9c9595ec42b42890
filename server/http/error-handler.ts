import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

/**
 * One error handler: 4xx answer `{ code, message }` for people and programs;
 * 5xx reveal nothing but a request id to quote.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      void reply.headers(error.headers).status(error.statusCode).send({ code: error.code, message: error.message });
      return;
    }
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      const details = error.validation
        .slice(0, 5)
        .map((v) =>
          v.keyword === 'additionalProperties'
            ? `${v.instancePath || where} has an unknown property "${String((v.params as { additionalProperty?: string }).additionalProperty)}"`
            : `${v.instancePath || where} ${v.message ?? 'is invalid'}`,
        )
        .join('; ');
      void reply.status(400).send({ code: 'invalid-request', message: `Invalid ${where}: ${details}` });
      return;
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        void reply.status(400).send({ code: 'malformed-json', message: 'The request body is not valid JSON.' });
        return;
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        void reply.status(413).send({ code: 'payload-too-large', message: 'The request body is larger than this server accepts.' });
        return;
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        void reply.status(415).send({ code: 'unsupported-media-type', message: 'Send JSON with Content-Type: application/json.' });
        return;
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (bad content length, prototype poisoning, ...)
      void reply.status(error.statusCode).send({ code: 'invalid-request', message: error.message });
      return;
    }
    request.log.error({ err: error }, 'request failed');
    void reply.status(500).send({ code: 'internal-error', message: `Something went wrong on the server (request ${request.id}).` });
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ code: 'not-found', message: `No route ${request.method} ${request.url.split('?')[0]}.` });
  });
}
