/**
 * What the levels run asks the ERP, per adapter: its on hand, and how far it
 * has applied the journals we delivered (the two must be read so they agree;
 * see run.ts for why).
 */
import type { Units } from '../../../shared/decimal.js';
import type { ErpConnector } from '../connector.js';

/** Per ERP journal line (`<our ERP journal id>#<line number>`) that the ERP holds anything of. */
export type AppliedState = 'applied' | 'not-applied' | 'partial';

export interface ErpLevelSource {
  /** On hand per product ERP id in the warehouse (its sub-locations included), in the product's stock unit; products the ERP does not know are left out. */
  onHand(warehouseErpId: string, productErpIds: readonly string[]): Promise<Map<string, Units>>;
  /** How far the ERP applied each line of these ERP journals (lines it holds nothing of are left out). */
  applied(erpJournalIds: readonly string[]): Promise<Map<string, AppliedState>>;
  /**
   * The ERP outbox map receipts reach the ERP through (through their
   * purchase order, never as journals), with the receipt id as dedupe key;
   * undefined when receipts travel as journals like the rest.
   */
  readonly receiptsMap: string | undefined;
  /** How far the ERP applied each of these receipts (left out: it holds nothing of them). */
  receiptsApplied(receiptIds: readonly string[]): Promise<Map<string, AppliedState>>;
}

export const lineKey = (journalId: string, lineNumber: number) => `${journalId}#${lineNumber}`;

/** The adapter's own (ErpConnector.levels); undefined for adapters that cannot read levels (`none`: Fieldstock is the master). */
export function levelSourceFor(connector: ErpConnector): ErpLevelSource | undefined {
  return connector.levels;
}
