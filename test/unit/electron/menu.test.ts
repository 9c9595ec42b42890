import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, type MenuOptions } from '../../../electron/main/menu.js';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

function build(overrides: Partial<MenuOptions> = {}) {
  const options: MenuOptions = { appName: 'Fieldstock', isMac: false, isDev: false, onSyncNow: vi.fn(), onAbout: vi.fn(), ...overrides };
  return { options, all: items(buildMenuTemplate(options)) };
}

describe('the application menu', () => {
  it('has Sync now on F5 and it asks the renderer to resync', () => {
    const { options, all } = build();
    const sync = all.find((item) => item.label === 'Sync now');
    expect(sync?.accelerator).toBe('F5');
    expect(sync?.click).toBe(options.onSyncNow);
  });

  it('reloads on Ctrl/Cmd+R and quits on Ctrl/Cmd+Q', () => {
    const { all } = build();
    expect(all.find((item) => item.role === 'reload')?.accelerator).toBe('CmdOrCtrl+R');
    expect(all.find((item) => item.role === 'quit')?.accelerator).toBe('CmdOrCtrl+Q');
  });

  it('has an About item on every platform', () => {
    expect(build().all.some((item) => item.label === 'About Fieldstock')).toBe(true);
    expect(build({ isMac: true }).all.some((item) => item.label === 'About Fieldstock')).toBe(true);
  });

  it('offers DevTools in development only', () => {
    expect(build({ isDev: true }).all.some((item) => item.role === 'toggleDevTools')).toBe(true);
    expect(build({ isDev: false }).all.some((item) => item.role === 'toggleDevTools')).toBe(false);
  });

  it('has the Edit roles that make copy and paste work on macOS', () => {
    const roles = build({ isMac: true }).all.map((item) => item.role);
    expect(roles).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo']));
  });
});
