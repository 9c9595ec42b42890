import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, IpcFailure, type DesktopAppInfo } from '../../../shared/ipc.js';
import type { StoredSession } from '../../../shared/platform.js';
import {
  createDispatcher,
  isTrustedSender,
  registerInvokeHandlers,
  type InvokeHandlers,
  type SenderEvent,
} from '../../../electron/main/ipc.js';

const APP_FRAME: SenderEvent = { senderFrame: { url: 'app://fieldstock/index.html', parent: null } };
const session: StoredSession = { serverUrl: 'https://depot.example.com', username: 'tech1', refreshToken: 'r-1' };
const info: DesktopAppInfo = { platform: 'electron', version: '0.1.0', defaultServerUrl: null };

function handlers(overrides: Partial<InvokeHandlers<SenderEvent>> = {}) {
  const calls: { channel: string; args: unknown[] }[] = [];
  const record =
    <T>(channel: string, result: T) =>
    (_event: SenderEvent, ...args: unknown[]) => {
      calls.push({ channel, args });
      return result;
    };
  const all: InvokeHandlers<SenderEvent> = {
    'app:info': record('app:info', info),
    'session:save': record('session:save', null),
    'session:load': record('session:load', session),
    'session:clear': record('session:clear', null),
    'file:export': record('file:export', null),
    'page:print': record('page:print', null),
    ...overrides,
  };
  return { all, calls };
}

describe('IPC in main', () => {
  it('passes a valid call from the app page to its handler and answers its result', async () => {
    const { all, calls } = handlers();
    const dispatch = createDispatcher(all);
    expect(await dispatch('session:save', APP_FRAME, [session])).toEqual({ ok: true, value: null });
    expect(await dispatch('session:load', APP_FRAME, [])).toEqual({ ok: true, value: session });
    expect(calls).toEqual([
      { channel: 'session:save', args: [session] },
      { channel: 'session:load', args: [] },
    ]);
  });

  it.each([
    ['a foreign page', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a file:// page', { senderFrame: { url: 'file:///tmp/x.html', parent: null } }],
    ['a look-alike host', { senderFrame: { url: 'app://fieldstock.evil.example/', parent: null } }],
    ['an iframe inside the app', { senderFrame: { url: 'app://fieldstock/index.html', parent: {} } }],
    ['a frame that is gone', { senderFrame: null }],
  ])('rejects a message from %s without calling the handler', async (_what, event: SenderEvent) => {
    const { all, calls } = handlers();
    const reply = await createDispatcher(all)('session:load', event, []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(calls).toEqual([]);
    expect(isTrustedSender(event)).toBe(false);
  });

  it.each([
    ['session:save', [{ ...session, serverUrl: 'javascript:alert(1)' }]],
    ['session:save', []],
    ['session:load', ['unexpected']],
    ['file:export', ['../../.bashrc', 'x', 'text/plain']],
    ['page:print', [42]],
  ])('rejects an invalid payload on %s without calling the handler', async (channel, args) => {
    const { all, calls } = handlers();
    const reply = await createDispatcher(all)(channel, APP_FRAME, args);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(calls).toEqual([]);
  });

  it('rejects an undeclared channel', async () => {
    const { all, calls } = handlers();
    const reply = await createDispatcher(all)('shell:open-external', APP_FRAME, ['https://evil.example']);
    expect(reply).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(calls).toEqual([]);
  });

  it('answers a handler failure with its code', async () => {
    const { all } = handlers({
      'session:save': () => {
        throw new IpcFailure('encryption-unavailable', 'no keyring');
      },
    });
    expect(await createDispatcher(all)('session:save', APP_FRAME, [session])).toEqual({
      ok: false,
      error: { code: 'encryption-unavailable', message: 'no keyring' },
    });
  });

  it('answers an unexpected failure as internal-error and keeps its details in main', async () => {
    const log = vi.fn();
    const { all } = handlers({
      'session:load': async () => {
        throw new Error('EACCES: /home/tech/.config/Fieldstock/session.bin');
      },
    });
    const reply = await createDispatcher(all, { log })('session:load', APP_FRAME, []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal-error' } });
    expect(JSON.stringify(reply)).not.toContain('EACCES');
    expect(log).toHaveBeenCalledOnce();
  });

  it('registers exactly the declared channels, each going through the checks', async () => {
    const registered = new Map<string, (event: SenderEvent, ...args: unknown[]) => unknown>();
    const { all, calls } = handlers();
    registerInvokeHandlers({ handle: (channel, listener) => registered.set(channel, listener) }, all);
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());

    const clear = registered.get('session:clear');
    expect(await clear?.({ senderFrame: { url: 'https://evil.example/', parent: null } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    expect(await clear?.(APP_FRAME)).toEqual({ ok: true, value: null });
    expect(calls.map((c) => c.channel)).toEqual(['session:clear']);
  });
});
