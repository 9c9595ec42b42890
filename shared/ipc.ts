/**
 * The one IPC contract between the Electron main process and the preload.
 *
 * Every channel is declared once here: its argument tuple and result type
 * (invoke channels, renderer → main) or its payload (event channels,
 * main → renderer). The `as const` channel lists `satisfies` these maps and a
 * type-level check proves the two never drift apart; a runtime validator per
 * channel lets main reject any payload that is not exactly what the contract
 * says, whatever a compromised renderer sends.
 *
 * Imports nothing but shared types: main, preload and tests all use it.
 */
import type { AppInfo, FieldstockPlatform, GeoPosition, PlatformEvent, StoredSession } from './platform.js';

// ---------------------------------------------------------------------------
// Channel maps

/** What `info()` answers in Electron: the platform's AppInfo plus the default server. */
export interface DesktopAppInfo extends AppInfo {
  /** The backend `npm start` launched, or FIELDSTOCK_SERVER_URL; null when neither. */
  defaultServerUrl: string | null;
}

/** Renderer → main calls (`ipcRenderer.invoke`), answered with an `IpcResult`. */
export interface IpcInvokeMap {
  'app:info': { args: []; result: DesktopAppInfo };
  'session:save': { args: [session: StoredSession]; result: null };
  'session:load': { args: []; result: StoredSession | null };
  'session:clear': { args: []; result: null };
  'file:export': { args: [suggestedName: string, content: string, mimeType: string]; result: null };
  'page:print': { args: [suggestedName: string]; result: null };
}

/** Main → renderer notifications (`webContents.send`): their payload tuples. */
export interface IpcEventMap {
  'platform:resume': [];
  'platform:online': [];
  'platform:offline': [];
}

export type InvokeChannel = keyof IpcInvokeMap;
export type EventChannel = keyof IpcEventMap;
export type InvokeArgs<C extends InvokeChannel> = IpcInvokeMap[C]['args'];
export type InvokeResult<C extends InvokeChannel> = IpcInvokeMap[C]['result'];

