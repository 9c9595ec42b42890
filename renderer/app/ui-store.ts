/**
 * UI state only: where the user is, what they filter and which dialog is
 * open, plus the session's status as the UI shows it. Domain documents never
 * come here; they flow from RxDB live queries through hooks.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TransactionType } from '../../shared/schemas/inventory-transactions.js';
import type { SessionView } from '../session/session-view.js';

export const SCREENS = ['warehouses', 'stock', 'receive', 'moves', 'attention', 'history', 'erp'] as const;
/** Screens only some roles see (the navigation hides them from the rest). */
export const ADMIN_SCREENS: ReadonlySet<Screen> = new Set<Screen>(['erp']);
export type Screen = (typeof SCREENS)[number];

export function isScreen(value: unknown): value is Screen {
  return (SCREENS as readonly unknown[]).includes(value);
}

export type Dialog = 'sign-out' | null;

export interface StockFilter {
  warehouseId: string | null;
  text: string;
}

/** What "Adjust" on a stock row asks the adjustment form to start with: ids only, never documents. */
export interface AdjustPrefill {
  warehouseId: string;
  productId: string;
}

/** What the stock moves form starts with: a type and ids only; a fix names the rejected document it corrects. */
export interface MovePrefill {
  type: TransactionType;
  warehouseId?: string;
  productId?: string;
  correctsId?: string;
}

/** What the Receive screen opens on for a fix: the order and the rejected receipt it corrects, ids only. */
export interface ReceivePrefill {
  purchaseOrderId: string;
  correctsId: string;
}

/** What the ERP screen's "Trace a document" opens on (Needs attention's "Trace"): a collection and an id only. */
export interface TracePrefill {
  collection: 'inventoryTransactions' | 'receipts';
  id: string;
}

/** Whose journal history the History screen shows: a warehouse and a product, ids only. */
export interface HistoryFocus {
  warehouseId: string | null;
  productId: string | null;
}

export interface UiState {
  session: SessionView;
  screen: Screen;
  stockFilter: StockFilter;
  movePrefill: MovePrefill | null;
  receivePrefill: ReceivePrefill | null;
  tracePrefill: TracePrefill | null;
  dialog: Dialog;
  historyFocus: HistoryFocus;
  setSession(session: SessionView): void;
  navigate(screen: Screen): void;
  setStockFilter(change: Partial<StockFilter>): void;
  /** Opens the adjustment screen for one product in one warehouse. */
  openAdjust(prefill: AdjustPrefill): void;
  /** Opens the stock moves screen on one type of move, optionally prefilled. */
  openMove(prefill: MovePrefill): void;
  /** Opens the Receive screen on one order, to correct a rejected receipt of it. */
  openReceive(prefill: ReceivePrefill): void;
  /** Opens the ERP screen tracing one document (administrators only see that screen). */
  openTrace(prefill: TracePrefill): void;
  /** Opens the stock screen on one warehouse, with no search left from before. */
  showStock(warehouseId: string): void;
  openDialog(dialog: Exclude<Dialog, null>): void;
  closeDialog(): void;
  /** Opens the History screen on one product in one warehouse (the stock row's "History"). */
  showHistory(focus: HistoryFocus): void;
  setHistoryFocus(change: Partial<HistoryFocus>): void;
}

const NAVIGATION_DEFAULTS = {
  screen: 'warehouses',
  stockFilter: { warehouseId: null, text: '' },
  movePrefill: null,
  receivePrefill: null,
  tracePrefill: null,
  dialog: null,
  historyFocus: { warehouseId: null, productId: null },
} as const satisfies Pick<UiState, 'screen' | 'stockFilter' | 'movePrefill' | 'receivePrefill' | 'tracePrefill' | 'dialog' | 'historyFocus'>;

export type UiStore = StoreApi<UiState>;

export function createUiStore(): UiStore {
  return createStore<UiState>()((set) => ({
    session: { status: 'starting' },
    ...NAVIGATION_DEFAULTS,
    setSession: (session) =>
      // The next user starts where a new user would, not in the previous user's filters.
      set(session.status === 'signed-in' ? { session } : { session, ...NAVIGATION_DEFAULTS }),
    // Choosing a screen in the menu starts it afresh: a prefill is only for the "Adjust" or "Fix" that asked for it.
    navigate: (screen) => set({ screen, movePrefill: null, receivePrefill: null, tracePrefill: null }),
    setStockFilter: (change) => set((state) => ({ stockFilter: { ...state.stockFilter, ...change } })),
    openAdjust: (prefill) => set({ screen: 'moves', movePrefill: { type: 'adjustment', warehouseId: prefill.warehouseId, productId: prefill.productId } }),
    openMove: (prefill) => set({ screen: 'moves', movePrefill: { ...prefill } }),
    openReceive: (prefill) => set({ screen: 'receive', receivePrefill: { purchaseOrderId: prefill.purchaseOrderId, correctsId: prefill.correctsId } }),
    openTrace: (prefill) => set({ screen: 'erp', tracePrefill: { collection: prefill.collection, id: prefill.id } }),
    showStock: (warehouseId) => set({ screen: 'stock', stockFilter: { warehouseId, text: '' } }),
    openDialog: (dialog) => set({ dialog }),
    closeDialog: () => set({ dialog: null }),
    showHistory: (focus) => set({ screen: 'history', historyFocus: { ...focus } }),
    setHistoryFocus: (change) => set((state) => ({ historyFocus: { ...state.historyFocus, ...change } })),
  }));
}

export const UiStoreContext = createContext<UiStore | null>(null);

/** Reads the UI store with a narrow selector, so a component re-renders only when its slice changes. */
export function useUi<T>(selector: (state: UiState) => T): T {
  const store = useContext(UiStoreContext);
  if (!store) throw new Error('useUi needs a UiStoreContext provider');
  return useStore(store, selector);
}
