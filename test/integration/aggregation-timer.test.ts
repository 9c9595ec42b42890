/**
 * Aggregation on its own: the timer runs one run at a time, survives a run
 * that fails (logged, counted, never a crash) and stops on close; a server
 * with an interval aggregates what clients post without anyone asking.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAggregationTimer } from '../../server/ledger/aggregation/timer.js';
import { adjustment, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { productId, warehouseId } from './api-support.js';

/** Polls until `check` holds; the deadline only bounds a broken run, nothing asserts how long it took. */
async function until(what: string, check: () => Promise<boolean> | boolean, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the aggregation timer', () => {
  it('reports a failed run and goes on with the next one', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const timer = startAggregationTimer(
      5,
      () => {
        runs += 1;
        return runs === 1 ? Promise.reject(new Error('store unreachable')) : Promise.resolve();
      },
      (error) => errors.push(error),
    );
    await until('three runs', () => runs >= 3);
    await timer.stop();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('store unreachable');
  });

  it('never overlaps runs, and stop() waits for the run in progress', async () => {
    let active = 0;
    let maxActive = 0;
    let release: (() => void) | undefined;
    let finished = 0;
    const timer = startAggregationTimer(
      1,
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => (release = r));
        active -= 1;
        finished += 1;
      },
      () => undefined,
    );
    await until('a run to start', () => active === 1);
    let stopped = false;
    const stopping = timer.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release?.();
    await stopping;
    expect(finished).toBe(1);
    expect(maxActive).toBe(1);
  });

  it('wake() runs now instead of at the next tick; wakes during a run make one more run; none when off or stopped', async () => {
    // An hour's interval: only a wake can make these runs happen within the test.
    let runs = 0;
    let release: (() => void) | undefined;
    const timer = startAggregationTimer(
      3_600_000,
      async () => {
        runs += 1;
        await new Promise<void>((r) => (release = r));
      },
      () => undefined,
    );
    timer.wake();
    await until('the woken run', () => runs === 1);
    // Three wakes while it runs: one more run after it, not three, and never two at once.
    timer.wake();
    timer.wake();
    timer.wake();
    expect(runs).toBe(1);
    release?.();
    await until('the one run the wakes asked for', () => runs === 2);
    release?.();
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(2);
    await timer.stop();
    timer.wake();
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(2);

    const off = startAggregationTimer(0, () => ((runs += 1), Promise.resolve()), () => undefined);
    off.wake();
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(2);
    await off.stop();
  });

  it('a logger that throws does not stop the timer', async () => {
    let runs = 0;
    const timer = startAggregationTimer(
      2,
      () => ((runs += 1), Promise.reject(new Error('fails every time'))),
      () => {
        throw new Error('logger broken');
      },
    );
    await until('two runs', () => runs >= 2);
    await timer.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});

describe('a server with an aggregation interval', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('aggregates and posts what a client pushed without being asked, and closes cleanly', async () => {
    server = await startTestServer({ config: { aggregation: { intervalMs: 25, maxLinesPerJournal: 1000, batchSize: 100 } } });
    const s = server;
    const tx = adjustment({ warehouseId: warehouseId('TRUCK-1'), productId: productId(1003), quantity: 2 });
    expect((await pushNew(s, await s.token('tech1'), 'inventoryTransactions', [tx])).body).toEqual([]);
    const db = s.fieldstock.ctx.store.db;
    await until('the line to be aggregated and posted', async () => {
      const line = await db.selectFrom('journal_lines').select(['erp_journal_id', 'erp_line_number']).where('source_id', '=', tx.id).executeTakeFirst();
      if (!line?.erp_journal_id || line.erp_line_number === null) return false;
      const erp = await db.selectFrom('erp_journal_lines').select('status').where('journal_id', '=', line.erp_journal_id).where('line_number', '=', line.erp_line_number).executeTakeFirst();
      return erp?.status === 'posted';
    });
    await s.close();
    server = undefined;
  });

  it('keeps serving when a run fails, and counts the failure', async () => {
    server = await startTestServer({ config: { aggregation: { intervalMs: 25, maxLinesPerJournal: 1000, batchSize: 100 } } });
    const s = server;
    // A store that lost a table: every run fails until someone repairs it.
    await s.fieldstock.ctx.store.db.schema.dropTable('erp_journal_lines').execute();
    expect((await pushNew(s, await s.token('tech1'), 'inventoryTransactions', [adjustment({ warehouseId: warehouseId('TRUCK-1'), productId: productId(1004), quantity: 1 })])).body).toEqual([]);
    const failures = async () => {
      const text = await (await fetch(`${s.url}/metrics`)).text();
      return Number(/fieldstock_aggregation_runs_total\{outcome="error"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    await until('two failed runs', async () => (await failures()) >= 2);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const pending = await s.fieldstock.ctx.store.db.selectFrom('journal_lines').select('aggregation_status').execute();
    expect(pending.every((l) => l.aggregation_status === 'pending')).toBe(true);
  });
});
