import { safeStorage } from 'electron';
import { join } from 'node:path';
import { readTokenFile, removeTokenFile, savedToken, tokenFileProblem, writeTokenFile, type TokenVault } from './core/token-vault';

/** The backend token encrypted with the OS keychain (safeStorage), in the user-data folder. */
export function safeStorageVault(userData: string): TokenVault {
  const file = join(userData, 'backend-token.enc');
  return {
    where: `${file}, encrypted with the operating system's key store`,
    load() {
      const problem = tokenFileProblem(file);
      if (problem) throw new Error(problem);
      if (!safeStorage.isEncryptionAvailable()) return null;
      return readTokenFile(file, (bytes) => savedToken(file, safeStorage.decryptString(bytes)));
    },
    save(token) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('The OS key store is not available; the token was not saved.');
      writeTokenFile(file, safeStorage.encryptString(token));
    },
    clear: () => removeTokenFile(file),
  };
}
