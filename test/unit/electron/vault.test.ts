import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipcErrorCode, IpcFailure } from '../../../shared/ipc.js';
import { createVault, type SafeStorageLike } from '../../../electron/main/vault.js';

const session = { serverUrl: 'https://depot.example.com', username: 'tech1', refreshToken: 'refresh-SECRET-123' };

/** A reversible stand-in for the OS keychain: XOR with a key, so the file holds no plaintext. */
function keychain(options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const key = 0x5a;
  const flip = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ key));
  return {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (text) => flip(Buffer.concat([Buffer.from('v1:'), Buffer.from(text, 'utf8')])),
    decryptString: (encrypted) => {
      const text = flip(encrypted).toString('utf8');
      if (!text.startsWith('v1:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return text.slice(3);
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
}

describe('the session vault', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fieldstock-vault-'));
    file = path.join(dir, 'userData', 'session.bin');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a session when encryption is available, and the file holds no plaintext', async () => {
    const vault = createVault({ file, safeStorage: keychain(), platform: 'linux' });
    await vault.save(session);
    const stored = readFileSync(file);
    expect(stored.toString('utf8')).not.toContain('refresh-SECRET-123');
    expect(stored.toString('latin1')).not.toContain('tech1');
    expect(await vault.load()).toEqual(session);
  });

  it('refuses to store anything when safeStorage cannot encrypt', async () => {
    const vault = createVault({ file, safeStorage: keychain({ available: false }), platform: 'win32' });
    const error: unknown = await vault.save(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcFailure);
    expect(error instanceof IpcFailure ? error.code : undefined).toBe('encryption-unavailable');
    expect(existsSync(file)).toBe(false);
    expect(vault.unavailableReason()).toMatch(/no encryption/);
  });

  it("refuses Linux's basic_text fallback, which is obfuscation with a public key", async () => {
    const vault = createVault({ file, safeStorage: keychain({ backend: 'basic_text' }), platform: 'linux' });
    await expect(vault.save(session)).rejects.toThrow(/keyring/);
    expect(existsSync(file)).toBe(false);
  });

  it('trusts the keychain on other platforms, where there is no basic_text backend', async () => {
    const vault = createVault({ file, safeStorage: keychain({ backend: 'basic_text' }), platform: 'darwin' });
    await vault.save(session);
    expect(await vault.load()).toEqual(session);
  });

  it('reads no session when there is no file', async () => {
    expect(await createVault({ file, safeStorage: keychain(), platform: 'linux' }).load()).toBeNull();
  });

  it('deletes a file it cannot decrypt and reads it as no session', async () => {
    const vault = createVault({ file, safeStorage: keychain(), platform: 'linux', log: () => undefined });
    await vault.save(session);
    writeFileSync(file, Buffer.from('garbage'));
    expect(await vault.load()).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('deletes a decrypted session of the wrong shape', async () => {
    const safeStorage = keychain();
    const vault = createVault({ file, safeStorage, platform: 'linux', log: () => undefined });
    await vault.save(session);
    writeFileSync(file, safeStorage.encryptString(JSON.stringify({ ...session, serverUrl: 'javascript:alert(1)' })));
    expect(await vault.load()).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('keeps the file when the keychain is only unavailable for now (locked keyring)', async () => {
    await createVault({ file, safeStorage: keychain(), platform: 'linux' }).save(session);
    const locked = createVault({ file, safeStorage: keychain({ available: false }), platform: 'linux' });
    expect(await locked.load()).toBeNull();
    expect(existsSync(file)).toBe(true);
  });

  it('forgets the session on clear, and clearing twice is fine', async () => {
    const vault = createVault({ file, safeStorage: keychain(), platform: 'linux' });
    await vault.save(session);
    await vault.clear();
    await vault.clear();
    expect(await vault.load()).toBeNull();
  });

  it('replaces the previous session whole', async () => {
    const vault = createVault({ file, safeStorage: keychain(), platform: 'linux' });
    await vault.save(session);
    await vault.save({ ...session, username: 'tech2', refreshToken: 'r2' });
    expect(await vault.load()).toEqual({ ...session, username: 'tech2', refreshToken: 'r2' });
  });

  it('produces an error whose code the renderer can read', async () => {
    const vault = createVault({ file, safeStorage: keychain({ available: false }), platform: 'linux' });
    const error: unknown = await vault.save(session).catch((e: unknown) => e);
    expect(error instanceof IpcFailure && error.message).toMatch(/not stored/);
    expect(ipcErrorCode(new Error(`[encryption-unavailable] x`))).toBe('encryption-unavailable');
  });
});
