/** Prometheus series for the inbound sync, registered on the app's registry (GET /metrics). */
import { Counter, type Registry } from 'prom-client';
import type { RunSummary } from '../../../shared/erp/sync-wire.js';

export interface SyncMetrics {
  observe(map: string, summary: RunSummary): void;
}

export function createSyncMetrics(registry: Registry | undefined): SyncMetrics {
  if (!registry) return { observe: () => undefined };
  const runs = new Counter({ name: 'fieldstock_erp_sync_runs_total', help: 'Inbound ERP sync runs by map, kind and outcome', labelNames: ['map', 'kind', 'outcome'], registers: [registry] });
  const records = new Counter({ name: 'fieldstock_erp_sync_records_total', help: 'ERP records handled by the inbound sync, by map and result', labelNames: ['map', 'result'], registers: [registry] });
  return {
    observe(map, s) {
      runs.inc({ map, kind: s.kind, outcome: s.error ? 'error' : 'ok' });
      const results = { created: s.created, updated: s.updated, linked: s.linked, unchanged: s.unchanged, skipped: s.skipped, echo: s.echoes, failed: s.failed, removed: s.removed };
      for (const [result, n] of Object.entries(results)) if (n > 0) records.inc({ map, result }, n);
    },
  };
}
