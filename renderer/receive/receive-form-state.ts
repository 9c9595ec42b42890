/**
 * The receiving form's typed state as a reducer: typing, scanning and
 * clearing all derive the next quantities from the current ones, so a scan
 * that arrives right after a keystroke never works from a stale copy.
 */
import type { DeepReadonly } from 'rxdb';
import type { Product } from '../../shared/collections.js';
import type { TypedQuantities } from './receipt-draft.js';
import type { ReceiveLine } from './receive-lines.js';
import { applyScan } from './scan.js';

export interface ReceiveFormState {
  typed: TypedQuantities;
  /** What the last scan did, shown beside the scan field until the next one. */
  scan: { ok: boolean; message: string } | null;
}

export type ReceiveFormAction =
  | { type: 'type'; lineNumber: number; text: string }
  | { type: 'scan'; code: string; lines: readonly ReceiveLine[]; products: ReadonlyMap<string, DeepReadonly<Product>>; poNumber: string }
  | { type: 'saved' };

export const EMPTY_FORM: ReceiveFormState = { typed: {}, scan: null };

export function receiveFormReducer(state: ReceiveFormState, action: ReceiveFormAction): ReceiveFormState {
  switch (action.type) {
    case 'type':
      return { ...state, typed: { ...state.typed, [action.lineNumber]: action.text } };
    case 'scan': {
      const outcome = applyScan(action.code, action.lines, action.products, state.typed, action.poNumber);
      if (!outcome.ok) return { ...state, scan: { ok: false, message: outcome.message } };
      return { typed: { ...state.typed, [outcome.lineNumber]: outcome.quantity }, scan: { ok: true, message: outcome.message } };
    }
    case 'saved':
      return EMPTY_FORM;
  }
}
