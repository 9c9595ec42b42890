/**
 * The stored session (server URL, user name, refresh token), encrypted with
 * the OS keychain through safeStorage, in one file under userData.
 *
 * Decision: never plaintext. When safeStorage cannot encrypt — or on Linux
 * falls back to 'basic_text' (a fixed, public key: obfuscation, not
 * encryption) — saving fails with 'encryption-unavailable' and nothing is
 * written. The renderer then keeps the session in memory only: the user signs
 * in again after a restart, which is cheaper than a refresh token readable by
 * anything with access to the disk. A file that cannot be decrypted any more
 * (keychain reset, copied from another machine) is deleted and reads as
 * "no session".
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IpcFailure, isStoredSession } from '../../shared/ipc.js';
import type { StoredSession } from '../../shared/platform.js';

/** The part of Electron's safeStorage the vault uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

export interface VaultOptions {
  file: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  log?: (message: string, error?: unknown) => void;
}

export interface Vault {
  save(session: StoredSession): Promise<void>;
  load(): Promise<StoredSession | null>;
  clear(): Promise<void>;
  /** Why sessions cannot be stored here, or null when they can. */
  unavailableReason(): string | null;
}

export function createVault(options: VaultOptions): Vault {
  const { file, safeStorage, platform } = options;
  const log = options.log ?? ((message, error) => console.warn(message, error ?? ''));

  const unavailableReason = (): string | null => {
    if (!safeStorage.isEncryptionAvailable()) return 'the operating system offers no encryption for stored secrets';
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      return 'no keyring (gnome-keyring, KWallet) is running, and the fallback would store the token readable by anyone';
    }
    return null;
  };

  const remove = () => rm(file, { force: true });

  return {
    unavailableReason,

    async save(session) {
      const reason = unavailableReason();
      if (reason !== null) {
        throw new IpcFailure('encryption-unavailable', `The session was not stored: ${reason}.`);
      }
      const encrypted = safeStorage.encryptString(JSON.stringify(session));
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // Write then rename: a crash mid-write leaves the old session, never half of one.
      const temporary = `${file}.${randomUUID()}.tmp`;
      try {
        await writeFile(temporary, encrypted, { mode: 0o600 });
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },

    async load() {
      let encrypted: Buffer;
      try {
        encrypted = await readFile(file);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
      if (unavailableReason() !== null) return null;
      try {
        const session: unknown = JSON.parse(safeStorage.decryptString(encrypted));
        if (isStoredSession(session)) return session;
        log('the stored session has an unexpected shape; it was deleted');
      } catch (error) {
        log('the stored session could not be decrypted; it was deleted', error);
      }
      await remove();
      return null;
    },

    async clear() {
      await remove();
    },
  };
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
