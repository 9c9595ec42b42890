import type { Role } from '../../shared/wire.js';
import type { AuthProblem } from './problems.js';

/** What the UI needs to know about the session: plain data, kept in the UI store. */
export type SessionView =
  | { status: 'starting' }
  | { status: 'signed-out'; problem: AuthProblem | null; serverUrl: string | null; username: string | null }
  | { status: 'signing-in' }
  | { status: 'signed-in'; serverUrl: string; username: string; role: Role | null };
