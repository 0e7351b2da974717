/**
 * Machine: the config file (client secret, refresh token) is readable by its owner only, mode 0600,
 * in a directory only its owner can enter (0700). --fix tightens the file; the directory is left to the
 * user, since --config-dir may point at a directory that is not sfoauth's alone.
 */
import { chmodSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, skip, warn } from '../../checks/check.js';
import { errnoCode, formatMode, type DoctorCheck } from '../context.js';
import { shellQuote } from '../../shell-quote.js';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** Any bit for the group or other users. */
const LOOSE_BITS = 0o077;

export const configPermissionsCheck: DoctorCheck = {
  id: 'config-permissions',
  group: 'machine',
  title: 'Config file permissions',
  needs: ['config-file'],
  async run(ctx) {
    if (ctx.platform === 'win32') return skip('file modes do not apply on Windows (the file sits in your user profile)');
    const file = ctx.configFile;
    const dir = path.dirname(file);
    let mode: number;
    let dirMode: number | undefined;
    try {
      mode = (await stat(file)).mode & 0o777;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return skip('no config file yet');
      return fail(`cannot read the mode of ${file} (${errnoCode(err) ?? 'unexpected error'})`, 'check the permissions of the config directory', { exitCode: EXIT.USAGE });
    }
    try {
      dirMode = (await stat(dir)).mode & 0o777;
    } catch {
      dirMode = undefined;
    }

    const dirNote = dirMode !== undefined && (dirMode & LOOSE_BITS) !== 0 ? dirWarning(dir, dirMode) : undefined;
    if ((mode & LOOSE_BITS) !== 0) {
      const who = describeAccess(mode);
      if (!ctx.fix) {
        return fail(
          `${file} is ${who} other users on this machine (mode ${formatMode(mode)}); it holds the client secret and refresh token`,
          `chmod 600 ${shellQuote(file)} (or run \`sfoauth doctor --fix\`)`,
          { exitCode: EXIT.USAGE, ...(dirNote ? { detail: [dirNote] } : {}) },
        );
      }
      try {
        // Synchronous on purpose: the store's writes (a rotated refresh token saved by the token group)
        // are synchronous too, so this cannot land between its reading the old mode and its rename.
        chmodSync(file, FILE_MODE);
      } catch (err) {
        return fail(`--fix could not change the mode of ${file} (${errnoCode(err) ?? 'unexpected error'})`, `chmod 600 ${shellQuote(file)} as the file's owner`, {
          exitCode: EXIT.USAGE,
        });
      }
      return pass(`--fix tightened ${file} from ${formatMode(mode)} to ${formatMode(FILE_MODE)}`, dirNote ? { detail: [dirNote] } : {});
    }
    if (dirNote) return warn(dirNote, `chmod 700 ${shellQuote(dir)}`);
    return pass(`${formatMode(mode)} (owner only)${dirMode !== undefined ? `, directory ${formatMode(dirMode)}` : ''}`);
  },
};

function describeAccess(mode: number): string {
  const readable = (mode & 0o044) !== 0;
  const writable = (mode & 0o022) !== 0;
  if (readable && writable) return 'readable and writable by';
  if (readable) return 'readable by';
  if (writable) return 'writable by';
  return 'open to';
}

function dirWarning(dir: string, mode: number): string {
  return `the config directory ${dir} is open to other users (mode ${formatMode(mode)}; sfoauth creates it ${formatMode(DIR_MODE)})`;
}
