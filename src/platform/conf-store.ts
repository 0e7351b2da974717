/**
 * The production ProfileStore: one JSON file, `<config dir>/config.json`, read and written with conf
 * and validated with zod (schema.ts).
 *
 * Guarantees (SPEC.md "Configuration"):
 * - Every operation reads and validates the whole file first, so a corrupt, invalid or newer file
 *   throws ConfigError before anything could be written over it.
 * - Writes go through conf, which uses `atomically`: a 0600 temp file next to the target, fsync, then
 *   rename. A failed write leaves the previous file as it was. (conf falls back to a plain write only
 *   inside a Snap package or on a cross-device rename error.)
 * - The directory is created 0700. A file we create is 0600; an existing file keeps its mode (doctor
 *   warns about loose bits rather than sfoauth changing them behind the user's back).
 * - Reading when there is no file returns an empty config and creates nothing, not even the directory.
 *
 * Every method runs synchronously to completion (conf is synchronous), so two saves started together
 * in one process are applied one after the other and both survive.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import type { Env } from '../deps.js';
import { ConfigError } from '../errors.js';
import { resolveConfigDir } from '../core/config/config-dir.js';
import type { ConfigFile } from '../core/config/profile.js';
import { profileStoreOver } from '../core/config/profile-store.js';
import type { ProfileStore } from '../core/config/store.js';
import { emptyConfig, newerConfigVersion, parseConfigFile } from '../core/config/schema.js';

export const CONFIG_FILE_NAME = 'config.json';
export const FIX_OR_MOVE_HINT = 'Fix or move the file aside (`sfoauth doctor --fix` moves it aside), then run the command again.';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export interface ConfStoreOptions {
  /** --config-dir; SFOAUTH_CONFIG_DIR and the user's config directory are the fallbacks. */
  configDir?: string | undefined;
  env: Env;
}

export async function openConfStore(options: ConfStoreOptions): Promise<ProfileStore> {
  const dir = path.resolve(
    resolveConfigDir({ configDir: options.configDir, env: options.env, platform: process.platform, homedir: os.homedir() }),
  );
  return createConfStore(dir);
}

function createConfStore(dir: string): ProfileStore {
  const file = path.join(dir, CONFIG_FILE_NAME);

  // A fresh Conf per operation: conf takes the file mode at construction, and we want the mode the
  // file has right now. Construction reads the file (through `deserialize`) and, with no defaults,
  // never writes.
  const openConf = (mode: number) =>
    new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: 'config',
      fileExtension: 'json',
      configFileMode: mode,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false, // profile names may contain dots
      watch: false,
      serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
      deserialize: (text) => parseJsonObject(text, file),
    });

  function load(): ConfigFile {
    if (!fs.existsSync(file)) return emptyConfig();
    let raw: unknown;
    try {
      raw = openConf(FILE_MODE).store;
    } catch (err) {
      throw readError(err, file);
    }
    const newer = newerConfigVersion(raw);
    const parsed = parseConfigFile(raw);
    if (parsed.ok) return parsed.config;
    if (newer !== undefined) {
      throw new ConfigError(`${file} was written by a newer sfoauth (config version ${newer}); this sfoauth reads version 1.`, {
        file,
        issues: parsed.issues,
        hint: 'Upgrade sfoauth (npm install -g sfoauth@latest), or use another --config-dir with this version.',
      });
    }
    throw new ConfigError(`${file} is not a valid sfoauth config file.`, { file, issues: parsed.issues, hint: FIX_OR_MOVE_HINT });
  }

  function write(config: ConfigFile): void {
    ensureDir(dir);
    const mode = currentMode(file) ?? FILE_MODE;
    try {
      openConf(mode).store = config as unknown as Record<string, unknown>;
    } catch (err) {
      throw writeError(err, file);
    }
  }

  return profileStoreOver({ file, load, write });
}

/**
 * conf's deserializer. JSON.parse messages can quote part of the file (a secret, say), so only the
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

function ensureDir(dir: string): void {
  try {
    const created = fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    // mkdir's mode is filtered by the umask; a directory we made gets exactly 0700. A directory the
    // user made is left as it is.
    if (created !== undefined) fs.chmodSync(dir, DIR_MODE);
  } catch (err) {
    throw new ConfigError(`Could not create the config directory ${dir}: ${describeFsError(err)}.`, {
      cause: err,
      file: dir,
      hint: 'Pick a writable directory with --config-dir or SFOAUTH_CONFIG_DIR.',
    });
  }
}

function currentMode(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
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

function hasCode(err: unknown): err is { code: string } {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}

function describeFsError(err: unknown): string {
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
    default:
      return code ?? 'unexpected error';
  }
}
