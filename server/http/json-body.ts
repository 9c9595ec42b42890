import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';

/**
 * JSON bodies parsed with prototype-poisoning protection, like Fastify's own
 * parser, except that an empty body is "no body" instead of an error: many
 * clients send `Content-Type: application/json` on every request, including a
 * bodyless logout. Routes that need a body still answer 400 through their schema.
 */
export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      const error = Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
      done(error, undefined);
    }
  });
}
