/**
 * Keeps the ERP overview fresh: loads on open, on "Refresh", every 15 s
 * while the page is visible (and at once when it becomes visible again),
 * and after each action. Actions report their own problem as a message.
 * While an inbound sync run asked for here goes on, the sync status is read
 * every few seconds so its row shows the progress.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ActiveSession } from '../session/controller.js';
import { erpAdminApi, type ApiProblem, type ApiResult, type ErpAdminApi } from './admin-api.js';
import type { SyncRunKind } from './erp-wire.js';
import { loadOverview, type ErpOverview } from './load-overview.js';
import { runOutcome, type RunOutcome } from './sync-run-words.js';

export const AUTO_REFRESH_MS = 15_000;
/** How often the sync status is read while a run asked for here goes on. */
export const RUN_POLL_MS = 2_000;

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
  /** The inbound run this screen waits for (one at a time; the outbox actions stay usable meanwhile). */
  syncing: { map: string; kind: SyncRunKind | null } | null;
  /** The summary of the last run asked for here, or why it could not run. */
  syncOutcome: RunOutcome | null;
  /** Runs a map now; without a kind the server picks (changes, or initial before the first sweep). */
  runSync(map: string, kind?: SyncRunKind): void;
}

/** `fetch`: the HTTP client, when not the global one (tests replay recorded server answers). */
export function useErpOverview(session: Pick<ActiveSession, 'serverUrl' | 'tokens'>, fetch?: typeof globalThis.fetch): ErpOverviewState {
  const api = useMemo(() => erpAdminApi({ serverUrl: session.serverUrl, tokens: session.tokens, fetch }), [session.serverUrl, session.tokens, fetch]);
  const [overview, setOverview] = useState<ErpOverview | null>(null);
  const [loading, setLoading] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [syncing, setSyncing] = useState<ErpOverviewState['syncing']>(null);
  const [syncOutcome, setSyncOutcome] = useState<RunOutcome | null>(null);
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

  // Only the sync status, merged into the overview: the other reads do not change during a run.
  useEffect(() => {
    if (!syncing) return;
    const timer = setInterval(() => {
      void api.sync().then((sync) => {
        if (mounted.current) setOverview((current) => (current ? { ...current, sync } : current));
      });
    }, RUN_POLL_MS);
    return () => clearInterval(timer);
  }, [api, syncing]);

  const runSync = useCallback(
    async (map: string, kind?: SyncRunKind) => {
      setSyncing({ map, kind: kind ?? null });
      setSyncOutcome(null);
      const result = await api.runSync(map, kind);
      if (!mounted.current) return;
      setSyncOutcome(result.ok ? runOutcome(map, result.value) : { intent: 'error', message: `${map} did not run: ${problemText(result.problem)}` });
      setSyncing(null);
      await refresh();
    },
    [api, refresh],
  );

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
    syncing,
    syncOutcome,
    runSync: (map, kind) => void runSync(map, kind),
  };
}

export function problemText(problem: ApiProblem): string {
  if (problem.status === 403) return 'Only an administrator can see the ERP integration.';
  return `${problem.message} (${problem.code})`;
}
