/**
 * Keeps the ERP overview fresh: loads on open, on "Refresh", every 15 s
 * while the page is visible (and at once when it becomes visible again),
 * and after each action. Actions report their own problem as a message.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ActiveSession } from '../session/controller.js';
import { erpAdminApi, type ApiProblem, type ApiResult, type ErpAdminApi } from './admin-api.js';
import { loadOverview, type ErpOverview } from './load-overview.js';

export const AUTO_REFRESH_MS = 15_000;

export interface ActionOutcome {
  ok: boolean;
  message: string;
}

export interface ErpOverviewState {
  /** The admin API of this session, for the screen's other reads (the trace). */
  api: ErpAdminApi;
  overview: ErpOverview | null;
  loading: boolean;
  /** What the last action did, or why it failed. */
  outcome: ActionOutcome | null;
  /** The action in progress, e.g. "retry:<id>" or "pause:<map>", so only its button waits. */
  busy: string | null;
  refresh(): void;
  retry(id: string): void;
  setPaused(map: string, paused: boolean): void;
}

export function useErpOverview(session: Pick<ActiveSession, 'serverUrl' | 'tokens'>): ErpOverviewState {
  const api = useMemo(() => erpAdminApi({ serverUrl: session.serverUrl, tokens: session.tokens }), [session.serverUrl, session.tokens]);
  const [overview, setOverview] = useState<ErpOverview | null>(null);
  const [loading, setLoading] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const mounted = useRef(true);
  // A refresh asked for while one runs waits for it, so answers never arrive out of order.
  const inFlight = useRef<Promise<void> | null>(null);

  const refresh = useCallback((): Promise<void> => {
    const run = (inFlight.current ?? Promise.resolve()).then(async () => {
      if (!mounted.current) return;
      setLoading(true);
      const next = await loadOverview(api);
      if (!mounted.current) return;
      setOverview(next);
      setLoading(false);
    });
    inFlight.current = run;
    return run;
  }, [api]);

  useEffect(() => {
    mounted.current = true;
    void refresh();
    const tick = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    const timer = setInterval(tick, AUTO_REFRESH_MS);
    document.addEventListener('visibilitychange', tick);
    return () => {
      mounted.current = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [refresh]);

  const act = useCallback(
    async (key: string, run: () => Promise<ApiResult<unknown>>, done: string) => {
      setBusy(key);
      const result = await run();
      if (!mounted.current) return;
      setOutcome(result.ok ? { ok: true, message: done } : { ok: false, message: problemText(result.problem) });
      setBusy(null);
      await refresh();
    },
    [refresh],
  );

  return {
    api,
    overview,
    loading,
    outcome,
    busy,
    refresh: () => void refresh(),
    retry: (id) => void act(`retry:${id}`, () => api.retry(id), `Item ${id} is pending again and will be delivered on the next round.`),
    setPaused: (map, paused) =>
      void act(
        `${paused ? 'pause' : 'resume'}:${map}`,
        () => (paused ? api.pause(map) : api.resume(map)),
        paused ? `Map ${map} is paused: its changes are queued but not delivered.` : `Map ${map} is running again.`,
      ),
  };
}

export function problemText(problem: ApiProblem): string {
  if (problem.status === 403) return 'Only an administrator can see the ERP integration.';
  return `${problem.message} (${problem.code})`;
}
