import { useObservable } from '../app/use-observable.js';
import { useServices } from '../app/services.js';
import type { ActiveSession } from './controller.js';

/** The signed-in session (database, sync engine, user), or null. */
export function useActiveSession(): ActiveSession | null {
  const { controller } = useServices();
  return useObservable(controller.active$, controller.active);
}

/** For screens shown only while signed in. */
export function useRequiredSession(): ActiveSession {
  const session = useActiveSession();
  if (!session) throw new Error('this screen needs a signed-in session');
  return session;
}
