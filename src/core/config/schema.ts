/**
 * The config file's zod schema and the rules every ProfileStore shares (profile names, the default
 * profile). Only the stores import this module: zod is heavy, everything else uses profile.ts types.
 *
 * zod/mini with named imports, and only the English messages: the bundle then carries the parts of zod
 * this schema uses (about 50 KB) instead of all of zod with its 60 locales (about 750 KB), which every
 * command that reads the config used to load (docs/architecture.md "Performance budgets").
 */
import {
  array,
  boolean,
  config,
  discriminatedUnion,
  enum as oneOf,
  iso,
  literal,
  minLength,
  optional,
  record,
  refine,
  regex,
  strictObject,
  string,
  url,
  type core,
  type infer as Infer,
} from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_PROFILE_NAME, type ConfigFile, type Profile } from './profile.js';
import type { ProfileEntry } from './store.js';

/**
 * The file format this sfoauth writes. A higher number means a newer sfoauth wrote it (refused); a lower
 * one is migrated in memory when read (migrateConfig) and written in the new format on the next save only.
 *   1: the first format.
 *   2: every profile has `flow` (version 1 profiles are all 'web-server').
 */
export const CONFIG_VERSION = 2;

const PROFILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const PROFILE_NAME_RULE = 'letters, digits, "-", "_" and "." only, 1-64 characters';

// The messages of issues the schema gives none of its own ("expected string, received number").
config(en());

// zod uses a schema's own message even for a missing field; say "required" for that case.
const says = (message: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : message);

// "__proto__" passes the character rule but would reach an object's prototype instead of a key.
const profileName = string().check(
  regex(PROFILE_NAME, { error: says(`invalid profile name (${PROFILE_NAME_RULE})`) }),
  refine((name) => name !== '__proto__', { error: 'invalid profile name ("__proto__" is reserved)' }),
);

const httpUrl = url({ protocol: /^https?$/, error: says('must be an http(s) URL') });
const timestamp = iso.datetime({ offset: true, error: says('must be an ISO 8601 timestamp') });
const nonEmpty = string().check(minLength(1, { error: says('must not be empty') }));

const profileBase = {
  env: oneOf(['production', 'sandbox']),
  appType: oneOf(['external-client-app', 'connected-app']),
  loginUrl: httpUrl,
  clientId: nonEmpty,
  clientSecret: optional(nonEmpty),
  scopes: array(string().check(regex(/^\S+$/, { error: says('a scope is one word') }))),
  instanceUrl: optional(httpUrl),
  idUrl: optional(httpUrl),
  userId: optional(nonEmpty),
  orgId: optional(nonEmpty),
  username: optional(nonEmpty),
  createdAt: timestamp,
  lastVerifiedAt: optional(timestamp),
};

const webServerProfileSchema = strictObject({
  ...profileBase,
  flow: literal('web-server'),
  callbackUrl: httpUrl,
  extraCallbackUrls: array(httpUrl),
  refreshToken: optional(nonEmpty),
  refreshTokenRotation: optional(boolean({ error: says('must be true or false') })),
});

const clientCredentialsProfileSchema = strictObject({
  ...profileBase,
  flow: literal('client-credentials'),
  clientSecret: nonEmpty,
});

const jwtBearerProfileSchema = strictObject({
  ...profileBase,
  flow: literal('jwt-bearer'),
  username: nonEmpty,
  audience: httpUrl,
  privateKeyFile: nonEmpty,
  certificateFile: optional(nonEmpty),
});

// A discriminated union on `flow`: version 2 files (all 'web-server') stay valid as they are.
export const profileSchema = discriminatedUnion('flow', [webServerProfileSchema, clientCredentialsProfileSchema, jwtBearerProfileSchema], {
  error: (issue: { input?: unknown }) =>
    typeof issue.input === 'object' && issue.input !== null && (issue.input as { flow?: unknown }).flow !== undefined
      ? 'must be "web-server", "client-credentials" or "jwt-bearer"'
      : 'required',
});

// Strict objects: a typo such as "clientSecert" is reported instead of being dropped on the next save.
export const configFileSchema = strictObject({
  version: literal(CONFIG_VERSION),
  defaultProfile: optional(profileName),
  profiles: record(profileName, profileSchema),
});

// Compile-time proof that the schema and the interfaces in profile.ts describe the same shape.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;
true satisfies SameShape<Infer<typeof profileSchema>, Profile>;
true satisfies SameShape<Infer<typeof configFileSchema>, ConfigFile>;

export type ParseConfigResult = { ok: true; config: ConfigFile } | { ok: false; issues: string[] };

/**
 * Validates parsed JSON as a config file, after migrating an older version in memory; issues read
 * `profiles.ci.loginUrl: must be an http(s) URL`.
 */
