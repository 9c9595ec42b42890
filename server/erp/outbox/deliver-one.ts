import { ErpError, isErpError } from '../errors.js';
import type { OutboxError } from '../../../shared/erp/outbox-wire.js';
import type { OutboxDelivery, OutboxHandler, OutboxHandlerResult } from './types.js';

export type HandlerAnswer = { ok: true; erpId: string | null } | { ok: false; error: OutboxError; retryable: boolean };

/**
 * Calls a handler once, outside any transaction, bounded by `timeoutMs`:
 * past it the handler's signal is aborted and the attempt counts as an
 * `erp-timeout` (retryable; the write may have happened, which the
 * idempotency key makes safe to repeat). Never throws.
 */
export async function callHandler(handler: OutboxHandler, item: Omit<OutboxDelivery, 'signal'>, timeoutMs: number): Promise<HandlerAnswer> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new ErpError('erp-timeout', `The delivery did not finish within ${timeoutMs} ms.`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const result = (await Promise.race([handler({ ...item, signal: controller.signal }), timeout])) as OutboxHandlerResult | void;
    const erpId = result && typeof result === 'object' ? result.erpId : undefined;
    return { ok: true, erpId: typeof erpId === 'string' && erpId !== '' ? erpId : null };
  } catch (error) {
    return classify(error);
  } finally {
    clearTimeout(timer);
  }
}

/** ErpError says itself whether it is worth retrying; anything else is unexpected and retried until the attempts run out. */
export function classify(error: unknown): { ok: false; error: OutboxError; retryable: boolean } {
  if (isErpError(error)) return { ok: false, error: { code: error.code, message: error.message }, retryable: error.retryable };
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: 'internal-error', message: message || 'The handler failed without a message.' }, retryable: true };
}
