/**
 * One trace at a time: asks the admin trace route for a target and keeps the
 * answer (or the server's problem). A trace asked for while another is on
 * its way wins: the older answer is dropped when it arrives.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentTrace } from '../../shared/erp/trace-wire.js';
import type { ApiProblem, ApiResult, ErpAdminApi } from './admin-api.js';
import type { TraceTarget } from './trace-target.js';
import { problemText } from './use-erp-overview.js';

export interface TraceState {
  /** What was traced last (or is being traced). */
  target: TraceTarget | null;
  loading: boolean;
  result: ApiResult<DocumentTrace> | null;
  trace(target: TraceTarget): void;
}

export function useTrace(api: Pick<ErpAdminApi, 'trace' | 'traceErp'>): TraceState {
  const [target, setTarget] = useState<TraceTarget | null>(null);
  const [loading, setLoading] = useState(false);
  const [result, setResult] = useState<ApiResult<DocumentTrace> | null>(null);
  const latest = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const trace = useCallback(
    (next: TraceTarget) => {
      const request = ++latest.current;
      setTarget(next);
      setLoading(true);
      const answer = next.kind === 'document' ? api.trace(next.collection, next.id) : api.traceErp(next.map, next.erpId);
      void answer.then((value) => {
        if (!mounted.current || request !== latest.current) return;
        setResult(value);
        setLoading(false);
      });
    },
    [api],
  );

  return { target, loading, result, trace };
}

/** The server's no to a trace, in words: what was not found, or what was wrong with the question. */
export function traceProblemText(problem: ApiProblem): string {
  if (problem.status === 404) return `Nothing to trace: ${problem.message}`;
  if (problem.status === 400) return `The server cannot trace that: ${problem.message} (${problem.code})`;
  return problemText(problem);
}
