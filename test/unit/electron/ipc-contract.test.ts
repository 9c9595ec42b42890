import { describe, expect, it } from 'vitest';
import {
  EVENT_CHANNELS,
  EVENT_VALIDATORS,
  INVOKE_CHANNELS,
  INVOKE_VALIDATORS,
  IpcFailure,
  LIMITS,
  PLATFORM_EVENT_CHANNELS,
  RESULT_VALIDATORS,
  ipcErrorCode,
  ipcErrorMessage,
  isIpcResult,
  isSafeFileName,
  isStoredSession,
} from '../../../shared/ipc.js';

class SessionLike {
  serverUrl = 'https://depot.example.com';
  username = 'tech1';
  refreshToken = 'r-123';
}

const session = { serverUrl: 'https://depot.example.com', username: 'tech1', refreshToken: 'r-123' };

describe('the IPC contract', () => {
  it('has exactly one argument validator and one result validator per invoke channel', () => {
    expect(Object.keys(INVOKE_VALIDATORS).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(RESULT_VALIDATORS).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(EVENT_VALIDATORS).sort()).toEqual([...EVENT_CHANNELS].sort());
    expect(new Set(INVOKE_CHANNELS).size).toBe(INVOKE_CHANNELS.length);
  });

  it('maps every platform event to a declared event channel', () => {
    for (const channel of Object.values(PLATFORM_EVENT_CHANNELS)) expect(EVENT_CHANNELS).toContain(channel);
  });

  it('accepts a well-formed stored session', () => {
    expect(isStoredSession(session)).toBe(true);
    expect(INVOKE_VALIDATORS['session:save']([session])).toBe(true);
  });

  it.each([
    ['an extra property', { ...session, accessToken: 'a' }],
    ['a missing refresh token', { serverUrl: session.serverUrl, username: 'tech1' }],
    ['an empty user name', { ...session, username: '' }],
    ['a file: server URL', { ...session, serverUrl: 'file:///etc/passwd' }],
    ['a javascript: server URL', { ...session, serverUrl: 'javascript:alert(1)' }],
    ['credentials in the server URL', { ...session, serverUrl: 'https://u:p@depot.example.com' }],
    ['a token beyond the size limit', { ...session, refreshToken: 'x'.repeat(LIMITS.refreshToken + 1) }],
    ['a class instance', new SessionLike()],
    ['an array', [session]],
  ])('rejects a session with %s', (_what, value) => {
    expect(isStoredSession(value)).toBe(false);
  });

  it('rejects extra or missing arguments on every channel', () => {
    expect(INVOKE_VALIDATORS['session:save']([])).toBe(false);
    expect(INVOKE_VALIDATORS['session:save']([session, session])).toBe(false);
    expect(INVOKE_VALIDATORS['session:load'](['x'])).toBe(false);
    expect(INVOKE_VALIDATORS['app:info']([undefined])).toBe(false);
    expect(INVOKE_VALIDATORS['file:export'](['a.csv', 'x'])).toBe(false);
    expect(EVENT_VALIDATORS['platform:resume'](['payload'])).toBe(false);
  });

  it('accepts an export of CSV text with a bare file name', () => {
    expect(INVOKE_VALIDATORS['file:export'](['stock 2025-11.csv', 'a;b\n1;2\n', 'text/csv'])).toBe(true);
    expect(INVOKE_VALIDATORS['file:export'](['empty.csv', '', 'text/csv'])).toBe(true);
  });

  it.each(['../secrets.csv', 'C:\\Windows\\x.csv', 'dir/x.csv', '..', '.', '', 'a\u0000b.csv', 'x'.repeat(256)])(
    'refuses %j as a suggested file name',
    (name) => {
      expect(isSafeFileName(name)).toBe(false);
      expect(INVOKE_VALIDATORS['page:print']([name])).toBe(false);
    },
  );

  it('refuses a mime type that is not type/subtype', () => {
    expect(INVOKE_VALIDATORS['file:export'](['a.csv', 'x', 'text/csv\r\nX-Injected: 1'])).toBe(false);
    expect(INVOKE_VALIDATORS['file:export'](['a.csv', 'x', 'csv'])).toBe(false);
    expect(INVOKE_VALIDATORS['file:export'](['a.csv', 42, 'text/csv'])).toBe(false);
  });

  it('checks results as strictly as arguments', () => {
    expect(RESULT_VALIDATORS['app:info']({ platform: 'electron', version: '0.1.0', defaultServerUrl: null })).toBe(true);
    expect(RESULT_VALIDATORS['app:info']({ platform: 'web', version: '0.1.0', defaultServerUrl: null })).toBe(false);
    expect(RESULT_VALIDATORS['session:load'](null)).toBe(true);
    expect(RESULT_VALIDATORS['session:load'](session)).toBe(true);
    expect(RESULT_VALIDATORS['session:load']({ ...session, extra: 1 })).toBe(false);
    expect(RESULT_VALIDATORS['session:clear'](undefined)).toBe(false);
  });

  it('carries an error code through an Error message, since contextBridge keeps only the message', () => {
    const error = new Error(ipcErrorMessage({ code: 'encryption-unavailable', message: 'no keyring' }));
    expect(ipcErrorCode(error)).toBe('encryption-unavailable');
    expect(ipcErrorCode(new Error('[not-a-code] x'))).toBeUndefined();
    expect(ipcErrorCode('[invalid-payload] x')).toBeUndefined();
    expect(new IpcFailure('invalid-payload', 'bad').code).toBe('invalid-payload');
  });

  it('recognises only well-formed results', () => {
    expect(isIpcResult({ ok: true, value: null })).toBe(true);
    expect(isIpcResult({ ok: false, error: { code: 'forbidden-sender', message: 'no' } })).toBe(true);
    expect(isIpcResult({ ok: false, error: { code: 'made-up', message: 'no' } })).toBe(false);
    expect(isIpcResult({ ok: true })).toBe(false);
    expect(isIpcResult(null)).toBe(false);
  });
});
