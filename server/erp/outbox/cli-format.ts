import type { MapStatusView, OutboxItemView, OutboxStatusView } from '../../../shared/erp/outbox-wire.js';

/** "4s", "2m 5s", "3h 12m", "2d 4h": a lag people read at a glance. */
export function formatAge(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const oneLine = (text: string, max = 100) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function mapState(m: MapStatusView): string {
  if (m.paused) return m.reason ? `paused (${oneLine(m.reason, 40)})` : 'paused';
  return m.alert ? 'ALERT' : 'running';
}

export function formatStatus(status: OutboxStatusView): string {
  if (status.maps.length === 0) return 'No ERP outbox items and no paused maps: nothing has been queued for the ERP yet.';
  const rows = status.maps.map((m) => [
    m.map,
    mapState(m),
    String(m.depth.pending),
    String(m.depth['in-flight']),
    String(m.depth.poison),
    String(m.depth.done),
    String(m.retrying),
    formatAge(m.oldestPendingAgeMs),
    m.lastError ? `${m.lastError.code}: ${oneLine(m.lastError.message, 60)} (item ${m.lastError.itemId}, ${m.lastError.at})` : '-',
  ]);
  const alerts = status.maps.filter((m) => m.alert).map((m) => m.map);
  const footer = alerts.length > 0 ? `\n\nAlert (${status.alertThreshold} or more poison or retrying items): ${alerts.join(', ')}. See: npm run erp -- errors` : '';
  return table(['MAP', 'STATE', 'PENDING', 'IN-FLIGHT', 'POISON', 'DONE', 'RETRYING', 'LAG', 'LAST ERROR'], rows) + footer;
}

export function formatErrors(items: OutboxItemView[]): string {
  if (items.length === 0) return 'No failed ERP outbox items: nothing is poison or waiting for a retry.';
  const rows = items.map((i) => [
    i.id,
    i.status,
    `${i.map}/${i.operation}`,
    i.documentId,
    String(i.attempts),
    i.status === 'pending' ? i.nextAttemptAt : '-',
    i.lastError ? `${i.lastError.code}: ${oneLine(i.lastError.message)}` : '-',
  ]);
  const poison = items.filter((i) => i.status === 'poison').length;
  const hint = poison > 0 ? '\n\nRetry a poison item once its cause is fixed: npm run erp -- retry <ID>' : '';
  return table(['ID', 'STATUS', 'MAP/OPERATION', 'DOCUMENT', 'ATTEMPTS', 'NEXT ATTEMPT', 'ERROR'], rows) + hint;
}

export function formatItem(item: OutboxItemView): string {
  return `Item ${item.id} (${item.map}/${item.operation}, document ${item.documentId}) is ${item.status} again and is delivered on the next run.`;
}

export function formatMap(m: MapStatusView): string {
  const waiting = m.depth.pending + m.depth['in-flight'];
  return m.paused
    ? `Map "${m.map}" is paused${m.reason ? ` (${m.reason})` : ''}. Changes keep queuing (${waiting} waiting); resume with: npm run erp -- resume ${m.map}`
    : `Map "${m.map}" is running. ${waiting} waiting item${waiting === 1 ? '' : 's'} will be delivered in order.`;
}
