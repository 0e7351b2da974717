/**
 * Writes a file that may hold secrets: mode 0600 (also when it already existed with a wider mode), and
 * never through a symbolic link at the final path component, so a link planted there cannot redirect
 * the secret to another file.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { UsageError } from '../errors.js';

export async function writeSecretFile(path: string, text: string): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
  let handle;
  try {
    handle = await open(path, flags, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UsageError(`${path} is a symbolic link; sfoauth does not write secrets through links.`, { hint: 'Pass the path of a regular file.' });
    throw new UsageError(`Cannot write ${path} (${code ?? (err as Error).message}).`, { hint: 'Check that the directory exists and is writable.' });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UsageError(`${path} is not a regular file.`, { hint: 'Pass the path of a regular file.' });
    // An existing file keeps its mode on open: narrow it before the secret goes in.
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
