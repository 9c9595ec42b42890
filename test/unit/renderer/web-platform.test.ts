// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebPlatform, SESSION_STORAGE_KEY } from '../../../renderer/platform/web.js';
import { getPlatform } from '../../../renderer/platform/index.js';
import type { FieldstockPlatform } from '../../../shared/platform.js';

const session = { serverUrl: 'https://fieldstock.example.com', username: 'tech1', refreshToken: 'r-1' };

afterEach(() => {
  localStorage.clear();
  delete window.fieldstock;
  vi.restoreAllMocks();
});

describe('the web platform', () => {
  it('saves, loads and clears the session in localStorage, refresh token included', async () => {
    const platform = createWebPlatform();
    expect(await platform.loadSession()).toBeNull();

    await platform.saveSession(session);
    expect(JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY) ?? 'null')).toEqual(session);
    // A new instance (a reload) finds it.
    expect(await createWebPlatform().loadSession()).toEqual(session);

    await platform.clearSession();
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(await platform.loadSession()).toBeNull();
  });

  it('drops a damaged stored session instead of failing every start', async () => {
    const platform = createWebPlatform();
    for (const damaged of ['{not json', '"a string"', JSON.stringify({ serverUrl: 'x', username: 'tech1' }), JSON.stringify({ ...session, refreshToken: 7 })]) {
      localStorage.setItem(SESSION_STORAGE_KEY, damaged);
      expect(await platform.loadSession(), damaged).toBeNull();
      expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    }
  });

  it("turns the browser's online and offline events into platform events, until unsubscribed", () => {
    const platform = createWebPlatform();
    const seen: string[] = [];
    const offOnline = platform.on('online', () => seen.push('online'));
    const offOffline = platform.on('offline', () => seen.push('offline'));

    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    offOnline();
    offOffline();
    window.dispatchEvent(new Event('online'));

    expect(seen).toEqual(['offline', 'online']);
  });

  it('reports "resume" when the page becomes visible again, not when it is hidden', () => {
    const platform = createWebPlatform();
    let resumed = 0;
    const off = platform.on('resume', () => resumed++);
    const visibility = vi.spyOn(document, 'visibilityState', 'get');

    visibility.mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(resumed).toBe(0);
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(resumed).toBe(1);

    off();
    document.dispatchEvent(new Event('visibilitychange'));
    expect(resumed).toBe(1);
  });

  it('gives the position from the geolocation API, and null when it is refused', async () => {
    const geolocation = (answer: 'ok' | 'refused') => ({
      getCurrentPosition: (ok: PositionCallback, fail?: PositionErrorCallback | null) =>
        answer === 'ok'
          ? ok({ coords: { latitude: 59.33, longitude: 18.07 } } as GeolocationPosition)
          : fail?.({ code: 1, message: 'denied' } as GeolocationPositionError),
    });
    const spy = vi.spyOn(navigator, 'geolocation', 'get');

    spy.mockReturnValue(geolocation('ok') as unknown as Geolocation);
    expect(await createWebPlatform().currentPosition()).toEqual({ latitude: 59.33, longitude: 18.07 });
    spy.mockReturnValue(geolocation('refused') as unknown as Geolocation);
    expect(await createWebPlatform().currentPosition()).toBeNull();
  });

  it('exports a file as a download of a Blob, named as suggested', async () => {
    const clicks: { download: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ download: this.download, href: this.href });
    });
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:fieldstock/1';
    });

    await createWebPlatform().exportFile('stock.csv', 'product;qty\nP-1;2\n', 'text/csv');

    expect(clicks).toEqual([{ download: 'stock.csv', href: 'blob:fieldstock/1' }]);
    expect(await blobs[0]?.text()).toBe('product;qty\nP-1;2\n');
    expect(blobs[0]?.type).toBe('text/csv');
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
  });

  it("prints with the browser's print dialog, titled with the suggested name", async () => {
    const titles: string[] = [];
    // happy-dom has no print(); a browser's opens the print dialog.
    Object.defineProperty(window, 'print', { value: () => titles.push(document.title), configurable: true });
    document.title = 'Fieldstock';

    await createWebPlatform().printPage('Receipt R-1');

    expect(titles).toEqual(['Receipt R-1']);
    expect(document.title).toBe('Fieldstock');
  });

  it("getPlatform() is Electron's bridge when the preload provided one, the web platform otherwise", async () => {
    expect((await getPlatform().info()).platform).toBe('web');
    const bridge = { ...createWebPlatform(), info: async () => ({ platform: 'electron', version: '1' }) } satisfies FieldstockPlatform;
    window.fieldstock = bridge;
    expect(getPlatform()).toBe(bridge);
  });
});
