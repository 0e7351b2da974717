/**
 * Turns init's flags, env vars and (when a person is there) wizard answers into one validated
 * InitOptions. Every prompt has a flag; without a TTY, with CI set or with --yes nothing is asked, and a
 * missing value is a UsageError that lists the flags to pass.
 */
import { maxForTimer, parseStrictNumber } from '../core/number-input.js';
import { UsageError } from '../errors.js';
import { DEFAULT_CALLBACK_URL, parseCallbackUrl, parseExtraCallbackUrl } from '../core/oauth/callback-url.js';
import { classifyHost, defaultLoginUrl, environmentOfHostKind, normalizeEnvironment, parseLoginUrl } from '../core/salesforce/hosts.js';
import { DEFAULT_SCOPES, parseScopes } from '../core/salesforce/scopes.js';
import type { AppType, Environment, Flow } from '../core/config/profile.js';
import { parseAppType } from '../core/config/app-type.js';

export interface InitFlags {
  env?: string;
  appType?: string;
  loginUrl?: string;
  clientId?: string;
  clientSecretStdin?: boolean;
  callbackUrl?: string;
  extraCallbackUrl?: string[];
  scopes?: string;
  browser?: boolean;
  timeout?: string;
  wait?: string;
  yes?: boolean;
  pollInterval?: string;
  flow?: string;
  /** JWT bearer: the PEM private key file (a path; key material never goes in a flag). */
  privateKey?: string;
  /** JWT bearer: the Salesforce username the assertion names. */
  username?: string;
}

export interface InitOptions {
  profile: string;
  flow: Flow;
  /** JWT bearer: the user (`sub`). */
  username?: string;
  /** JWT bearer: the key file; undefined means generate a key and certificate under the config directory. */
  privateKeyFile?: string;
  /** JWT bearer: create already checked the key file's mode (a warning in its own result when others can read it); init does not repeat it. */
  keyModeChecked?: boolean;
  env: Environment;
  appType: AppType;
  loginUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  callbackUrl: string;
  extraCallbackUrls: string[];
  scopes: string[];
  openBrowser: boolean;
  timeoutMs: number;
  /** How long to keep re-checking `invalid_client_id` while a new app propagates (0 = not at all). */
  waitMs: number;
  pollMs: number;
  /** A person can answer prompts (a terminal, no CI) and did not pass --yes: the wizard and the paste prompt. */
  interactive: boolean;
}

/**
 * A duration flag in `unit`s (decimal, at most what a timer holds): see core/number-input.ts.
 * `--wait 0` is allowed (no waiting, `allowZero`); `--timeout 0` is not.
 */
export function parseDurationFlag(flag: string, value: string, unit: 'seconds' | 'minutes', allowZero = false): number {
  return parseStrictNumber(flag, value, { min: 0, aboveMin: !allowZero, max: maxForTimer(unit === 'seconds' ? 1000 : 60_000), unit });
}

/** Values that are known from flags and env alone; the wizard fills in the rest. */
export interface PartialInit {
  env?: Environment;
  appType?: AppType;
  loginUrl?: string;
  clientId?: string;
  clientSecret?: string;
  callbackUrl?: string;
  extraCallbackUrls?: string[];
  scopes?: string[];
}

export function fromFlags(flags: InitFlags, env: Readonly<Record<string, string | undefined>>, stdinSecret: string | undefined): PartialInit {
  const p: PartialInit = {};
  if (flags.env !== undefined) p.env = normalizeEnvironment(flags.env);
  if (flags.appType !== undefined) p.appType = parseAppType(flags.appType);
  if (flags.loginUrl !== undefined) p.loginUrl = parseLoginUrl(flags.loginUrl).origin;
  const clientId = flags.clientId ?? env.SFOAUTH_CLIENT_ID;
  if (clientId !== undefined && clientId !== '') p.clientId = clientId.trim();
  const secret = stdinSecret ?? env.SFOAUTH_CLIENT_SECRET;
  if (secret !== undefined && secret !== '') p.clientSecret = secret.trim();
  if (flags.callbackUrl !== undefined) p.callbackUrl = parseCallbackUrl(flags.callbackUrl).url.href;
  if (flags.extraCallbackUrl !== undefined) p.extraCallbackUrls = flags.extraCallbackUrl.map((u) => parseExtraCallbackUrl(u).href);
  if (flags.scopes !== undefined) p.scopes = parseScopes(flags.scopes);
  return p;
}

