import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(`${root}${file}`, 'utf8');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path, or undefined. */
function at(config: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), config);
}

describe('electron-builder.yml', () => {
  let config: unknown;
  let validate: (data: unknown) => boolean;
  let errors: () => unknown;

  beforeAll(() => {
    config = parse(read('electron-builder.yml'));
    // electron-builder's own schema: it validates the config with it before any download.
    const schema: unknown = JSON.parse(read('node_modules/app-builder-lib/scheme.json'));
    if (!isRecord(schema)) throw new Error('scheme.json is not a JSON object');
    const ajv = new Ajv({ allErrors: true, strict: false });
    const compiled = ajv.compile(schema);
    validate = (data) => compiled(data);
    errors = () => compiled.errors;
  });

  it("is valid against app-builder-lib's scheme.json", () => {
    const valid = validate(config);
    expect(errors()).toBeNull();
    expect(valid).toBe(true);
  });

  it('is checked strictly enough to catch a misspelt option', () => {
    expect(validate({ ...(isRecord(config) ? config : {}), electronFuses: { runAsNode: false, runAsNodee: false } })).toBe(false);
    expect(validate({ ...(isRecord(config) ? config : {}), asar: 'yes' })).toBe(false);
  });

  it('builds AppImage and deb on Linux, nsis on Windows and dmg on macOS', () => {
    expect(at(config, 'linux.target')).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(at(config, 'win.target')).toEqual(['nsis']);
    expect(at(config, 'mac.target')).toEqual(['dmg']);
  });

  it('packages the app in an asar archive and only loads it from there', () => {
    expect(at(config, 'asar')).toBe(true);
    expect(at(config, 'electronFuses.onlyLoadAppFromAsar')).toBe(true);
    expect(at(config, 'electronFuses.enableEmbeddedAsarIntegrityValidation')).toBe(true);
  });

  it('flips the fuses that would let an environment variable or a flag run code in the app', () => {
    expect(at(config, 'electronFuses.runAsNode')).toBe(false);
    expect(at(config, 'electronFuses.enableNodeOptionsEnvironmentVariable')).toBe(false);
    expect(at(config, 'electronFuses.enableNodeCliInspectArguments')).toBe(false);
    expect(at(config, 'electronFuses.grantFileProtocolExtraPrivileges')).toBe(false);
  });

  it('ships the bundles the build scripts produce, and no node_modules', () => {
    const files = at(config, 'files');
    expect(files).toEqual(expect.arrayContaining(['dist/electron/**', 'renderer/dist/**', '!node_modules/**']));
    // The entry must be the file scripts/build-electron.mjs writes.
    expect(at(config, 'extraMetadata.main')).toBe('dist/electron/main.js');
    expect(read('scripts/build-electron.mjs')).toContain("outfile: join(outDir, 'main.js')");
  });
});
