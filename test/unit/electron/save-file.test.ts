/**
 * Exports and prints in the desktop app: the real save functions and the real
 * IPC handlers and dispatcher, writing into a real temporary folder. Only the
 * OS save dialog and Chromium's PDF renderer are stand-ins (there is no
 * display or Electron binary in a unit test); they record what they were asked.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IpcFailure, LIMITS, type DesktopAppInfo } from '../../../shared/ipc.js';
import { createInvokeHandlers } from '../../../electron/main/handlers.js';
import { registerInvokeHandlers, type SenderEvent } from '../../../electron/main/ipc.js';
import {
  createFileActions,
  filtersFor,
  pdfName,
  savePdf,
  saveText,
  type PdfSource,
  type SaveDialogRequest,
  type SaveFileDeps,
} from '../../../electron/main/save-file.js';
import { createVault } from '../../../electron/main/vault.js';

const PDF_BYTES = new TextEncoder().encode('%PDF-1.7\n%fieldstock receipt\n%%EOF\n');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fieldstock-save-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A save dialog that answers with `choose(defaultPath)` (a path, or null for Cancel), and the real file system. */
function desktop(choose: (defaultPath: string) => string | null, documents: string | null = path.join(dir, 'Documents')) {
  const dialogs: SaveDialogRequest[] = [];
  const deps: SaveFileDeps = {
    documentsDir: () => documents,
    showSaveDialog: async (request) => {
      dialogs.push(request);
      const chosen = choose(request.defaultPath);
      return chosen === null ? { canceled: true } : { canceled: false, filePath: chosen };
    },
    writeFile: (target, data) => writeFile(target, data),
  };
  return { deps, dialogs };
}

function pdfSource() {
  const requests: unknown[] = [];
  const source: PdfSource = {
    printToPDF: async (options) => {
      requests.push(options);
      return PDF_BYTES;
    },
  };
  return { source, requests };
}

const into = (name: string) => () => path.join(dir, name);