/** How a missing value is named when no one can be asked: the flag, or the variable, to pass it with. */
const NEEDED = {
  env: '--env production|sandbox',
  clientId: '--client-id <Consumer Key> (or SFOAUTH_CLIENT_ID)',
  clientSecret: '--client-secret-stdin (or SFOAUTH_CLIENT_SECRET) for the Consumer Secret',
} as const;

function missingValues(missing: readonly string[], lead: string, hint: string): UsageError {
  return new UsageError(`${lead}:\n  ${missing.join('\n  ')}`, { hint });
}

/** Without a person to ask: fill defaults (all of them with --yes) or say exactly which flags are missing. */
export function completeWithoutPrompts(p: PartialInit, yes: boolean): Required<PartialInit> {
  const missing: string[] = [];
  const env = p.env ?? (yes ? 'production' : undefined);
  if (!env) missing.push(NEEDED.env);
  if (!p.clientId) missing.push(NEEDED.clientId);
  if (!p.clientSecret) missing.push(NEEDED.clientSecret);
  if (missing.length > 0 || !env) {
    throw missingValues(
      missing,
      'sfoauth init cannot ask questions here (no terminal, CI set, or --yes), and these values are missing',
      'Pass them as flags, or run `sfoauth init` in a terminal to be asked. `sfoauth steps` prints the Setup steps.',
    );
  }
  return {
    env,
    appType: p.appType ?? 'external-client-app',
    loginUrl: p.loginUrl ?? defaultLoginUrl(env),
    clientId: p.clientId!,
    clientSecret: p.clientSecret!,
    callbackUrl: p.callbackUrl ?? DEFAULT_CALLBACK_URL,
    extraCallbackUrls: p.extraCallbackUrls ?? [],
    scopes: p.scopes ?? [...DEFAULT_SCOPES],
  };
}

/**
 * The server-to-server flows without prompts (docs/flows.md): client credentials needs the My Domain
 * (--login-url), the Consumer Key and Secret; JWT bearer needs the Consumer Key and --username, and uses
 * --private-key when given (else init generates a key). The environment follows the host when not given.
 */
export function completeServerInit(
  p: PartialInit,
  flow: 'client-credentials' | 'jwt-bearer',
  extra: { username?: string | undefined; privateKeyFile?: string | undefined },
  yes: boolean,
): Required<PartialInit> & { username?: string; privateKeyFile?: string } {
  const missing: string[] = [];
  const hostEnv = p.loginUrl ? environmentOfHostKind(classifyHost(p.loginUrl)) : undefined;
  const env = p.env ?? hostEnv ?? (yes || flow === 'client-credentials' ? 'production' : undefined);
  if (!env) missing.push(NEEDED.env);
  if (flow === 'client-credentials' && !p.loginUrl) missing.push("--login-url <the org's My Domain URL>");
  if (!p.clientId) missing.push(NEEDED.clientId);
  if (flow === 'client-credentials' && !p.clientSecret) missing.push(NEEDED.clientSecret);
  if (flow === 'jwt-bearer' && !extra.username) missing.push('--username <Salesforce username> (or SFOAUTH_USERNAME)');
  if (missing.length > 0 || !env) throw missingValues(missing, `sfoauth init --flow ${flow} is missing`, 'Pass them as flags, or run it in a terminal to be asked.');
  return {
    env,
    appType: p.appType ?? 'external-client-app',
    loginUrl: p.loginUrl ?? defaultLoginUrl(env),
    clientId: p.clientId!,
    clientSecret: p.clientSecret ?? '',
    callbackUrl: DEFAULT_CALLBACK_URL,
    extraCallbackUrls: [],
    scopes: p.scopes ?? [],
    ...(extra.username ? { username: extra.username } : {}),
    ...(extra.privateKeyFile ? { privateKeyFile: extra.privateKeyFile } : {}),
  };
}
