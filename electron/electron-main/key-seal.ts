/**
 * The Electron shell's seal of the storage key (electron/node/storage-key.ts): safeStorage, i.e.
 * the OS keychain (DPAPI on Windows, the Keychain on macOS, libsecret/KWallet on Linux). A copied
 * data folder is then unreadable away from this machine and user. Thin on purpose: Electron cannot
 * run in the test environment, so everything else about the key is in the Node core.
 */
import { safeStorage } from 'electron';
import type { KeySeal } from '../node/storage-key.js';

/**
 * The seal, or null when the OS offers no keychain (Linux without one falls back to safeStorage's
 * fixed "basic_text" password, no better than the plain 0600 key file the host then keeps).
 */
export async function safeStorageSeal(): Promise<KeySeal | null> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return null;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  return {
    name: 'Electron safeStorage',
    seal: (plain) => safeStorage.encryptStringAsync(plain),
    open: async (sealed) => (await safeStorage.decryptStringAsync(sealed)).result,
  };
}
