/**
 * Seals small secrets at rest (the TOTP secrets) with AES-256-GCM under a key kept in the data
 * folder (accounts.key, 0600), apart from the database: a copied database file or backup alone does
 * not give out anyone's second factor.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from '../sqlite-files.js';

export const ACCOUNTS_KEY_FILE = 'accounts.key';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

function loadOrCreateKey(dataDir: string): Buffer {
  const file = join(dataDir, ACCOUNTS_KEY_FILE);
  try {
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  } catch (error) {
    // another opener of the same data folder wrote it first: use theirs
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 256-bit key (base64); restore it from the backup of the data folder`);
  return key;
}

export function secretBox(dataDir: string): SecretBox {
  const key = loadOrCreateKey(dataDir);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== 'v1' || !iv || !tag || !body) throw new Error('sealed secret in an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
