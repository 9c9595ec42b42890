/**
 * What one run of the ERP inventory levels did, as the admin API answers it
 * (POST /api/v1/admin/erp/levels/run, docs/api.md "ERP inventory levels").
 * The server builds it (server/erp/levels/run.ts); the ERP screen shows it.
 * Quantities are decimals in base units.
 */

export interface LevelsError {
  code: string;
  message: string;
}

/** A (warehouse, product) pair whose level the run changed, or tried to. */
export interface LevelPosting {
  productNumber: string;
  productId: string;
  /** The ERP's on hand when it was read. */
  erpLevel: number;
  /** What Fieldstock posted that the ERP had not applied at that read. */
  inFlight: number;
  /** Fieldstock's on hand before the run. */
  onHandBefore: number;
  /** erpLevel + inFlight - onHandBefore. */
  delta: number;
  /** The erp-sync posting journal; absent when the posting was refused. */
  journalId?: string;
  /** The inventoryTransactions document that carries the journal. */
  transactionId: string;
  error?: LevelsError;
}

export interface WarehouseLevels {
  warehouseId: string;
  warehouseCode: string;
  /** Products whose ERP level was read. */
  products: number;
  postings: LevelPosting[];
  /** Why nothing was posted for this warehouse this run (the ERP was unreachable, lines were mid-delivery); the next run tries again. */
  skipped?: LevelsError;
}

export interface LevelsRun {
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** Journals posted by this run, over all warehouses. */
  journals: number;
  warehouses: WarehouseLevels[];
  /** Set when the run did nothing at all (no inventory map, no linked warehouse). */
  note?: string;
}
