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

  it("prints with the browser's print dialog, titled with the suggested name until the dialog has closed", async () => {
    const titles: string[] = [];
    // happy-dom has no print(); Chromium's blocks until the dialog closes and fires afterprint before returning.
    Object.defineProperty(window, 'print', {
      value: () => {
        titles.push(document.title);
        window.dispatchEvent(new Event('afterprint'));
      },
      configurable: true,
    });
    document.title = 'Fieldstock';

    await createWebPlatform().printPage('Receipt R-1');

    expect(titles).toEqual(['Receipt R-1']);
    expect(document.title).toBe('Fieldstock');
  });

  it('keeps the suggested title while a browser that prints after print() returns still prints', async () => {
    // Some browsers return from print() at once and read the title when they print.
    Object.defineProperty(window, 'print', { value: () => {}, configurable: true });
    document.title = 'Fieldstock';

    await createWebPlatform().printPage('Receipt R-2');
    expect(document.title).toBe('Receipt R-2');
    window.dispatchEvent(new Event('afterprint'));
    expect(document.title).toBe('Fieldstock');
    // Restored once: a later print of another page keeps its own title.
    document.title = 'Other';
    window.dispatchEvent(new Event('afterprint'));
    expect(document.title).toBe('Other');
  });

  it('gives the page its title back when print() fails', async () => {
    Object.defineProperty(window, 'print', {
      value: () => {
        throw new Error('printing is disabled');
      },
      configurable: true,
    });
    document.title = 'Fieldstock';
    await expect(createWebPlatform().printPage('Receipt R-3')).rejects.toThrow('printing is disabled');
    expect(document.title).toBe('Fieldstock');
  });

  it('downloads CSV byte for byte, byte order mark included, and frees the Blob URL later rather than at once', async () => {
    vi.useFakeTimers();
    try {
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
      const blobs: Blob[] = [];
      vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
        blobs.push(blob as Blob);
        return 'blob:fieldstock/2';
      });
      const revoked: string[] = [];
      vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => revoked.push(url));

      await createWebPlatform().exportFile('journals.csv', '\uFEFFProduct,Quantity\r\nÅngström,-2\r\n', 'text/csv');

      const bytes = new Uint8Array(await (blobs[0] as Blob).arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\uFEFFProduct,Quantity\r\nÅngström,-2\r\n');
      // Revoking at once can cancel the download in some browsers.
      expect(revoked).toEqual([]);
      vi.advanceTimersByTime(60_000);
      expect(revoked).toEqual(['blob:fieldstock/2']);
    } finally {
      vi.useRealTimers();
    }
  });

  it("getPlatform() is Electron's bridge when the preload provided one, the web platform otherwise", async () => {
    expect((await getPlatform().info()).platform).toBe('web');
    const bridge = { ...createWebPlatform(), info: async () => ({ platform: 'electron', version: '1' }) } satisfies FieldstockPlatform;
    window.fieldstock = bridge;
    expect(getPlatform()).toBe(bridge);
  });
});
