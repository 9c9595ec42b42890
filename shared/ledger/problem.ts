import type { ErrorCode } from '../errors.js';

/** A reason a document cannot post: the server's rejection, and the app's warning before saving. */
export interface LedgerProblem {
  code: ErrorCode;
  message: string;
}

export const problem = (code: ErrorCode, message: string): LedgerProblem => ({ code, message });