export const INVOKE_CHANNELS = [
  'app:info',
  'session:save',
  'session:load',
  'session:clear',
  'file:export',
  'page:print',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = ['platform:resume', 'platform:online', 'platform:offline'] as const satisfies readonly EventChannel[];

/** Which event channel carries each `FieldstockPlatform.on` event. */
export const PLATFORM_EVENT_CHANNELS = {
  resume: 'platform:resume',
  online: 'platform:online',
  offline: 'platform:offline',
} as const satisfies Record<PlatformEvent, EventChannel>;

/** The methods `window.fieldstock` has in Electron, no more, no fewer (the preload is tested against it). */
export const PLATFORM_METHODS = [
  'info',
  'saveSession',
  'loadSession',
  'clearSession',
  'currentPosition',
  'on',
  'exportFile',
  'printPage',
] as const satisfies readonly (keyof FieldstockPlatform)[];

// `satisfies` above forbids names that are not in the maps; these checks forbid
// names in the maps that the lists forgot. A mismatch is a compile error.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _InvokeChannelsMatchTheMap = Assert<Exactly<(typeof INVOKE_CHANNELS)[number], InvokeChannel>>;
export type _EventChannelsMatchTheMap = Assert<Exactly<(typeof EVENT_CHANNELS)[number], EventChannel>>;
export type _PlatformMethodsMatchTheInterface = Assert<Exactly<(typeof PLATFORM_METHODS)[number], keyof FieldstockPlatform>>;
export type _EveryEventHasAChannel = Assert<Exactly<keyof typeof PLATFORM_EVENT_CHANNELS, PlatformEvent>>;

// ---------------------------------------------------------------------------
// Results and errors

/**
 * Errors are answered as values: an Error thrown in main reaches the renderer
 * with its message rewritten by Electron and every other property dropped, so
 * a machine-readable code would be lost.
 */
export const IPC_ERROR_CODES = [
  'unknown-channel',
  'forbidden-sender',
  'invalid-payload',
  'encryption-unavailable',
  'internal-error',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export interface IpcErrorBody {
  code: IpcErrorCode;
  message: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcErrorBody };

/** Thrown by main-process handlers to answer with a specific code. */
export class IpcFailure extends Error {
  override readonly name = 'IpcFailure';
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isIpcErrorCode(value: unknown): value is IpcErrorCode {
  return typeof value === 'string' && (IPC_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The message of the Error the preload rejects with. contextBridge copies only
 * an Error's message into the page, so the code travels at its start.
 */
export function ipcErrorMessage(error: IpcErrorBody): string {
  return `[${error.code}] ${error.message}`;
}

/** The code of an error a `window.fieldstock` call rejected with, if it came from the shell. */
export function ipcErrorCode(error: unknown): IpcErrorCode | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = /^\[([a-z-]+)\] /.exec(error.message)?.[1];
  return isIpcErrorCode(code) ? code : undefined;
}

export function isIpcResult(value: unknown): value is IpcResult<unknown> {
  if (!isPlainObject(value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !isPlainObject(value.error)) return false;
  return isIpcErrorCode(value.error.code) && typeof value.error.message === 'string';
}

// ---------------------------------------------------------------------------
// Runtime validators

export const LIMITS = {
  url: 2048,
  username: 256,
  refreshToken: 8192,
  fileName: 255,
  mimeType: 127,
  /** An export is CSV text of a few thousand rows; 64 MiB is far beyond any real one. */
  exportChars: 64 * 1024 * 1024,
} as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasExactlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => Object.prototype.hasOwnProperty.call(value, k));
}

function isBoundedString(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

// shared/ is compiled without DOM or Node types because it runs in both; both
// have the WHATWG URL class at run time, and this is the little of it used here.
interface ParsedUrl {
  protocol: string;
  username: string;
  password: string;
}
declare const URL: new (input: string) => ParsedUrl;

/** An http(s) URL without credentials: the only kind of server address the app stores. */
export function isServerUrl(value: unknown): value is string {
  if (!isBoundedString(value, 1, LIMITS.url)) return false;
  let url: ParsedUrl;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
}

export function isStoredSession(value: unknown): value is StoredSession {
  return (
    isPlainObject(value) &&
    hasExactlyKeys(value, ['serverUrl', 'username', 'refreshToken']) &&
    isServerUrl(value.serverUrl) &&
    isBoundedString(value.username, 1, LIMITS.username) &&
    isBoundedString(value.refreshToken, 1, LIMITS.refreshToken)
  );
}

/**
 * A bare file name: it only seeds a save dialog, but a path in it ("../x",
 * "C:\\x") would point the dialog somewhere the user did not choose.
 */
export function isSafeFileName(value: unknown): value is string {
  return (
    isBoundedString(value, 1, LIMITS.fileName) &&
    value !== '.' &&
    value !== '..' &&
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    !/[/\\:*?"<>|\u0000-\u001f\u007f]/.test(value)
  );
}

export function isMimeType(value: unknown): value is string {
  return isBoundedString(value, 3, LIMITS.mimeType) && /^[a-z]+\/[a-z0-9.+-]+$/i.test(value);
}

export function isGeoPosition(value: unknown): value is GeoPosition {
  return (
    isPlainObject(value) &&
    hasExactlyKeys(value, ['latitude', 'longitude']) &&
    typeof value.latitude === 'number' &&
    typeof value.longitude === 'number' &&
    Math.abs(value.latitude) <= 90 &&
    Math.abs(value.longitude) <= 180
  );
}

function isEmptyTuple(args: readonly unknown[]): args is [] {
  return args.length === 0;
}

/** One validator per invoke channel; the mapped type makes a missing one a compile error. */
export const INVOKE_VALIDATORS: { [C in InvokeChannel]: (args: readonly unknown[]) => args is InvokeArgs<C> } = {
  'app:info': isEmptyTuple,
  'session:save': (args): args is [StoredSession] => args.length === 1 && isStoredSession(args[0]),
  'session:load': isEmptyTuple,
  'session:clear': isEmptyTuple,
  'file:export': (args): args is [string, string, string] =>
    args.length === 3 &&
    isSafeFileName(args[0]) &&
    isBoundedString(args[1], 0, LIMITS.exportChars) &&
    isMimeType(args[2]),
  'page:print': (args): args is [string] => args.length === 1 && isSafeFileName(args[0]),
};

function isDesktopAppInfo(value: unknown): value is DesktopAppInfo {
  return (
    isPlainObject(value) &&
    hasExactlyKeys(value, ['platform', 'version', 'defaultServerUrl']) &&
    value.platform === 'electron' &&
    isBoundedString(value.version, 1, 64) &&
    (value.defaultServerUrl === null || isServerUrl(value.defaultServerUrl))
  );
}

function isNull(value: unknown): value is null {
  return value === null;
}

/** Results are checked by the preload too: the page gets exactly the declared types. */
export const RESULT_VALIDATORS: { [C in InvokeChannel]: (value: unknown) => value is InvokeResult<C> } = {
  'app:info': isDesktopAppInfo,
  'session:save': isNull,
  'session:load': (value): value is StoredSession | null => value === null || isStoredSession(value),
  'session:clear': isNull,
  'file:export': isNull,
  'page:print': isNull,
};

/** Event payloads are checked by the preload before a listener sees anything. */
export const EVENT_VALIDATORS: { [C in EventChannel]: (args: readonly unknown[]) => args is IpcEventMap[C] } = {
  'platform:resume': isEmptyTuple,
  'platform:online': isEmptyTuple,
  'platform:offline': isEmptyTuple,
};

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function isPlatformEvent(value: unknown): value is PlatformEvent {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PLATFORM_EVENT_CHANNELS, value);
}
