import { AuthFailure } from '../session/tokens.js';
import { problemMessage } from '../session/problems.js';
import { SyncHttpError } from './http-replication.js';

export interface DescribedError {
  code: string;
  message: string;
  /** The server could not be reached at all (as opposed to answering with an error). */
  offline: boolean;
}

const UNREACHABLE = 'Cannot reach the server. Changes are kept on this device and uploaded when the connection is back.';

/** Turns whatever a handler threw into something the status bar can show. */
export function describeSyncError(error: unknown): DescribedError {
  if (error instanceof SyncHttpError) {
    // A proxy answering for a backend that is down.
    if (error.status === 502 || error.status === 504) return { code: 'network-error', message: UNREACHABLE, offline: true };
    return { code: error.code, message: error.message, offline: false };
  }
  if (error instanceof AuthFailure) {
    if (error.problem.kind === 'unreachable') return { code: 'network-error', message: UNREACHABLE, offline: true };
    return { code: error.problem.kind, message: problemMessage(error.problem), offline: false };
  }
  // fetch() rejects with a TypeError when no answer came back, and with an AbortError on timeout.
  if (error instanceof TypeError || (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))) {
    return { code: 'network-error', message: UNREACHABLE, offline: true };
  }
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : 'sync-error';
    return { code, message: error.message, offline: false };
  }
  return { code: 'sync-error', message: String(error), offline: false };
}
