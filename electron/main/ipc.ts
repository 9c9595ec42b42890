/**
 * The main side of the IPC contract (shared/ipc.ts). Every call is checked
 * twice before a handler runs: the frame that sent it must be the app's own
 * top-level page (not a foreign page the window was tricked into loading, not
 * an iframe), and its arguments must be exactly what the channel declares.
 * Handlers never throw across IPC: the answer is always an IpcResult.
 */
import {
  INVOKE_CHANNELS,
  INVOKE_VALIDATORS,
  IpcFailure,
  isInvokeChannel,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
  type IpcResult,
} from '../../shared/ipc.js';
import { isAppUrl } from './origin.js';

/** The part of an IpcMainInvokeEvent the checks read. */
export interface SenderEvent {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export type InvokeHandlers<E> = {
  [C in InvokeChannel]: (event: E, ...args: InvokeArgs<C>) => Promise<InvokeResult<C>> | InvokeResult<C>;
};

/** The registration API of ipcMain, narrowed so tests can pass a plain object. */
export interface InvokeRegistry<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
}

export type Dispatch<E> = (channel: string, event: E, args: readonly unknown[]) => Promise<IpcResult<unknown>>;

export interface DispatchOptions {
  /** Where handler failures are logged: their details stay in main. */
  log?: (message: string, error: unknown) => void;
}

export function isTrustedSender(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  // A null frame has navigated or been destroyed since sending: nothing to trust.
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function createDispatcher<E extends SenderEvent>(handlers: InvokeHandlers<E>, options: DispatchOptions = {}): Dispatch<E> {
  const log = options.log ?? ((message, error) => console.error(message, error));
  return async (channel, event, args) => {
    if (!isInvokeChannel(channel)) {
      return { ok: false, error: { code: 'unknown-channel', message: `No IPC channel is named "${channel}".` } };
    }
    if (!isTrustedSender(event)) {
      return { ok: false, error: { code: 'forbidden-sender', message: `"${channel}" may only be called by the Fieldstock app itself.` } };
    }
    try {
      return { ok: true, value: await invoke(handlers, channel, event, args) };
    } catch (error) {
      if (error instanceof IpcFailure) return { ok: false, error: { code: error.code, message: error.message } };
      log(`IPC handler for "${channel}" failed`, error);
      return { ok: false, error: { code: 'internal-error', message: `The desktop shell could not complete "${channel}".` } };
    }
  };
}

/** Validates and calls one channel's handler; the generic keeps handler and arguments paired. */
async function invoke<E, C extends InvokeChannel>(
  handlers: InvokeHandlers<E>,
  channel: C,
  event: E,
  args: readonly unknown[],
): Promise<InvokeResult<C>> {
  const validate: (args: readonly unknown[]) => args is InvokeArgs<C> = INVOKE_VALIDATORS[channel];
  if (!validate(args)) {
    throw new IpcFailure('invalid-payload', `The arguments of "${channel}" do not match its contract.`);
  }
  const handler: (event: E, ...args: InvokeArgs<C>) => Promise<InvokeResult<C>> | InvokeResult<C> = handlers[channel];
  return handler(event, ...args);
}

/** Registers one ipcMain.handle per declared channel, all going through the dispatcher. */
export function registerInvokeHandlers<E extends SenderEvent>(
  registry: InvokeRegistry<E>,
  handlers: InvokeHandlers<E>,
  options: DispatchOptions = {},
): Dispatch<E> {
  const dispatch = createDispatcher(handlers, options);
  for (const channel of INVOKE_CHANNELS) {
    registry.handle(channel, (event, ...args) => dispatch(channel, event, args));
  }
  return dispatch;
}
