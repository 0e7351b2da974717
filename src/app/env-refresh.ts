/**
 * `sfoauth test` in env-var mode (SFOAUTH_REFRESH_TOKEN): the refresh token belongs to a CI secret that
 * sfoauth cannot update. When the app rotates refresh tokens, the new one goes to --rotated-token-file
 * (or SFOAUTH_ROTATED_TOKEN_FILE), written atomically and 0600 without following a symlink; that file is
 * proven writable before anything is sent. With nowhere to put it, the new token is kept in a private
 * recovery file and the check fails with what CI must do (docs/credentials.md "CI").
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, ERROR_CODES, SfOAuthError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { refreshTokenOf, type Profile } from '../core/config/profile.js';
import type { HttpClient } from '../core/http/request.js';
import { refreshAccessToken, type TokenResponse } from '../core/oauth/token.js';
import { maybeSpent, REFRESH_TIMEOUT_MS } from '../core/credentials/refresh-profile.js';
import { writeRecoveryFile } from '../platform/recovery-file.js';
import { acquireFileLock, lockWaitMs } from '../platform/file-lock.js';
import type { Env } from '../core/ports.js';
import { describeFsError, hasCode, octal, probeWritable, shellQuote, writeSecretFileAtomic } from '../platform/safe-file.js';

const CI_RECIPE =
  'run `sfoauth test --rotated-token-file <path>` (or set SFOAUTH_ROTATED_TOKEN_FILE) and write that file back to the CI secret after every run (README: "GitHub Actions"), or use a flow without refresh tokens';

/** The check failed after the refresh token was spent: exit 1 with the whole story. */
class RotatedTokenNotStoredError extends SfOAuthError {
  constructor(message: string, hint: string) {
    super(message, ERROR_CODES.CHECK_FAILED, EXIT.REFUSED, { hint });
  }
}

export async function refreshFromEnv(p: {
  profile: Profile;
  http: HttpClient;
  rotatedTokenFile?: string;
  signal?: AbortSignal;
  env: Env;
  notice?: (line: string) => void;
}): Promise<{ token: TokenResponse; rotatedSavedTo?: string }> {
  const target = p.rotatedTokenFile ? path.resolve(p.rotatedTokenFile) : undefined;
  if (!target) return spend(p, refreshTokenOf(p.profile) ?? '', undefined);
  preflightRotatedTokenFile(target);
  // Two runs on one machine that share the secret and the file take turns; one that waited uses the
  // token the other wrote, instead of the one in its environment, which the other run spent.
  let release: () => Promise<void>;
  try {
    release = await acquireFileLock(`${target}.lock`, { waitMs: lockWaitMs(p.env), notice: p.notice ?? (() => undefined), what: target, ...(p.signal ? { signal: p.signal } : {}) });
  } catch (err) {
    if (!hasCode(err)) throw err;
    throw new ConfigError(`--rotated-token-file ${target}: cannot lock it (${describeFsError(err)}); nothing was sent to Salesforce.`, { file: target, hint: 'Pick a path in a writable directory of your own.' });
  }
  try {
    return await spend(p, writtenSinceStart(target) ?? refreshTokenOf(p.profile) ?? '', target);
  } finally {
    await release();
  }
}

/** The token in `file` when another process wrote it after this one started, else undefined. */
function writtenSinceStart(file: string): string | undefined {
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    try {
      if (fs.fstatSync(fd).mtimeMs < performance.timeOrigin) return undefined;
      const token = fs.readFileSync(fd, 'utf8').trim();
      return /^\S+$/.test(token) ? token : undefined;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

async function spend(
  p: { profile: Profile; http: HttpClient; signal?: AbortSignal },
  refreshToken: string,
  target: string | undefined,
): Promise<{ token: TokenResponse; rotatedSavedTo?: string }> {
  if (p.signal?.aborted) throw p.signal.reason; // nothing sent yet
  let token: TokenResponse;
  try {
    token = await refreshAccessToken(p.http, {
      loginUrl: p.profile.loginUrl,
      clientId: p.profile.clientId,
      ...(p.profile.clientSecret ? { clientSecret: p.profile.clientSecret } : {}),
      refreshToken,
      timeoutMs: REFRESH_TIMEOUT_MS,
    });
  } catch (err) {
    throw maybeSpent(err, undefined);
  }
  // Not rotated, but this run used a token another run left in the file: it stays the live one there.
  if (!token.refreshToken) return { token };
  const content = `${token.refreshToken}\n`;
  if (target) {
    try {
      writeSecretFileAtomic(target, content);
      return { token, rotatedSavedTo: target };
    } catch (err) {
      const kept = keep(content);
      throw new RotatedTokenNotStoredError(
        `Salesforce rotated the refresh token, so SFOAUTH_REFRESH_TOKEN no longer works, and writing the new one to ${target} failed (${describeFsError(err)}). ${kept.said}`,
        `Put the new token into the CI secret SFOAUTH_REFRESH_TOKEN${kept.file ? ` from ${kept.file}, then delete that file` : ''}.`,
      );
    }
  }
  const kept = keep(content);
  throw new RotatedTokenNotStoredError(
    `The app rotates refresh tokens: Salesforce issued a new one and the one in SFOAUTH_REFRESH_TOKEN no longer works. sfoauth had nowhere to put the new one (no --rotated-token-file). ${kept.said}`,
    `${kept.file ? `Put the contents of ${kept.file} into the CI secret SFOAUTH_REFRESH_TOKEN and delete the file. ` : ''}From now on, ${CI_RECIPE}.`,
  );
}

/** The new token in a private 0600 file; its path, never its value, is told. */
function keep(content: string): { file?: string; said: string } {
  try {
    const file = writeRecoveryFile('rotated-refresh-token', content);
    return { file, said: `The new refresh token is in ${file} (mode 0600; it is not shown).` };
  } catch (err) {
    return { said: `It could not be kept anywhere (${describeFsError(err)}): get a new one with \`sfoauth init\` and \`sfoauth export --include-secrets\`.` };
  }
}

/** Proves the rotated-token file can be replaced now, before the refresh token is spent. Exit 2 otherwise. */
export function preflightRotatedTokenFile(target: string): void {
  const dir = path.dirname(target);
  const refuse = (why: string, fix: string) =>
    new ConfigError(`--rotated-token-file ${target}: ${why}; sfoauth stopped before using the refresh token (nothing was sent).`, { file: target, hint: fix });
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(target);
  } catch (err) {
    if (!hasCode(err) || err.code !== 'ENOENT') throw refuse(describeFsError(err), 'Pick another path.');
  }
  if (st?.isDirectory()) throw refuse('it is a directory', 'Give a file path, e.g. "$RUNNER_TEMP/sfoauth-refresh-token".');
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (st && uid !== undefined && st.uid !== uid) throw refuse(`it belongs to another user (uid ${st.uid})`, 'Pick a path in a directory of your own.');
  try {
    const d = fs.statSync(dir);
    // In a directory others can write (and that is not sticky), someone could swap the file for their own.
    if (uid !== undefined && (d.mode & 0o022) !== 0 && (d.mode & 0o1000) === 0) {
      throw refuse(`its directory can be written by other users (mode ${octal(d.mode)})`, `chmod go-w ${shellQuote(dir)}, or pick a path in a private directory.`);
    }
    probeWritable(dir, 4096);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw refuse(`cannot write to ${dir} (${describeFsError(err)})`, 'Pick a writable path, e.g. "$RUNNER_TEMP/sfoauth-refresh-token".');
  }
}
