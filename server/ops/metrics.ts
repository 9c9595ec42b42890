import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so several instances (tests) never share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fieldstock_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'fieldstock_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    pushedRows: new Counter({ name: 'fieldstock_pushed_rows_total', help: 'Rows received by replication push', labelNames: ['collection'], registers: [registry] }),
    conflicts: new Counter({ name: 'fieldstock_push_conflicts_total', help: 'Pushed rows answered as conflicts', labelNames: ['collection'], registers: [registry] }),
    quarantined: new Counter({
      name: 'fieldstock_push_quarantined_total',
      help: 'Pushed rows set aside as invalid or out of scope',
      labelNames: ['collection'],
      registers: [registry],
    }),
    postings: new Counter({ name: 'fieldstock_postings_total', help: 'Source documents posted or rejected', labelNames: ['collection', 'outcome'], registers: [registry] }),
    pulledDocs: new Counter({ name: 'fieldstock_pulled_documents_total', help: 'Documents served by pull', labelNames: ['collection'], registers: [registry] }),
    streams: new Gauge({ name: 'fieldstock_open_streams', help: 'Open replication event streams', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