describe('saving an export', () => {
  it('writes the text exactly as given, UTF-8 byte order mark included, where the user chose', async () => {
    const { deps, dialogs } = desktop(into('my journals.csv'));
    const csv = '\uFEFFProduct,Quantity\r\nÅngström,-2\r\n';

    expect(await saveText(deps, 'journals-TRUCK-1.csv', csv, 'text/csv')).toBe('saved');

    const bytes = readFileSync(path.join(dir, 'my journals.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe(csv);
    expect(dialogs).toEqual([
      {
        defaultPath: path.join(dir, 'Documents', 'journals-TRUCK-1.csv'),
        filters: [
          { name: 'CSV', extensions: ['csv'] },
          { name: 'All files', extensions: ['*'] },
        ],
      },
    ]);
  });

  it('writes nothing when the user cancels, and that is not an error', async () => {
    const { deps, dialogs } = desktop(() => null);
    expect(await saveText(deps, 'journals.csv', 'a,b\r\n', 'text/csv')).toBe('cancelled');
    expect(dialogs).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('opens the dialog on the bare name when the OS has no documents folder', async () => {
    const { deps, dialogs } = desktop(into('x.csv'), null);
    await saveText(deps, 'receipts.csv', 'a\r\n', 'text/csv');
    expect(dialogs[0]?.defaultPath).toBe('receipts.csv');
  });

  it.each([['../../.bashrc'], ['/etc/passwd'], ['C:\\Windows\\x.csv'], ['..'], ['a\u0000b.csv'], ['']])(
    'refuses the suggested name %j before any dialog opens (the checks hold even without the dispatcher)',
    async (name) => {
      const { deps, dialogs } = desktop(into('x.csv'));
      const error: unknown = await saveText(deps, name, 'a', 'text/csv').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IpcFailure);
      expect(error instanceof IpcFailure ? error.code : undefined).toBe('invalid-payload');
      expect(dialogs).toEqual([]);
    },
  );

  it('offers a file type only for the types it knows', () => {
    expect(filtersFor('application/pdf')[0]).toEqual({ name: 'PDF', extensions: ['pdf'] });
    expect(filtersFor('TEXT/CSV')[0]).toEqual({ name: 'CSV', extensions: ['csv'] });
    expect(filtersFor('application/x-unknown')).toEqual([]);
  });

  it('lets a failed write surface as an error rather than claiming success', async () => {
    const { deps } = desktop(() => path.join(dir, 'missing-folder', 'x.csv'));
    await expect(saveText(deps, 'x.csv', 'a', 'text/csv')).rejects.toThrow(/ENOENT/);
  });
});

describe('printing to PDF', () => {
  it('renders the page on A4 with backgrounds, then saves the PDF under the suggested name plus .pdf', async () => {
    const { deps, dialogs } = desktop(into('receipt.pdf'));
    const { source, requests } = pdfSource();

    expect(await savePdf(deps, source, 'receipt-PO-1001-3f2a')).toBe('saved');

    expect(requests).toEqual([{ printBackground: true, pageSize: 'A4' }]);
    expect(dialogs[0]?.defaultPath).toBe(path.join(dir, 'Documents', 'receipt-PO-1001-3f2a.pdf'));
    expect(dialogs[0]?.filters[0]).toEqual({ name: 'PDF', extensions: ['pdf'] });
    expect(new Uint8Array(readFileSync(path.join(dir, 'receipt.pdf')))).toEqual(PDF_BYTES);
  });

  it('adds .pdf once and keeps the name within the file name limit', () => {
    expect(pdfName('receipt.PDF')).toBe('receipt.PDF');
    expect(pdfName('receipt')).toBe('receipt.pdf');
    const long = pdfName('r'.repeat(LIMITS.fileName));
    expect(long).toHaveLength(LIMITS.fileName);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('saves nothing when the user cancels', async () => {
    const { deps } = desktop(() => null);
    expect(await savePdf(deps, pdfSource().source, 'receipt')).toBe('cancelled');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a path as the suggested name without rendering anything', async () => {
    const { deps, dialogs } = desktop(into('x.pdf'));
    const { source, requests } = pdfSource();
    await expect(savePdf(deps, source, '../receipt')).rejects.toBeInstanceOf(IpcFailure);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});

describe('the file:export and page:print channels, end to end in main', () => {
  const APP = { url: 'app://fieldstock/index.html', parent: null };
  const info: DesktopAppInfo = { platform: 'electron', version: '0.1.0', defaultServerUrl: null };
  type Event = SenderEvent & { sender: PdfSource & { name: string } };

  function mainProcess(choose: (defaultPath: string) => string | null) {
    const { deps, dialogs } = desktop(choose);
    const senders: string[] = [];
    const files = createFileActions<Event['sender']>((sender) => {
      senders.push(sender.name);
      return deps;
    });
    // The session vault is not used by these channels; it still is the real one.
    const vault = createVault({ file: path.join(dir, 'session.bin'), safeStorage: unusedKeychain, platform: 'linux' });
    const registered = new Map<string, (event: Event, ...args: unknown[]) => unknown>();
    const logged: unknown[] = [];
    registerInvokeHandlers<Event>(
      { handle: (channel, listener) => registered.set(channel, listener) },
      createInvokeHandlers<Event>({ vault, appInfo: () => info, files }),
      { log: (_message, error) => logged.push(error) },
    );
    const call = (channel: string, event: Event, ...args: unknown[]) => registered.get(channel)?.(event, ...args);
    return { call, dialogs, senders, logged };
  }

  const unusedKeychain = {
    isEncryptionAvailable: () => false,
    encryptString: () => Buffer.alloc(0),
    decryptString: () => '',
    getSelectedStorageBackend: () => 'unknown',
  };

  const window = (name: string, frame: SenderEvent['senderFrame'] = APP): Event => {
    const { source } = pdfSource();
    return { senderFrame: frame, sender: { name, printToPDF: source.printToPDF } };
  };

  it("saves an export and a PDF for the window that asked, answering null", async () => {
    const { call, senders } = mainProcess((defaultPath) => path.join(dir, path.basename(defaultPath)));
    expect(await call('file:export', window('main'), 'stock.csv', '\uFEFFa,b\r\n', 'text/csv')).toEqual({ ok: true, value: null });
    expect(await call('page:print', window('main'), 'receipt-PO-1')).toEqual({ ok: true, value: null });
    expect(readFileSync(path.join(dir, 'stock.csv'), 'utf8')).toBe('\uFEFFa,b\r\n');
    expect(new Uint8Array(readFileSync(path.join(dir, 'receipt-PO-1.pdf')))).toEqual(PDF_BYTES);
    expect(senders).toEqual(['main', 'main']);
  });

  it.each([
    ['file:export', ['../stock.csv', 'a', 'text/csv']],
    ['file:export', ['stock.csv', 42, 'text/csv']],
    ['file:export', ['stock.csv', 'a', 'text/csv\r\nX-Injected: 1']],
    ['file:export', ['stock.csv', 'a']],
    ['file:export', ['stock.csv', 'x'.repeat(LIMITS.exportChars + 1), 'text/csv']],
    ['page:print', ['/tmp/receipt']],
    ['page:print', ['receipt', 'extra']],
    ['page:print', [{ toString: () => 'receipt' }]],
  ])('answers invalid-payload to %s %j and opens no dialog', async (channel, args) => {
    const { call, dialogs, senders } = mainProcess(into('x'));
    expect(await call(channel, window('main'), ...args)).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(dialogs).toEqual([]);
    expect(senders).toEqual([]);
  });

  it('answers forbidden-sender to a page that is not the app, before any dialog', async () => {
    const { call, dialogs } = mainProcess(into('x'));
    expect(await call('page:print', window('evil', { url: 'https://evil.example/', parent: null }), 'receipt')).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    expect(await call('file:export', window('frame', { url: 'app://fieldstock/index.html', parent: {} }), 'a.csv', 'a', 'text/csv')).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    expect(dialogs).toEqual([]);
  });

  it('answers a failed write as internal-error without the path in the message', async () => {
    const { call, logged } = mainProcess(() => path.join(dir, 'no-such-folder', 'secret-name.csv'));
    const reply = await call('file:export', window('main'), 'a.csv', 'a', 'text/csv');
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal-error' } });
    expect(JSON.stringify(reply)).not.toContain('secret-name');
    // The details stay in main's log.
    expect(String(logged[0])).toContain('secret-name');
    expect(existsSync(path.join(dir, 'no-such-folder'))).toBe(false);
  });
});
