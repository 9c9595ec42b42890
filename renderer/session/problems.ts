/**
 * Why signing in (or staying signed in) failed, as values the UI turns into
 * sentences. The kinds are what a user can act on: fix the password, check
 * the address or the network, or sign in again.
 */
export type AuthProblem =
  | { kind: 'invalid-credentials' }
  | { kind: 'unreachable'; serverUrl: string }
  | { kind: 'session-expired' }
  | { kind: 'throttled'; retryAfterSeconds: number | null }
  | { kind: 'invalid-server-url' }
  | { kind: 'not-fieldstock'; serverUrl: string }
  | { kind: 'server-error'; code: string; message: string }
  | { kind: 'local-database'; message: string };

export function problemTitle(problem: AuthProblem): string {
  switch (problem.kind) {
    case 'invalid-credentials':
      return 'Wrong user name or password';
    case 'unreachable':
      return 'Server unreachable';
    case 'session-expired':
      return 'Session expired';
    case 'throttled':
      return 'Too many attempts';
    case 'invalid-server-url':
      return 'Invalid server address';
    case 'not-fieldstock':
      return 'Not a Fieldstock server';
    case 'server-error':
      return 'Sign-in failed';
    case 'local-database':
      return 'Local database unavailable';
  }
}

export function problemMessage(problem: AuthProblem): string {
  switch (problem.kind) {
    case 'invalid-credentials':
      return 'The user name or password is incorrect. Check them and try again.';
    case 'unreachable':
      return `Cannot reach the server at ${problem.serverUrl}. Check the server address and your network connection, then try again.`;
    case 'session-expired':
      return 'Your session has expired. Sign in again to continue; changes saved on this device are kept and uploaded after you sign in.';
    case 'throttled':
      return problem.retryAfterSeconds
        ? `Too many failed sign-in attempts. Try again in ${problem.retryAfterSeconds} seconds.`
        : 'Too many failed sign-in attempts. Wait a moment and try again.';
    case 'invalid-server-url':
      return 'Enter the server address starting with http:// or https://, for example https://fieldstock.example.com.';
    case 'not-fieldstock':
      return `The server at ${problem.serverUrl} did not answer like a Fieldstock server. Check the address.`;
    case 'server-error':
      return `The server could not sign you in: ${problem.message} (${problem.code})`;
    case 'local-database':
      return `This device could not open its local database: ${problem.message}`;
  }
}
