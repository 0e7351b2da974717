/**
 * The SFOAUTH_* variables as a whole, checked once before any command runs (cli/program.ts).
 *
 * A variable that is set but empty is never what was meant: in GitHub Actions `${{ secrets.X }}` for a
 * secret that does not exist (or is not shared with forks) expands to "", and treating that as unset
 * would quietly change the mode (no SFOAUTH_REFRESH_TOKEN falls back to a saved profile) or send a
 * request without a secret. So it is a configuration error naming the variable, before anything else
 * (docs/credentials.md "CI (env-var mode)").
 */
import { ConfigError } from '../errors.js';
import type { Env } from '../core/ports.js';
// A type only: credentials.ts stays off the start-up path this module is on.
import type { ENV_VARS } from './credentials.js';

/** Every SFOAUTH_* variable sfoauth reads: env-mode's credentials, and the ones around them. */
type SfoauthVar = (typeof ENV_VARS)[number] | 'SFOAUTH_PROFILE' | 'SFOAUTH_CONFIG_DIR' | 'SFOAUTH_ROTATED_TOKEN_FILE' | 'SFOAUTH_LOCK_TIMEOUT';

/** What each variable is for, so the error can say what to put there (one missing fails to compile). */
const PURPOSE: Readonly<Record<SfoauthVar, string>> = {
  SFOAUTH_CLIENT_ID: "the app's Consumer Key",
  SFOAUTH_CLIENT_SECRET: "the app's Consumer Secret",
  SFOAUTH_REFRESH_TOKEN: 'the refresh token (sfoauth export --include-secrets prints it)',
  SFOAUTH_INSTANCE_URL: "the org's instance URL",
  SFOAUTH_LOGIN_URL: 'the login host (login.salesforce.com, test.salesforce.com or a My Domain)',
  SFOAUTH_ENV: 'production or sandbox',
  SFOAUTH_FLOW: 'web-server, client-credentials or jwt-bearer',
  SFOAUTH_USERNAME: 'the Salesforce username (JWT bearer)',
  SFOAUTH_PRIVATE_KEY: 'the PEM private key (JWT bearer)',
  SFOAUTH_PRIVATE_KEY_FILE: 'the path of the PEM private key (JWT bearer)',
  SFOAUTH_PROFILE: 'the profile to use',
  SFOAUTH_CONFIG_DIR: 'the config directory',
  SFOAUTH_ROTATED_TOKEN_FILE: 'where `sfoauth test` writes a rotated refresh token',
  SFOAUTH_LOCK_TIMEOUT: 'seconds to wait for the config lock',
};

/** The SFOAUTH_* names that are set to an empty (or all-blank) value, sorted. */
export function emptySfoauthVars(env: Env): string[] {
  return Object.keys(env)
    .filter((k) => k.startsWith('SFOAUTH_') && env[k] !== undefined && env[k]!.trim() === '')
    .sort();
}

/** Throws ConfigError (exit 2) when any SFOAUTH_* variable is set but empty. */
export function assertNoEmptySfoauthVars(env: Env): void {
  const empty = emptySfoauthVars(env);
  if (empty.length === 0) return;
  const list = empty.join(', ');
  const one = empty.length === 1;
  throw new ConfigError(`${list} ${one ? 'is' : 'are'} set but empty; sfoauth stopped before doing anything (nothing was sent).`, {
    issues: empty.map((k) => `${k}: expected ${k in PURPOSE ? PURPOSE[k as SfoauthVar] : 'a value'}`),
    hint:
      `Give ${one ? 'it a value' : 'each a value'}, or unset ${one ? 'it' : 'them'} (unset ${empty.join(' ')}). ` +
      'In GitHub Actions a secret that does not exist (or is not shared with this workflow or fork) expands to an empty string: check the secret\'s name under Settings → Secrets and variables → Actions.',
  });
}
