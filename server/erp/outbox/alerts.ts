import type { Kysely } from 'kysely';
import type { Database } from '../../store/tables.js';
import { countByMap, isAlerting } from './status.js';
import type { OutboxLog } from './worker.js';

/**
 * Raises one warning when a map's poison items or retry backlog reach the
 * threshold, and one note when it drops below again, rather than one line
 * per failed item (which would bury the signal in a long outage). The
 * state is this process's; the gauge fieldstock_erp_outbox_alert is read
 * from the store, so every instance reports the same.
 */
export class OutboxAlerts {
  private readonly alerting = new Set<string>();
  private checked = false;

  constructor(
    private readonly threshold: number,
    private readonly log: OutboxLog | undefined,
  ) {}

  /** Worth a query: after a run that changed something, while an alert is up, and once at start (an alert that outlived a restart). */
  needsCheck(runChangedSomething: boolean): boolean {
    return runChangedSomething || this.alerting.size > 0 || !this.checked;
  }

  async check(db: Kysely<Database>): Promise<string[]> {
    this.checked = true;
    const counts = await countByMap(db, { includeDone: false });
    const now = new Set<string>();
    for (const c of counts.values()) {
      if (!isAlerting(c, this.threshold)) continue;
      now.add(c.map);
      if (!this.alerting.has(c.map)) {
        this.log?.warn(
          { map: c.map, poison: c.depth.poison, retrying: c.retrying, threshold: this.threshold },
          `ERP outbox: map "${c.map}" has ${c.depth.poison} poison and ${c.retrying} retrying items (alert threshold ${this.threshold}); see GET /api/v1/admin/erp/outbox?map=${c.map}`,
        );
      }
    }
    for (const map of this.alerting) {
      if (!now.has(map)) this.log?.info({ map }, `ERP outbox: map "${map}" is below the alert threshold again`);
    }
    this.alerting.clear();
    for (const map of now) this.alerting.add(map);
    return [...now].sort();
  }
}
