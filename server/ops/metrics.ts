import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ERP_LINE_STATUSES, type ErpLineStatus } from '../../shared/ledger/erp-status.js';
import type { OutboxGaugeSnapshot } from '../erp/outbox/metrics-source.js';

/** Figures read from the store when Prometheus scrapes (the store, not this process, knows them across instances). */
export interface MetricSources {
  erpLinesByStatus?: () => Promise<ReadonlyMap<ErpLineStatus, number>>;
  linesAwaitingAggregation?: () => Promise<number>;
  erpOutbox?: () => Promise<OutboxGaugeSnapshot>;
}

/** One registry per app instance, so several instances (tests) never share counters. */
export function createMetrics(sources: MetricSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fieldstock_' });
  return {
    erpJournalLines: new Gauge({
      name: 'fieldstock_erp_journal_lines',
      help: 'Aggregated ERP journal lines by status',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        if (!sources.erpLinesByStatus) return;
        const counts = await sources.erpLinesByStatus().catch(() => undefined);
        // Store unreachable: keep the last values, /metrics must still answer.
        if (!counts) return;
        // Every status is reported, 0 included, so an alert on e.g. create-error has a series to watch.
        for (const status of ERP_LINE_STATUSES) this.set({ status }, counts.get(status) ?? 0);
      },
    }),
    linesAwaitingAggregation: new Gauge({
      name: 'fieldstock_journal_lines_awaiting_aggregation',
      help: 'Posted journal lines not yet aggregated into ERP journals',
      registers: [registry],
      async collect() {
        const waiting = await sources.linesAwaitingAggregation?.().catch(() => undefined);
        if (waiting !== undefined) this.set(waiting);
      },
    }),
    ...erpOutboxMetrics(registry, sources.erpOutbox),
    aggregatedLines: new Counter({ name: 'fieldstock_aggregated_lines_total', help: 'Posted journal lines aggregated into ERP journals by this instance', registers: [registry] }),
    aggregationRuns: new Counter({ name: 'fieldstock_aggregation_runs_total', help: 'Aggregation runs by outcome', labelNames: ['outcome'], registers: [registry] }),
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

/**
 * The ERP outbox: queue depth, retry backlog, lag and alert per map (read
 * from the store at scrape time), deliveries and errors (this instance's).
 * A map seen once keeps reporting (0 when drained), so alerts on it always
 * have a series.
 */
function erpOutboxMetrics(registry: Registry, source: (() => Promise<OutboxGaugeSnapshot>) | undefined) {
  const seen = new Set<string>();
  const snapshot = async () => {
    const value = await source?.().catch(() => undefined);
    for (const m of value?.maps ?? []) seen.add(m.map);
    return value;
  };
  const perMap = <T>(value: OutboxGaugeSnapshot, pick: (m: OutboxGaugeSnapshot['maps'][number]) => T, empty: T) =>
    [...seen].map((map) => {
      const found = value.maps.find((m) => m.map === map);
      return [map, found ? pick(found) : empty] as const;
    });
  return {
    erpOutboxItems: new Gauge({
      name: 'fieldstock_erp_outbox_items',
      help: 'ERP outbox items waiting, by map and status (pending, in-flight, poison)',
      labelNames: ['map', 'status'],
      registers: [registry],
      async collect() {
        const value = await snapshot();
        // Store unreachable: keep the last values, /metrics must still answer.
        if (!value) return;
        for (const [map, depth] of perMap(value, (m) => m.depth, { pending: 0, 'in-flight': 0, poison: 0 })) {
          for (const [status, n] of Object.entries(depth)) this.set({ map, status }, n);
        }
      },
    }),
    erpOutboxRetrying: new Gauge({
      name: 'fieldstock_erp_outbox_retrying',
      help: 'ERP outbox items that failed and wait for their next attempt, by map',
      labelNames: ['map'],
      registers: [registry],
      async collect() {
        const value = await snapshot();
        if (value) for (const [map, n] of perMap(value, (m) => m.retrying, 0)) this.set({ map }, n);
      },
    }),
    erpOutboxLag: new Gauge({
      name: 'fieldstock_erp_outbox_oldest_pending_seconds',
      help: 'Age of the oldest undelivered ERP outbox item, by map (0: nothing waits)',
      labelNames: ['map'],
      registers: [registry],
      async collect() {
        const value = await snapshot();
        if (value) for (const [map, age] of perMap(value, (m) => m.oldestPendingAgeSeconds ?? 0, 0)) this.set({ map }, age);
      },
    }),
    erpOutboxAlert: new Gauge({
      name: 'fieldstock_erp_outbox_alert',
      help: '1 while a map has poison or retrying items at or above FIELDSTOCK_ERP_OUTBOX_ALERT_THRESHOLD',
      labelNames: ['map'],
      registers: [registry],
      async collect() {
        const value = await snapshot();
        if (value) for (const [map, alert] of perMap(value, (m) => m.alert, false)) this.set({ map }, alert ? 1 : 0);
      },
    }),
    erpOutboxDeliveries: new Counter({
      name: 'fieldstock_erp_outbox_deliveries_total',
      help: 'ERP outbox deliveries by this instance, by map, operation and outcome (done, retry, poison, stale)',
      labelNames: ['map', 'operation', 'outcome'],
      registers: [registry],
    }),
    erpOutboxErrors: new Counter({
      name: 'fieldstock_erp_outbox_errors_total',
      help: 'Failed ERP outbox deliveries by this instance, by map and error code',
      labelNames: ['map', 'code'],
      registers: [registry],
    }),
  };
}
