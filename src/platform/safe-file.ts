/**
 * Files that hold secrets (docs/credentials.md "Safe files"): written atomically and 0600, never
 * through a symlink we did not vet, in a directory no other user can write.
 *
 * - writeSecretFileAtomic: a new temp file opened O_CREAT|O_EXCL|O_NOFOLLOW with mode 0600 in the
 *   target's directory, written and fsynced, then renamed over the target (rename replaces a symlink
 *   rather than following it), and the directory fsynced.
 * - assertSafeDir / vetConfigFile: the rules that make a config directory and file safe to use.
 * - probeWritable: proves, before a refresh token is spent, that a write would succeed now.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, UnsafeConfigError } from '../errors.js';
import { formatMode } from '../core/doctor/context.js';
import { shellQuote } from '../core/shell-quote.js';

export const SECRET_FILE_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;
const LOOSE_BITS = 0o077;
const STICKY = 0o1000;
const POSIX = process.platform !== 'win32';
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** The current user's uid, or undefined where there is none (Windows). */
function myUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

// One wording for modes and paths in messages, shared with doctor's checks.
export { formatMode as octal, shellQuote };

/**
 * Writes `data` to `target` so that a reader sees the old file or the new one, never a mix, and the
 * new one is 0600 whatever the old mode was. Throws the raw fs error (callers word it).
 *
 * `renameFirst` (the journal of a rotated token): rename as soon as the bytes are written, then fsync.
 * A killed process (SIGKILL) loses nothing the kernel already has, so this makes the token safe from
 * process death within one write and one rename; the fsyncs that follow cover power loss. The config
 * itself is fsynced before the rename, so a crash can never leave an empty config.json in its place.
 */
export function writeSecretFileAtomic(target: string, data: string, options: { renameFirst?: boolean } = {}): void {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW, SECRET_FILE_MODE);
  let renamed = false;
  try {
    try {
      fs.writeFileSync(fd, data);
      if (POSIX) fs.fchmodSync(fd, SECRET_FILE_MODE); // the umask may only remove bits; this makes it exact
      if (options.renameFirst) {
        fs.renameSync(temp, target);
        renamed = true;
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (!renamed) fs.renameSync(temp, target);
  } catch (err) {
    if (!renamed) {
      try {
        fs.unlinkSync(temp);
      } catch {
        // never created
      }
    }
    throw err;
  }
  syncDir(dir);
}

/** Makes a rename durable: fsync the directory (not possible on Windows, and harmless to skip there). */
function syncDir(dir: string): void {
  if (!POSIX) return;
  try {
    const fd = fs.openSync(dir, fs.constants.O_RDONLY);
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some file systems refuse fsync on a directory; the rename itself is still atomic
  }
}

/**
 * Creates `dir` 0700 when it is missing (its parents as mkdir -p would) and refuses one that another
 * user could write into, unless it is sticky and ours (like /tmp holding only our files). Returns true
 * when it created the directory.
 */
export function ensureSafeDir(dir: string): boolean {
  let created = false;
  try {
    created = fs.mkdirSync(dir, { recursive: true, mode: SECRET_DIR_MODE }) !== undefined;
    // mkdir's mode is filtered by the umask; a directory we made gets exactly 0700.
    if (created && POSIX) fs.chmodSync(dir, SECRET_DIR_MODE);
  } catch (err) {
    throw new ConfigError(`Could not create the config directory ${dir}: ${describeFsError(err)}.`, {
      cause: err,
      file: dir,
      hint: 'Pick a writable directory with --config-dir or SFOAUTH_CONFIG_DIR.',
    });
  }
  assertSafeDir(dir);
  return created;
}

/** Throws ConfigError (exit 2) for a directory other users can write (see ensureSafeDir). Missing is fine. */
export function assertSafeDir(dir: string): void {
  if (!POSIX) return;
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return; // missing: nothing in it to protect yet
  }
  const othersCanWrite = (st.mode & 0o022) !== 0;
  if (!othersCanWrite) return;
  const uid = myUid();
  if ((st.mode & STICKY) !== 0 && st.uid === uid) return;
  throw new UnsafeConfigError(
    `The config directory ${dir} can be written by other users (mode ${formatMode(st.mode)}), so one of them could replace the file that holds your client secret and refresh token.`,
    { file: dir, hint: `Run \`chmod 700 ${shellQuote(dir)}\`, or pick another directory with --config-dir or SFOAUTH_CONFIG_DIR.` },
  );
}

/**
 * Vets `file` before it is read or written and returns the path to write to: the file itself, or for a
 * symlink, the real file it points to (kept a symlink, as dotfile managers expect). A symlink to a file
 * another user owns, or that others can read, is refused: writing through it would hand them the secrets.
 * Returns undefined when the file does not exist.
 */
export function vetConfigFile(file: string): { target: string; mode: number } | undefined {
  let lst: fs.Stats;
  try {
    lst = fs.lstatSync(file);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!lst.isSymbolicLink()) return { target: file, mode: lst.mode & 0o777 };
  let real: string;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(file);
    st = fs.statSync(real);
  } catch (err) {
    throw new ConfigError(`${file} is a symlink that points nowhere (${describeFsError(err)}).`, {
      file,
      hint: `Remove the link (rm ${shellQuote(file)}) or point it at your own config file.`,
    });
  }
  if (!POSIX) return { target: real, mode: st.mode & 0o777 };
  const uid = myUid();
  if (st.uid !== uid) {
    throw new UnsafeConfigError(`${file} is a symlink to ${real}, which belongs to another user (uid ${st.uid}); sfoauth will not read or write your secrets there.`, {
      file,
      hint: `Remove the link (rm ${shellQuote(file)}) and run the command again, or use --config-dir.`,
    });
  }
  if ((st.mode & LOOSE_BITS) !== 0) {
    throw new UnsafeConfigError(`${file} is a symlink to ${real}, which other users can open (mode ${formatMode(st.mode)}); sfoauth will not write your secrets there.`, {
      file,
      hint: `Run \`chmod 600 ${shellQuote(real)}\`, or replace the link with a real file.`,
    });
  }
  return { target: real, mode: st.mode & 0o777 };
}

/**
 * Proves that `dir` takes a new file of `bytes` bytes right now: create (exclusively), write, fsync,
 * delete. Catches read-only mounts, permissions (even root's on a read-only file system) and a full
 * disk before anything is spent. Throws the raw fs error.
 */
export function probeWritable(dir: string, bytes: number): void {
  const probe = path.join(dir, `.sfoauth-write-probe.${randomBytes(6).toString('hex')}`);
  const fd = fs.openSync(probe, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW, SECRET_FILE_MODE);
  try {
    fs.writeFileSync(fd, Buffer.alloc(Math.max(1, bytes), 0x20));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(probe, { force: true });
  }
}

export function hasCode(err: unknown): err is { code: string } {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}

export function describeFsError(err: unknown): string {
  const code = hasCode(err) ? err.code : undefined;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way of the directory';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'no space left on the disk';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ELOOP':
      return 'it is a symlink';
    case 'ENOENT':
      return 'it does not exist';
    default:
      return code ?? 'unexpected error';
  }
}
