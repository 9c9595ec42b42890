/**
 * The application menu. Its accelerators are the only keyboard shortcuts main
 * defines: F5 asks the renderer to resync now (it arrives as the same
 * 'platform:resume' signal as waking from sleep: "the world may have moved,
 * catch up"), Ctrl/Cmd+R reloads the page, Ctrl/Cmd+Q quits. DevTools are
 * in development builds only.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  appName: string;
  isMac: boolean;
  /** Development build (not packaged): adds DevTools. */
  isDev: boolean;
  onSyncNow: () => void;
  onAbout: () => void;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { appName, isMac, isDev } = options;
  const about: MenuItemConstructorOptions = { label: `About ${appName}`, click: options.onAbout };
  const syncNow: MenuItemConstructorOptions = { label: 'Sync now', accelerator: 'F5', click: options.onSyncNow };
  const quit: MenuItemConstructorOptions = { role: 'quit', label: `Quit ${appName}`, accelerator: 'CmdOrCtrl+Q' };

  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: appName,
      submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, quit],
    });
  }
  template.push({ label: 'File', submenu: isMac ? [syncNow, { role: 'close' }] : [syncNow, { type: 'separator' }, quit] });
  // Without an Edit menu the copy/paste shortcuts do nothing on macOS.
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: 'View',
    submenu: [
      { role: 'reload', accelerator: 'CmdOrCtrl+R' },
      ...(isDev ? [{ role: 'toggleDevTools', accelerator: 'CmdOrCtrl+Shift+I' } satisfies MenuItemConstructorOptions] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  if (!isMac) template.push({ label: 'Help', submenu: [about] });
  return template;
}
