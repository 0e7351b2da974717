/**
 * Where the config directory is: --config-dir, else SFOAUTH_CONFIG_DIR, else the user's config
 * directory as conf (env-paths with an empty suffix) would pick it, so the file sits where users of
 * other conf-based CLIs expect it.
 */
import os from 'node:os';
import path from 'node:path';
import type { Env } from '../ports.js';

export const APP_DIR_NAME = 'sfoauth';

export interface ConfigDirInput {
  /** --config-dir, when given. */
  configDir?: string | undefined;
  env: Env;
  /** Defaults to the running platform. */
  platform?: NodeJS.Platform;
  /** Defaults to the running user's home directory. */
  homedir?: string;
}

export function resolveConfigDir(input: ConfigDirInput): string {
  // An empty value (`SFOAUTH_CONFIG_DIR=`) means "not set", as shells make it easy to export one.
  if (input.configDir) return input.configDir;
  const fromEnv = input.env.SFOAUTH_CONFIG_DIR;
  if (fromEnv) return fromEnv;
  return userConfigDir(input);
}

/** env-paths' `config` directory for "sfoauth" with no suffix. */
function userConfigDir(input: ConfigDirInput): string {
  const platform = input.platform ?? os.platform();
  const home = input.homedir ?? os.homedir();
  if (platform === 'win32') {
    const appData = input.env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DIR_NAME, 'Config');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Preferences', APP_DIR_NAME);
  const xdg = input.env.XDG_CONFIG_HOME || path.posix.join(home, '.config');
  return path.posix.join(xdg, APP_DIR_NAME);
}
