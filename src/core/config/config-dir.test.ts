import { describe, expect, it } from 'vitest';
import { resolveConfigDir } from './config-dir.js';

describe('resolveConfigDir', () => {
  const home = '/home/ada';

  it('prefers --config-dir, then SFOAUTH_CONFIG_DIR', () => {
    const env = { SFOAUTH_CONFIG_DIR: '/from/env', XDG_CONFIG_HOME: '/xdg' };
    expect(resolveConfigDir({ configDir: '/from/flag', env, platform: 'linux', homedir: home })).toBe('/from/flag');
    expect(resolveConfigDir({ env, platform: 'linux', homedir: home })).toBe('/from/env');
  });

  it('treats empty values as unset', () => {
    const env = { SFOAUTH_CONFIG_DIR: '', XDG_CONFIG_HOME: '' };
    expect(resolveConfigDir({ configDir: '', env, platform: 'linux', homedir: home })).toBe('/home/ada/.config/sfoauth');
  });

  it('uses XDG_CONFIG_HOME, else ~/.config, on Linux and other Unixes', () => {
    expect(resolveConfigDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', homedir: home })).toBe('/xdg/sfoauth');
    expect(resolveConfigDir({ env: {}, platform: 'linux', homedir: home })).toBe('/home/ada/.config/sfoauth');
    expect(resolveConfigDir({ env: {}, platform: 'freebsd', homedir: home })).toBe('/home/ada/.config/sfoauth');
  });

  it('uses ~/Library/Preferences on macOS, ignoring XDG_CONFIG_HOME as env-paths does', () => {
    expect(resolveConfigDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'darwin', homedir: '/Users/ada' })).toBe(
      '/Users/ada/Library/Preferences/sfoauth',
    );
  });

  it('uses %APPDATA%\\sfoauth\\Config on Windows, else the roaming AppData under the home directory', () => {
    expect(resolveConfigDir({ env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\sfoauth\\Config',
    );
    expect(resolveConfigDir({ env: {}, platform: 'win32', homedir: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Roaming\\sfoauth\\Config');
  });

  it('matches what conf itself would pick on this machine', async () => {
    const { default: envPaths } = await import('env-paths');
    expect(resolveConfigDir({ env: process.env })).toBe(envPaths('sfoauth', { suffix: '' }).config);
  });
});
