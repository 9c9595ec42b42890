/**
 * Exports and prints end in a file the user chose in a save dialog: the
 * renderer only suggests a bare name (checked in shared/ipc.ts, and again
 * here, since these functions trust nothing about their caller), never a path.
 * Cancelling the dialog is not an error.
 *
 * Electron itself stays out of this file (files.ts binds it), so the tests run
 * these exact functions against a real folder and a stand-in dialog.
 */
import path from 'node:path';
import { IpcFailure, isMimeType, isSafeFileName, LIMITS } from '../../shared/ipc.js';

export interface FileFilterLike {
  name: string;
  extensions: string[];
}

export interface SaveDialogRequest {
  defaultPath: string;
  filters: FileFilterLike[];
}

/** What saving needs from the OS, for one window. */
export interface SaveFileDeps {
  /** Where the dialog opens; null when the OS has no documents folder. */
  documentsDir(): string | null;
  /** The OS save dialog, modal to the window that asked. */
  showSaveDialog(request: SaveDialogRequest): Promise<{ canceled: boolean; filePath?: string }>;
  writeFile(target: string, data: string | Uint8Array): Promise<void>;
}

/** The part of a WebContents a PDF comes from. */
export interface PdfSource {
  printToPDF(options: { printBackground: boolean; pageSize: 'A4' }): Promise<Uint8Array>;
}

export type SaveOutcome = 'saved' | 'cancelled';

const FILTERS: Readonly<Record<string, FileFilterLike>> = {
  'text/csv': { name: 'CSV', extensions: ['csv'] },
  'application/json': { name: 'JSON', extensions: ['json'] },
  'text/plain': { name: 'Text', extensions: ['txt'] },
  'application/pdf': { name: 'PDF', extensions: ['pdf'] },
};

/** The dialog's file type choices for a MIME type: its own type first, then anything. */
export function filtersFor(mimeType: string): FileFilterLike[] {
  const filter = FILTERS[mimeType.toLowerCase()];
  return filter ? [filter, { name: 'All files', extensions: ['*'] }] : [];
}

function checkName(suggestedName: unknown): asserts suggestedName is string {
  if (!isSafeFileName(suggestedName)) throw new IpcFailure('invalid-payload', 'A suggested file name must be a bare file name.');
}

/**
 * Asks where to save; undefined when the user cancels. The chosen path is
 * used as it is: adding an extension afterwards could overwrite a file the
 * dialog never asked the user about.
 */
async function chooseTarget(deps: SaveFileDeps, suggestedName: string, mimeType: string): Promise<string | undefined> {
  const folder = deps.documentsDir();
  const result = await deps.showSaveDialog({
    defaultPath: folder === null ? suggestedName : path.join(folder, suggestedName),
    filters: filtersFor(mimeType),
  });
  return result.canceled || !result.filePath ? undefined : result.filePath;
}

/** Saves text (CSV) as UTF-8, byte order mark and all, exactly as the renderer made it. */
export async function saveText(deps: SaveFileDeps, suggestedName: string, content: string, mimeType: string): Promise<SaveOutcome> {
  checkName(suggestedName);
  if (typeof content !== 'string') throw new IpcFailure('invalid-payload', 'Exported content must be text.');
  if (!isMimeType(mimeType)) throw new IpcFailure('invalid-payload', 'An export needs a MIME type such as text/csv.');
  const target = await chooseTarget(deps, suggestedName, mimeType);
  if (target === undefined) return 'cancelled';
  await deps.writeFile(target, content);
  return 'saved';
}

/** The name a PDF is suggested under: the suggestion with ".pdf", added once, still within the file name limit. */
export function pdfName(suggestedName: string): string {
  if (suggestedName.toLowerCase().endsWith('.pdf')) return suggestedName;
  return `${suggestedName.slice(0, LIMITS.fileName - '.pdf'.length)}.pdf`;
}

/**
 * "Print" in the desktop app means a PDF of the current page (receipts are
 * filed, rarely put on paper in a truck). The page is rendered for print
 * media, so its print stylesheet applies, and rendered before the dialog
 * opens: the PDF shows the page as it was when the user pressed Print.
 */
export async function savePdf(deps: SaveFileDeps, source: PdfSource, suggestedName: string): Promise<SaveOutcome> {
  checkName(suggestedName);
  const pdf = await source.printToPDF({ printBackground: true, pageSize: 'A4' });
  const target = await chooseTarget(deps, pdfName(suggestedName), 'application/pdf');
  if (target === undefined) return 'cancelled';
  await deps.writeFile(target, pdf);
  return 'saved';
}

/** The two file actions for a sender (a window's WebContents in the app). */
export interface FileActions<S> {
  exportText(sender: S, suggestedName: string, content: string, mimeType: string): Promise<SaveOutcome>;
  printToPdf(sender: S, suggestedName: string): Promise<SaveOutcome>;
}

export function createFileActions<S extends PdfSource>(depsFor: (sender: S) => SaveFileDeps): FileActions<S> {
  return {
    exportText: (sender, suggestedName, content, mimeType) => saveText(depsFor(sender), suggestedName, content, mimeType),
    printToPdf: (sender, suggestedName) => savePdf(depsFor(sender), sender, suggestedName),
  };
}
