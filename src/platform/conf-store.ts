/**
 * The production ProfileStore: one JSON file, `<config dir>/config.json`, validated with zod
 * (schema.ts), written by safe-file.ts, and locked across processes with proper-lockfile.
 *
 * conf is no longer used: its writer (atomically) keeps a loose mode and writes through symlinks, and
 * importing it installs when-exit's signal handlers, which re-raise Ctrl-C and kill the process, so a
 * refresh in flight could never finish and be saved (docs/credentials.md). The file is where conf
 * would keep it (config-dir.ts), in the same format.
 *
 * Guarantees (docs/credentials.md):
 * - Every operation reads and validates the whole file first, so a corrupt, invalid or newer file
 *   throws ConfigError before anything could be written over it.
 * - Every write holds the config lock, re-reads the file under it and changes only its own profile.
 * - Writes are atomic (0600 temp file opened O_EXCL|O_NOFOLLOW, fsync, rename, directory fsync): a
 *   failed write leaves the previous file as it was.
 * - The file is 0600 after every write (a looser one is tightened, and that is said once); the directory
 *   is created 0700. A directory other users can write, and a symlinked config.json that another user
 *   owns or others can read, are refused (exit 2) before anything is read or written.
 * - Reading when there is no file returns an empty config and creates nothing, not even the directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Env } from '../core/ports.js';
import { ConfigError, LockTimeoutError } from '../errors.js';
import { acquireFileLock, lockWaitMs } from './file-lock.js';
import { resolveConfigDir } from '../core/config/config-dir.js';
import type { ConfigFile } from '../core/config/profile.js';
import { profileStoreOver, type StoreFiles } from '../core/config/profile-store.js';
import type { ProfileStore, SidecarKind } from '../core/config/store.js';
import { CONFIG_VERSION, emptyConfig, newerConfigVersion, parseConfigFile, validateProfileName } from '../core/config/schema.js';
import {
  assertSafeDir,
  describeFsError,
  ensureSafeDir,
  hasCode,
  octal,
  probeWritable,
  shellQuote,
  vetConfigFile,
  writeSecretFileAtomic,
} from './safe-file.js';
import { writeRecoveryFile } from './recovery-file.js';

export const CONFIG_FILE_NAME = 'config.json';
export const FIX_OR_MOVE_HINT = 'Fix or move the file aside (`sfoauth doctor --fix` moves it aside), then run the command again.';

export interface ConfStoreOptions {
  /** --config-dir; SFOAUTH_CONFIG_DIR and the user's config directory are the fallbacks. */
  configDir?: string | undefined;
  env: Env;
  /** Receives one-line notices for people (stderr), e.g. that the file's mode was tightened. */
  notice?: (line: string) => void;
  /** Shows a wait for the config lock that lasts (file-lock.ts onWait): a spinner or a line, by the CLI. */
  onLockWait?: (line: string) => () => void;
}

export async function openConfStore(options: ConfStoreOptions): Promise<ProfileStore> {
  const dir = path.resolve(
    resolveConfigDir({ configDir: options.configDir, env: options.env, platform: process.platform, homedir: os.homedir() }),
  );
  return createConfStore(dir, { lockWaitMs: lockWaitMs(options.env), notice: options.notice ?? (() => undefined), ...(options.onLockWait ? { onWait: options.onLockWait } : {}) });
}

/** Mode changes are announced once per process, however many writes follow. */
let tightenAnnounced = false;

