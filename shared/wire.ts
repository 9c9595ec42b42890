/** The HTTP contract's wire types, shared by the server and every client. */
import type { ErrorBody } from './errors.js';

export const API_PREFIX = '/api/v1';

export const ROLES = ['technician', 'warehouse', 'integration', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  /** The user's write scope (and read scope for warehouse-bound collections). */
  warehouseIds: string[];
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface LoginResponse extends TokenPair {
  user: SessionUser;
}

export interface CreateUserRequest {
  username: string;
  password: string;
  role: Role;
  warehouseCodes: string[];
}

/** A user as administrators see it (GET /api/v1/admin/users); never carries the password. */
export interface UserSummary {
  id: string;
  username: string;
  role: Role;
  /** Codes of the user's warehouses, sorted (an admin's scope is every warehouse whatever is listed). */
  warehouseCodes: string[];
  disabled: boolean;
}

/** PATCH /api/v1/admin/users/:username: any non-empty subset. */
export interface UpdateUserRequest {
  role?: Role;
  warehouseCodes?: string[];
  disabled?: boolean;
  password?: string;
}

/** Replication checkpoint: the server-assigned change sequence of the last document seen. */
export interface ReplicationCheckpoint {
  seq: number;
  /**
   * The read scope the documents up to `seq` were selected under (opaque, set by the
   * server). When the caller's scope has changed since, the server pulls from the start.
   */
  scope?: string;
}

export interface PullResponse<D> {
  documents: D[];
  checkpoint: ReplicationCheckpoint | null;
}

export interface PushRow<D> {
  assumedMasterState?: D | null;
  newDocumentState: D;
}

/** The stream sends change batches, or "RESYNC" when the client must pull again. */
export type StreamEvent<D> = PullResponse<D> | 'RESYNC';

export const PULL_LIMIT_MAX = 1000;
export const PUSH_ROWS_MAX = 1000;
export const BULK_ADJUSTMENTS_MAX = 512;

export interface BulkAdjustmentEntry {
  id: string;
  warehouseCode: string;
  productNumber: string;
  quantity: number;
  reasonCode?: string;
  externalReference?: { category: string; id: string };
  occurredAt?: string;
}

export interface BulkAdjustmentResult {
  id: string;
  status: 'posted' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
}

export interface OnHandRow {
  warehouseCode: string;
  productNumber: string;
  onHand: number;
  onOrder: number;
  ordered: number;
}

export type ApiError = ErrorBody;
