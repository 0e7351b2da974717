/**
 * The last place a rotated refresh token can go when its own destination refuses it: a new private
 * directory (0700, mkdtemp) under the system temp directory, holding one 0600 file. The path is told to
 * the user; the token itself never reaches the terminal (docs/credentials.md "Recovery").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSecretFileAtomic } from './safe-file.js';

export function writeRecoveryFile(fileName: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfoauth-recovery-'));
  const file = path.join(dir, fileName);
  writeSecretFileAtomic(file, content);
  return file;
}