function createConfStore(dir: string, o: { lockWaitMs: number; notice: (line: string) => void; onWait?: (line: string) => () => void }): ProfileStore {
  const file = path.join(dir, CONFIG_FILE_NAME);
  function load(): ConfigFile {
    assertSafeDir(dir);
    let vetted;
    try {
      vetted = vetConfigFile(file);
    } catch (err) {
      throw readError(err, file);
    }
    if (vetted === undefined) return emptyConfig();
    let raw: unknown;
    try {
      raw = parseJsonObject(fs.readFileSync(file, 'utf8'), file);
    } catch (err) {
      throw readError(err, file);
    }
    const newer = newerConfigVersion(raw);
    const parsed = parseConfigFile(raw);
    if (parsed.ok) return parsed.config;
    if (newer !== undefined) {
      throw new ConfigError(`${file} was written by a newer sfoauth (config version ${newer}); this sfoauth reads version ${CONFIG_VERSION}.`, {
        file,
        issues: parsed.issues,
        hint: 'Upgrade sfoauth (npm install -g sfoauth@latest), or use another --config-dir with this version.',
      });
    }
    throw new ConfigError(`${file} is not a valid sfoauth config file.`, { file, issues: parsed.issues, hint: FIX_OR_MOVE_HINT });
  }

  function write(config: ConfigFile): void {
    ensureSafeDir(dir);
    const vetted = vetConfigFile(file);
    const target = vetted?.target ?? file;
    try {
      writeSecretFileAtomic(target, `${JSON.stringify(config, null, 2)}\n`);
    } catch (err) {
      throw writeError(err, target);
    }
    if (vetted && (vetted.mode & 0o077) !== 0 && !tightenAnnounced) {
      tightenAnnounced = true;
      o.notice(`Tightened ${target} from mode ${octal(vetted.mode)} to 0600: it holds the client secret and refresh token.`);
    }
  }

  async function acquireLock(signal?: AbortSignal): Promise<() => Promise<void>> {
    ensureSafeDir(dir);
    try {
      return await acquireFileLock(`${file}.lock`, { waitMs: o.lockWaitMs, notice: o.notice, what: file, ...(o.onWait ? { onWait: o.onWait } : {}), ...(signal ? { signal } : {}) });
    } catch (err) {
      // The lock lives next to config.json: failing to create it is the pre-flight failing.
      if (err instanceof LockTimeoutError || (signal?.aborted && err === signal.reason)) throw err;
      throw notWritable(err, dir);
    }
  }

  const sidecarPath = (kind: SidecarKind, name: string) => path.join(dir, `${kind}.${validateProfileName(name)}.json`);
  const files: StoreFiles = {
    sidecarPath,
    assertWritable: async () => {
      try {
        ensureSafeDir(dir);
        const vetted = vetConfigFile(file);
        const target = vetted?.target ?? file;
        const size = fileSize(target);
        probeWritable(path.dirname(target), size + 4096);
        if (path.dirname(target) !== dir) probeWritable(dir, 4096); // the journal and the lock live next to config.json
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw notWritable(err, dir);
      }
    },
    readSidecar: async (kind, name) => {
      const p = sidecarPath(kind, name);
      let text: string;
      try {
        const fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
        try {
          text = fs.readFileSync(fd, 'utf8');
        } finally {
          fs.closeSync(fd);
        }
      } catch (err) {
        if (hasCode(err) && err.code === 'ENOENT') return undefined;
        throw new ConfigError(`Could not read ${p}: ${describeFsError(err)}.`, { cause: err, file: p, hint: `Check the file; it is one of sfoauth's own files next to ${CONFIG_FILE_NAME}.` });
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined; // cut short by a crash: it holds nothing usable
      }
    },
    writeSidecar: async (kind, name, value) => {
      const p = sidecarPath(kind, name);
      const text = `${JSON.stringify(value, null, 2)}\n`;
      try {
        ensureSafeDir(dir);
        writeSecretFileAtomic(p, text, { renameFirst: kind === 'pending-token' });
        return p;
      } catch (err) {
        // A rotated token must land somewhere: the caller names this file and how to move it back.
        if (kind === 'pending-token') return writeRecoveryFile(path.basename(p), text);
        throw err;
      }
    },
    removeSidecar: async (kind, name) => {
      fs.rmSync(sidecarPath(kind, name), { force: true });
    },
    listSidecars: async (kind) => {
      let entries: string[];
      try {
        entries = fs.readdirSync(dir);
      } catch {
        return [];
      }
      const prefix = `${kind}.`;
      return entries
        .filter((e) => e.startsWith(prefix) && e.endsWith('.json'))
        .map((e) => e.slice(prefix.length, -'.json'.length))
        .filter((n) => /^[A-Za-z0-9._-]{1,64}$/.test(n))
        .sort();
    },
  };

  return profileStoreOver({ file, load, write, acquireLock, files });
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The pre-flight failed: say which path, why, and what to do; nothing has been spent. */
function notWritable(err: unknown, dir: string): ConfigError {
  const code = hasCode(err) ? err.code : undefined;
  const fix =
    code === 'EROFS'
      ? `Mount it read-write, or copy ${CONFIG_FILE_NAME} to a writable directory and point --config-dir or SFOAUTH_CONFIG_DIR there.`
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'Free some disk space, then run the command again.'
        : code === 'EACCES' || code === 'EPERM'
          ? `Make it writable for your user (chmod u+w ${shellQuote(dir)}), or point --config-dir or SFOAUTH_CONFIG_DIR at a writable directory.`
          : 'Point --config-dir or SFOAUTH_CONFIG_DIR at a writable directory.';
  return new ConfigError(`sfoauth cannot write to the config directory ${dir} (${describeFsError(err)}), so it stopped before using any token: nothing was sent to Salesforce and nothing changed.`, {
    cause: err,
    file: dir,
    hint: fix,
  });
}

/**
 * Parses the file's text. JSON.parse messages can quote part of the file (a secret, say), so only the
 * position is kept.
 */
function parseJsonObject(text: string, file: string): Record<string, unknown> {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // editors on Windows add a BOM
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON.`, { file, issues: [jsonProblem(body, err)], hint: FIX_OR_MOVE_HINT });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new ConfigError(`${file} is not a valid sfoauth config file.`, {
      file,
      issues: [`(top level): expected a JSON object, found ${kind}`],
      hint: FIX_OR_MOVE_HINT,
    });
  }
  return value as Record<string, unknown>;
}

function jsonProblem(text: string, err: unknown): string {
  if (text.trim() === '') return '(top level): the file is empty';
  const truncated = '(end of file): the JSON ends too early (was the file cut short?)';
  const message = err instanceof Error ? err.message : '';
  if (message.includes('Unexpected end of JSON input')) return truncated;
  const match = /at position (\d+)/.exec(message);
  if (match === null) return '(top level): invalid JSON syntax';
  const position = Number(match[1]);
  if (position >= text.trimEnd().length) return truncated;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: invalid JSON syntax`;
}

function readError(err: unknown, file: string): unknown {
  if (err instanceof ConfigError) return err;
  if (!hasCode(err)) return err;
  return new ConfigError(`Could not read ${file}: ${describeFsError(err)}.`, {
    cause: err,
    file,
    hint: 'Check that the file is yours and readable (chmod 600 is right for it).',
  });
}

function writeError(err: unknown, file: string): unknown {
  if (err instanceof ConfigError) return err;
  if (!hasCode(err)) return err;
  return new ConfigError(`Could not write ${file}: ${describeFsError(err)}. The previous file is unchanged.`, {
    cause: err,
    file,
    hint: 'Check the directory permissions and free disk space, then run the command again.',
  });
}