export function parseConfigFile(json: unknown): ParseConfigResult {
  const newer = newerConfigVersion(json);
  if (newer !== undefined) {
    return { ok: false, issues: [`version: ${newer} was written by a newer sfoauth (this one reads version ${CONFIG_VERSION})`] };
  }
  json = migrateConfig(json);
  const result = configFileSchema.safeParse(json, { error: requiredMessage });
  // zod skips a "__proto__" key in a record; report it rather than drop that profile on the next save.
  const proto = hasProtoProfile(json) ? ['profiles.__proto__: invalid profile name ("__proto__" is reserved)'] : [];
  if (result.success && proto.length === 0) return { ok: true, config: result.data };
  return { ok: false, issues: [...(result.success ? [] : formatIssues(result.error.issues)), ...proto] };
}

export type ParseProfileResult = { ok: true; profile: Profile } | { ok: false; issues: string[] };

/** Validates one profile before it is written; issue paths start with `profiles.<name>`. */
export function parseProfile(name: string, value: unknown): ParseProfileResult {
  const result = profileSchema.safeParse(value, { error: requiredMessage });
  return result.success
    ? { ok: true, profile: result.data }
    : { ok: false, issues: formatIssues(result.error.issues, ['profiles', name]) };
}

function hasProtoProfile(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || !Object.hasOwn(json, 'profiles')) return false;
  const profiles = (json as { profiles: unknown }).profiles;
  return typeof profiles === 'object' && profiles !== null && Object.hasOwn(profiles, '__proto__');
}

/**
 * A version 1 config as version 2: each profile gains `flow: 'web-server'` (the only flow version 1
 * knew). A copy; anything else comes back unchanged for the schema to judge.
 */
export function migrateConfig(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const o = json as Record<string, unknown>;
  if (o.version !== 1) return json;
  const profiles = o.profiles;
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) return { ...o, version: 2 };
  const migrated: Record<string, unknown> = {};
  for (const [name, profile] of Object.entries(profiles)) {
    const value = typeof profile === 'object' && profile !== null && !Array.isArray(profile) && !('flow' in profile) ? { flow: 'web-server', ...profile } : profile;
    // defineProperty, not assignment: a "__proto__" key stays an own key for the schema to report.
    Object.defineProperty(migrated, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return { ...o, version: 2, profiles: migrated };
}

/** The `version` of a file written by a newer sfoauth, else undefined. */
export function newerConfigVersion(json: unknown): number | undefined {
  if (typeof json !== 'object' || json === null || !('version' in json)) return undefined;
  const { version } = json;
  return typeof version === 'number' && version > CONFIG_VERSION ? version : undefined;
}

/** Throws UsageError unless `name` can name a profile. */
export function validateProfileName(name: string): string {
  if (PROFILE_NAME.test(name) && name !== '__proto__') return name;
  const shown = name.length > 70 ? `${name.slice(0, 64)}…` : name;
  throw new UsageError(`Invalid profile name ${JSON.stringify(shown)}: use ${PROFILE_NAME_RULE}.`, {
    hint: 'For example: --profile sandbox-ci',
  });
}

/** An empty config, as read when there is no file. */
export function emptyConfig(): ConfigFile {
  return { version: CONFIG_VERSION, profiles: {} };
}

/** The name used when --profile is not given. */
export function defaultProfileNameOf(config: ConfigFile): string {
  return config.defaultProfile ?? DEFAULT_PROFILE_NAME;
}

export function profileOf(config: ConfigFile, name: string): Profile | undefined {
  return Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
}

/** Every profile, sorted by name, the default marked. */
export function listProfiles(config: ConfigFile): ProfileEntry[] {
  const defaultName = defaultProfileNameOf(config);
  return Object.keys(config.profiles)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({ name, profile: config.profiles[name] as Profile, isDefault: name === defaultName }));
}

/**
 * The config after saving `profile` as `name`. The saved profile becomes the default when asked, or
 * when the current default (defaultProfile, else "default") names no other saved profile, which is
 * always the case for the first profile.
 */
export function withProfile(config: ConfigFile, name: string, profile: Profile, options: { makeDefault?: boolean } = {}): ConfigFile {
  const current = defaultProfileNameOf(config);
  const defaultIsTaken = current !== name && profileOf(config, current) !== undefined;
  const next: ConfigFile = { ...config, profiles: { ...config.profiles, [name]: profile } };
  if (options.makeDefault === true || !defaultIsTaken) next.defaultProfile = name;
  return next;
}

/** The config without profile `name`; defaultProfile is dropped (not moved) when it pointed there. */
export function withoutProfile(config: ConfigFile, name: string): ConfigFile {
  const profiles = { ...config.profiles };
  delete profiles[name];
  const next: ConfigFile = { ...config, profiles };
  if (next.defaultProfile === name) delete next.defaultProfile;
  return next;
}

// The same for schemas without their own message ("expected string, received undefined").
function requiredMessage(issue: { input?: unknown }): string | undefined {
  return issue.input === undefined ? 'required' : undefined;
}

type Issue = core.$ZodIssue;

function formatIssues(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): string[] {
  return issues.map((issue) => {
    // A bad record key says only "Invalid key in record"; the key schema's own message is the useful one.
    const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    return `${formatPath([...prefix, ...issue.path])}: ${message}`;
  });
}

/** `profiles.ci.scopes[0]`; names with dots or odd characters are quoted: `profiles["my.org"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z0-9_-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? '(top level)' : out;
}
