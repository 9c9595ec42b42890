export interface AggregationConfig {
  /** How often the server aggregates and delivers on its own; 0: only when an admin asks. */
  intervalMs: number;
  /** ERP journals are split so none has more lines than this. */
  maxLinesPerJournal: number;
  /** About how many posting lines one aggregation transaction takes (whole posting journals). */
  batchSize: number;
}

export function atLeastOne(value: number, name: string): number {
  if (value < 1) throw new Error(`${name} must be at least 1, not ${value}`);
  return value;
}
