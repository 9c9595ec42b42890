import { OUTBOX_NAME, type OutboxHandler, type OutboxHooks } from './types.js';

/**
 * Which code delivers which (map, operation). One instance per app
 * (AppContext.outboxHandlers), not per process: two backends in one process
 * (test servers, two apps) each deliver with their own handlers, and one's
 * close cannot remove the other's. The worker only claims items it has a
 * handler for; the others wait in `pending` (visible in the status as lag),
 * so an item is never failed for want of code that a later release or
 * another instance has.
 */
export class OutboxHandlers {
  private readonly byKey = new Map<string, { map: string; operation: string; handler: OutboxHandler; hooks: OutboxHooks }>();

  /**
   * Registers how items of `map`/`operation` reach the ERP, e.g.
   *
   *   ctx.outboxHandlers.register('warehouses', 'create', async (item) => {
   *     const { erpId } = await connector.createOnce('stock.location', item.idempotencyKey, values(item.payload));
   *     return { erpId };
   *   });
   *
   * `hooks.onDone` / `hooks.onPoison` run in the transaction that records the
   * outcome (see OutboxHooks). Returns a function that removes it again.
   * Throws on a bad name or a second handler for the pair.
   */
  register(map: string, operation: string, handler: OutboxHandler, hooks: OutboxHooks = {}): () => void {
    for (const [what, value] of [
      ['map', map],
      ['operation', operation],
    ] as const) {
      if (!OUTBOX_NAME.test(value)) throw new Error(`outbox handler: ${what} "${value}" must match ${String(OUTBOX_NAME)}`);
    }
    const key = keyOf(map, operation);
    if (this.byKey.has(key)) throw new Error(`outbox handler for ${map}/${operation} is already registered`);
    const entry = { map, operation, handler, hooks };
    this.byKey.set(key, entry);
    return () => {
      if (this.byKey.get(key) === entry) this.byKey.delete(key);
    };
  }

  get(map: string, operation: string): { handler: OutboxHandler; hooks: OutboxHooks } | undefined {
    return this.byKey.get(keyOf(map, operation));
  }

  /** The (map, operation) pairs with a handler. */
  pairs(): { map: string; operation: string }[] {
    return [...this.byKey.values()].map(({ map, operation }) => ({ map, operation }));
  }

  operationsOf(map: string): string[] {
    return this.pairs()
      .filter((p) => p.map === map)
      .map((p) => p.operation)
      .sort();
  }
}

const keyOf = (map: string, operation: string) => `${map}\u0000${operation}`;
