/**
 * The ERP adapters are the folders of server/erp/adapters/: a folder named
 * `odoo` with an index.ts exporting `adapter` (an ErpAdapter) is the adapter
 * `FIELDSTOCK_ERP=odoo`, with no list to update anywhere else. The name is
 * checked against /^[a-z0-9-]+$/ before it touches the file system, so a
 * configured value can never import anything outside that folder.
 *
 * Listing is synchronous so server/config.ts can refuse an unknown name at
 * start (with the available ones in the message); loading is a dynamic
 * import, done once at start.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config } from '../config.js';
import type { ErpAdapter, ErpConnector } from './connector.js';
import { ErpError } from './errors.js';

export const ADAPTER_NAME = /^[a-z0-9-]+$/;

/** The adapters folder, next to this file. */
function adaptersDir(): string {
  const url = new URL('./adapters/', import.meta.url);
  // Under a browser-like test environment (happy-dom) the module URL is served from the project root.
  return url.protocol === 'file:' ? fileURLToPath(url) : join(process.cwd(), decodeURIComponent(url.pathname));
}

/** Names of the adapter folders that have an entry module, sorted. */
export function erpAdapterNames(dir: string = adaptersDir()): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && ADAPTER_NAME.test(entry.name) && entryModule(dir, entry.name) !== undefined)
    .map((entry) => entry.name)
    .sort();
}

/** `"none" or "tryton"`; `"none", "odoo" or "tryton"`. */
export function describeAdapterNames(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return quoted.length <= 1 ? (quoted[0] ?? '(none installed)') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** Throws the start-up error for a name that is not an adapter folder. */
export function assertErpAdapterName(name: string, variable = 'FIELDSTOCK_ERP', dir: string = adaptersDir()): void {
  const names = erpAdapterNames(dir);
  if (!ADAPTER_NAME.test(name) || !names.includes(name)) {
    throw new ErpError('erp-config', `${variable} must be ${describeAdapterNames(names)}, not "${name}" (adapters are the folders of server/erp/adapters/)`);
  }
}

/** Imports the adapter `name`; throws ErpError `erp-config` for an unknown name or a folder that does not export an adapter. */
export async function loadErpAdapter(name: string): Promise<ErpAdapter> {
  assertErpAdapterName(name, 'ERP adapter');
  const file = entryModule(adaptersDir(), name);
  // The file that exists (index.ts under tsx and Vitest, index.js once compiled), by absolute URL:
  // bundlers cannot map a specifier built at run time, and the name was checked above.
  const module: unknown = await import(/* @vite-ignore */ pathToFileURL(join(adaptersDir(), name, file ?? 'index.js')).href);
  const adapter = (module as { adapter?: Partial<ErpAdapter> }).adapter;
  if (!adapter || typeof adapter.create !== 'function' || adapter.name !== name) {
    throw new ErpError('erp-config', `server/erp/adapters/${name}/${file} must export \`adapter\`, an ErpAdapter named "${name}"`);
  }
  return adapter as ErpAdapter;
}

/** The configured connector (config.erp), ready to use. */
export async function createErpConnector(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<ErpConnector> {
  const adapter = await loadErpAdapter(config.erp);
  return adapter.create({ config, env });
}

function entryModule(dir: string, name: string): string | undefined {
  return ['index.ts', 'index.js'].find((file) => existsSync(join(dir, name, file)));
}
