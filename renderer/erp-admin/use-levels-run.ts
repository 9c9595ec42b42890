/**
 * "Read ERP levels now": one levels run at a time, its answer kept for the
 * Inventory levels section, and the overview refreshed after (a run posts
 * corrections through the ledger).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiResult, ErpAdminApi } from './admin-api.js';
import type { LevelsRun } from './erp-wire.js';

export interface LevelsRunState {
  running: boolean;
  /** The last run's answer, or why there was none; null before the first. */
  result: ApiResult<LevelsRun> | null;
  run(): void;
}

export function useLevelsRun(api: Pick<ErpAdminApi, 'runLevels'>, after: () => void): LevelsRunState {
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ApiResult<LevelsRun> | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async () => {
    setRunning(true);
    const answer = await api.runLevels();
    if (!mounted.current) return;
    setResult(answer);
    setRunning(false);
    after();
  }, [api, after]);

  return { running, result, run: () => void run() };
}
