/**
 * Machine: the config file exists, is JSON, and matches the schema. A corrupt file is never rewritten:
 * without --fix the check says how to move it aside; with --fix it is renamed (quarantine.ts), so a
 * secret or refresh token can still be copied out of it by hand.
 */
import { readFile, stat } from 'node:fs/promises';
import { ConfigError, UnsafeConfigError } from '../../../errors.js';
import { EXIT } from '../../../exit-codes.js';
import { fail, pass, warn, type CheckOutcome } from '../../checks/check.js';
import { moveAside } from '../../config/quarantine.js';
import { newerConfigVersion } from '../../config/schema.js';
import { errnoCode, type DoctorCheck, type DoctorContext } from '../context.js';
import { shellQuote } from '../../shell-quote.js';

export const configFileCheck: DoctorCheck = {
  id: 'config-file',
  group: 'machine',
  title: 'Config file',
  async run(ctx) {
    const file = ctx.configFile;
    try {
      const st = await stat(file);
      if (!st.isFile()) return fail(`${file} is not a file`, `move it out of the way, or pick another directory with --config-dir`, { exitCode: EXIT.USAGE });
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT') return noFile(ctx);
      if (code === 'ENOTDIR') return fail(`a file is in the way of the config directory of ${file}`, 'move that file, or pick another directory with --config-dir', { exitCode: EXIT.USAGE });
      return fail(`cannot look at ${file} (${code ?? 'unexpected error'})`, 'check the permissions of the config directory', { exitCode: EXIT.USAGE });
    }

    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch (err) {
      const code = errnoCode(err);
      return fail(
        `cannot read ${file} (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'unexpected error')})`,
        code === 'EACCES' || code === 'EPERM' ? `make it yours and readable: chmod 600 ${shellQuote(file)}` : 'check the file and the disk',
        { exitCode: EXIT.USAGE },
      );
    }
    if (!ctx.store) return fail(`cannot open the profile store for ${file}`, 'pick another directory with --config-dir', { exitCode: EXIT.USAGE });

    try {
      const config = await ctx.store.read();
      const names = Object.keys(config.profiles);
      const what = names.length === 0 ? 'no profiles yet' : `${names.length} profile${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
      return pass(`${file}: valid, ${what}`);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // Where the file lives is unsafe, not the file: moving it aside would fix nothing.
      if (err instanceof UnsafeConfigError) return fail(err.message, err.hint ?? 'move the config somewhere only you can write', { exitCode: EXIT.USAGE });
      // A file from a newer sfoauth is not corrupt: moving it aside would lose a good profile.
      if (newerConfigVersion(tryJson(raw)) !== undefined) {
        return fail(err.message, err.hint ?? 'upgrade sfoauth', { detail: err.issues, exitCode: EXIT.USAGE });
      }
      return corrupt(ctx, file, err);
    }
  },
};

function noFile(ctx: DoctorContext): CheckOutcome {
  if (ctx.source === 'env') return pass(`no config file (${ctx.configFile}); the credentials come from SFOAUTH_* variables`);
  return pass(`no config file yet (${ctx.configFile}); \`sfoauth init\` creates it`);
}

function corrupt(ctx: DoctorContext, file: string, err: ConfigError): CheckOutcome {
  const detail = err.issues.length > 0 ? err.issues : [err.message];
  if (!ctx.fix) {
    return fail(`${file} is corrupt or invalid: sfoauth cannot read any profile from it`, `run \`sfoauth doctor --fix\` to move it aside (it is renamed, never rewritten), then \`sfoauth init\`; or repair the fields below by hand`, {
      detail,
      exitCode: EXIT.USAGE,
    });
  }
  let moved: string;
  try {
    moved = moveAside(file, ctx.clock.now());
  } catch (moveErr) {
    const e = moveErr instanceof ConfigError ? moveErr : new ConfigError(`Could not move ${file} aside.`);
    return fail(e.message, e.hint ?? 'move the file aside by hand', { detail, exitCode: EXIT.USAGE });
  }
  return warn(
    `--fix moved the corrupt ${file} aside to ${moved}`,
    `run \`sfoauth init\` to create a new profile; ${moved} still holds the old values if you need to copy one`,
    { detail },
  );
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    return undefined;
  }
}
