/**
 * `sfoauth status`: what is saved, read from the config file only (no network, so it answers
 * instantly and works offline). Never shows a secret, not even masked; `sfoauth test` is the command
 * that proves the credentials still work.
 */
import type { Command } from 'commander';
import type { ChalkInstance } from 'chalk';
import { globalsOf, type RegisterCommand } from '../context.js';
import type { AppType, Environment, Flow } from '../../core/config/profile.js';
import type { ProfileEntry } from '../../core/config/store.js';
import { UsageError } from '../../errors.js';
import { stat } from 'node:fs/promises';

export const registerStatus: RegisterCommand = (program, ctx) => {
  program
    .command('status')
    .description('list saved profiles (environment, app type, instance URL, user, last verified); no network')
    .addHelpText('after', '\nExamples:\n  $ sfoauth status\n  $ sfoauth status --json | jq -r \'.profiles[] | select(.isDefault) | .instanceUrl\'')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd);
      const { io, clock } = ctx.deps;
      if (globals.configDir) await requireDirectory(globals.configDir);
      const store = await ctx.deps.openStore(globals.configDir);
      let entries = await store.list();
      // SFOAUTH_PROFILE picks the profile other commands use, so it is marked in the whole list; --profile
      // asks about one profile, so the list narrows to it.
      const fromEnv = cmd.getOptionValueSourceWithGlobals('profile') === 'env' ? globals.profile : undefined;
      if (globals.profile !== undefined && fromEnv === undefined) {
        // A name that cannot exist is a usage error, not "no profiles".
        const { validateProfileName } = await import('../../core/config/schema.js');
        const name = validateProfileName(globals.profile);
        const names = entries.map((e) => e.name);
        entries = entries.filter((e) => e.name === name);
        if (entries.length === 0) throw (await import('../../core/config/profile-store.js')).noSuchProfileError(name, store.path, names);
      }
      if (globals.json) {
        const defaultProfile = await store.defaultProfileName();
        io.out(JSON.stringify(statusJson(store.path, defaultProfile, entries, globals.profile ?? defaultProfile), null, 2));
        return;
      }
      for (const line of renderStatus(store.path, entries, clock.now(), io.outColor, fromEnv)) io.out(line);
    });
};

/** --config-dir names a directory; a regular file there would otherwise read as "no profiles yet". */
async function requireDirectory(dir: string): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (found && !found.isDirectory()) {
    throw new UsageError(`--config-dir ${dir} is not a directory.`, { hint: 'Pass the directory that holds config.json, not the file itself.' });
  }
}

/** The `--json` document: a stable shape (absent values are null), and never a secret. */
export interface StatusJson {
  configFile: string;
  defaultProfile: string;
  /** The profile commands use now: --profile, else SFOAUTH_PROFILE, else defaultProfile. */
  activeProfile: string;
  profiles: StatusJsonProfile[];
}

export interface StatusJsonProfile {
  name: string;
  isDefault: boolean;
  flow: Flow;
  env: Environment;
  appType: AppType;
  loginUrl: string;
  instanceUrl: string | null;
  /** JWT bearer: where the key and certificate are (paths only) and the assertion's aud. */
  privateKeyFile?: string;
  certificateFile?: string | null;
  audience?: string;
  username: string | null;
  orgId: string | null;
  userId: string | null;
  scopes: string[];
  lastVerifiedAt: string | null;
  createdAt: string;
}

export function statusJson(configFile: string, defaultProfile: string, entries: readonly ProfileEntry[], activeProfile = defaultProfile): StatusJson {
  return {
    configFile,
    defaultProfile,
    activeProfile,
    // Fields are picked one by one, so a secret added to Profile later cannot leak through here.
    profiles: entries.map(({ name, isDefault, profile: p }) => ({
      name,
      isDefault,
      flow: p.flow,
      env: p.env,
      appType: p.appType,
      loginUrl: p.loginUrl,
      instanceUrl: p.instanceUrl ?? null,
      username: p.username ?? null,
      orgId: p.orgId ?? null,
      userId: p.userId ?? null,
      scopes: [...p.scopes],
      lastVerifiedAt: p.lastVerifiedAt ?? null,
      createdAt: p.createdAt,
      ...(p.flow === 'jwt-bearer' ? { privateKeyFile: p.privateKeyFile, certificateFile: p.certificateFile ?? null, audience: p.audience } : {}),
    })),
  };
}

export const NO_PROFILES_MESSAGE = 'No profiles yet. Run `sfoauth init` (or `sfoauth demo` to try the emulator).';

const APP_TYPE_LABEL: Record<AppType, string> = {
  'external-client-app': 'External Client App',
  'connected-app': 'Connected App',
};

/** Human output, one profile per block, gh auth status style. */
export function renderStatus(configFile: string, entries: readonly ProfileEntry[], now: number, color: ChalkInstance, fromEnv?: string): string[] {
  if (entries.length === 0) return [NO_PROFILES_MESSAGE];
  const lines = [`Profiles in ${configFile}`];
  if (fromEnv !== undefined && !entries.some((e) => e.name === fromEnv)) lines.push(color.yellow(`SFOAUTH_PROFILE=${fromEnv} names no saved profile.`));
  for (const { name, isDefault, profile: p } of entries) {
    const marks = `${isDefault ? color.green(' (default)') : ''}${name === fromEnv ? color.green(' (in use: SFOAUTH_PROFILE)') : ''}`;
    lines.push('', `${color.bold(name)}${marks}`);
    const field = (label: string, value: string | undefined) => {
      if (value !== undefined) lines.push(`  - ${label}: ${value}`);
    };
    field('flow', p.flow);
    field('environment', p.env);
    field('app type', APP_TYPE_LABEL[p.appType]);
    field('login URL', p.loginUrl);
    field('instance URL', p.instanceUrl);
    field('user', p.username);
    field('client id', abbreviateClientId(p.clientId));
    if (p.flow === 'web-server') field('scopes', p.scopes.join(' '));
    if (p.flow === 'jwt-bearer') {
      field('private key', p.privateKeyFile);
      field('certificate', p.certificateFile);
      field('aud', p.audience);
    }
    field(
      'last verified',
      p.lastVerifiedAt === undefined ? color.yellow('never') : `${relativeTime(p.lastVerifiedAt, now)} ${color.dim(`(${p.lastVerifiedAt})`)}`,
    );
  }
  return lines;
}

/** `3MVG9abcdefghijkl…xyz` → `3MVG9abc…xyz`: enough to tell apps apart, short enough to read. */
export function abbreviateClientId(clientId: string): string {
  return clientId.length <= 12 ? clientId : `${clientId.slice(0, 8)}…${clientId.slice(-3)}`;
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 hours ago", "yesterday", "just now"; English on purpose, like the rest of the output. */
export function relativeTime(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return 'at an unknown time';
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    // Round half away from zero, so 90 seconds ago is "2 minutes ago" (Math.round(-1.5) is -1).
    if (Math.abs(seconds) >= size) return format.format(Math.sign(seconds) * Math.round(Math.abs(seconds) / size), unit);
  }
  return format.format(seconds < 0 ? -1 : 1, 'minute');
}
