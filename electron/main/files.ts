/**
 * Exports and prints go through a save dialog: the user picks where a file
 * lands, the renderer only suggests a bare name (validated in shared/ipc.ts).
 * Cancelling the dialog is not an error.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BrowserWindow, app, dialog, type FileFilter, type WebContents } from 'electron';

const FILTERS: Record<string, FileFilter> = {
  'text/csv': { name: 'CSV', extensions: ['csv'] },
  'application/json': { name: 'JSON', extensions: ['json'] },
  'text/plain': { name: 'Text', extensions: ['txt'] },
  'application/pdf': { name: 'PDF', extensions: ['pdf'] },
};

/** Asks where to save; undefined when the user cancels. */
async function chooseTarget(contents: WebContents, suggestedName: string, mimeType: string): Promise<string | undefined> {
  const filter = FILTERS[mimeType.toLowerCase().split(';')[0] ?? ''];
  const dialogOptions = {
    defaultPath: path.join(app.getPath('documents'), suggestedName),
    filters: filter ? [filter, { name: 'All files', extensions: ['*'] }] : [],
  };
  const owner = BrowserWindow.fromWebContents(contents);
  const result = owner ? await dialog.showSaveDialog(owner, dialogOptions) : await dialog.showSaveDialog(dialogOptions);
  return result.canceled || !result.filePath ? undefined : result.filePath;
}

export async function exportTextFile(contents: WebContents, suggestedName: string, content: string, mimeType: string): Promise<void> {
  const target = await chooseTarget(contents, suggestedName, mimeType);
  if (target !== undefined) await writeFile(target, content, 'utf8');
}

/** "Print" in the desktop app means a PDF of the current page: receipts are filed, rarely put on paper in a truck. */
export async function printPageToPdf(contents: WebContents, suggestedName: string): Promise<void> {
  const pdf = await contents.printToPDF({ printBackground: true, pageSize: 'A4' });
  const name = suggestedName.toLowerCase().endsWith('.pdf') ? suggestedName : `${suggestedName}.pdf`;
  const target = await chooseTarget(contents, name, 'application/pdf');
  if (target !== undefined) await writeFile(target, pdf);
}
