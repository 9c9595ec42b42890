import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppUrl } from '../../../electron/main/origin.js';
import { createAppProtocolHandler, type AppProtocolHandler } from '../../../electron/main/protocol.js';

const CSP = "default-src 'self'";

describe('the app:// protocol', () => {
  let base: string;
  let handler: AppProtocolHandler;

  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'fieldstock-protocol-'));
    const root = path.join(base, 'renderer');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Fieldstock</title>');
    writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    // A file beside the renderer folder, which no URL may reach.
    writeFileSync(path.join(base, 'secret.txt'), 'secret');
    handler = createAppProtocolHandler({ rootDir: root, csp: CSP });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves index.html for the start URL with the CSP header', async () => {
    const response = await get('app://fieldstock/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Fieldstock</title>');
  });

  it('serves assets with their content type', async () => {
    const response = await get('app://fieldstock/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers client-side routes with the app shell but a missing asset with 404', async () => {
    expect(await (await get('app://fieldstock/receipts/42')).text()).toContain('<title>Fieldstock</title>');
    const missing = await get('app://fieldstock/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CSP);
  });

  it.each([
    'app://fieldstock/..%2fsecret.txt',
    'app://fieldstock/%2e%2e/secret.txt',
    'app://fieldstock/assets/..%2f..%2fsecret.txt',
    'app://fieldstock/..%5csecret.txt',
  ])('never serves a file outside the renderer folder (%s)', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
  });

  it('answers 404 for another host and 405 for writes', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('app://fieldstock/index.html', 'POST')).status).toBe(405);
  });
});

describe('the app origin', () => {
  it.each(['app://fieldstock/index.html', 'app://fieldstock', 'app://fieldstock/a/b?c#d'])('includes %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    'https://fieldstock/index.html',
    'file:///index.html',
    'app://fieldstock.evil.example/',
    'app://fieldstock@evil.example/',
    'app://evil.example/fieldstock',
    'app://fieldstock:8080/',
    'not a url',
  ])('excludes %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});
