/**
 * UI state only: where the user is, what they filter and which dialog is
 * open, plus the session's status as the UI shows it. Domain documents never
 * come here; they flow from RxDB live queries through hooks.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionView } from '../session/session-view.js';

export const SCREENS = ['warehouses', 'stock', 'adjust'] as const;
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

export interface UiState {
  session: SessionView;
  screen: Screen;
  stockFilter: StockFilter;
  adjustPrefill: AdjustPrefill | null;
  dialog: Dialog;
  setSession(session: SessionView): void;
  navigate(screen: Screen): void;
  setStockFilter(change: Partial<StockFilter>): void;
  /** Opens the adjustment screen for one product in one warehouse. */
  openAdjust(prefill: AdjustPrefill): void;
  /** Opens the stock screen on one warehouse, with no search left from before. */
  showStock(warehouseId: string): void;
  openDialog(dialog: Exclude<Dialog, null>): void;
  closeDialog(): void;
}

const NAVIGATION_DEFAULTS = {
  screen: 'warehouses',
  stockFilter: { warehouseId: null, text: '' },
  adjustPrefill: null,
  dialog: null,
} as const satisfies Pick<UiState, 'screen' | 'stockFilter' | 'adjustPrefill' | 'dialog'>;

export type UiStore = StoreApi<UiState>;

export function createUiStore(): UiStore {
  return createStore<UiState>()((set) => ({
    session: { status: 'starting' },
    ...NAVIGATION_DEFAULTS,
    setSession: (session) =>
      // The next user starts where a new user would, not in the previous user's filters.
      set(session.status === 'signed-in' ? { session } : { session, ...NAVIGATION_DEFAULTS }),
    // Choosing a screen in the menu starts it afresh: a prefill is only for the "Adjust" that asked for it.
    navigate: (screen) => set({ screen, adjustPrefill: null }),
    setStockFilter: (change) => set((state) => ({ stockFilter: { ...state.stockFilter, ...change } })),
    openAdjust: (prefill) => set({ screen: 'adjust', adjustPrefill: { ...prefill } }),
    showStock: (warehouseId) => set({ screen: 'stock', stockFilter: { warehouseId, text: '' } }),
    openDialog: (dialog) => set({ dialog }),
    closeDialog: () => set({ dialog: null }),
  }));
}

export const UiStoreContext = createContext<UiStore | null>(null);

/** Reads the UI store with a narrow selector, so a component re-renders only when its slice changes. */
export function useUi<T>(selector: (state: UiState) => T): T {
  const store = useContext(UiStoreContext);
  if (!store) throw new Error('useUi needs a UiStoreContext provider');
  return useStore(store, selector);
}
