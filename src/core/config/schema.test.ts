import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import type { ConfigFile, Profile } from './profile.js';
import {
  defaultProfileNameOf,
  formatPath,
  listProfiles,
  migrateConfig,
  newerConfigVersion,
  parseConfigFile,
  parseProfile,
  profileOf,
  validateProfileName,
  withoutProfile,
  withProfile,
} from './schema.js';

const profile: Profile = {
  flow: 'web-server',
  env: 'sandbox',
  appType: 'external-client-app',
  loginUrl: 'https://test.salesforce.com',
  callbackUrl: 'http://localhost:1717/OauthRedirect',
  extraCallbackUrls: ['https://api.nango.dev/oauth/callback'],
  clientId: '3MVG9abcdefghijklmnopqrstuvwxyz',
  clientSecret: 'S3CR3T-CLIENT-SECRET-VALUE-0001',
  scopes: ['api', 'refresh_token'],
  refreshToken: '5Aep861REFRESH-TOKEN-VALUE-0002',
  instanceUrl: 'https://acme--dev.sandbox.my.salesforce.com',
  idUrl: 'https://test.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
  userId: '005000000000001AAA',
  orgId: '00D000000000001AAA',
  username: 'dev@acme.com.dev',
  createdAt: '2025-01-02T03:04:05.000Z',
  lastVerifiedAt: '2025-01-02T03:05:00.000Z',
};

describe('parseConfigFile', () => {
  it('accepts a full config and returns it unchanged', () => {
    const config: ConfigFile = { version: 2, defaultProfile: 'ci', profiles: { ci: profile } };
    expect(parseConfigFile(JSON.parse(JSON.stringify(config)))).toEqual({ ok: true, config });
  });

  it('accepts a profile with only the required fields', () => {
    const { env, appType, loginUrl, callbackUrl, extraCallbackUrls, clientId, scopes, createdAt } = profile;
    const minimal = { env, appType, loginUrl, callbackUrl, extraCallbackUrls, clientId, scopes, createdAt };
    expect(parseConfigFile({ version: 1, profiles: { a: minimal } }).ok).toBe(true);
  });

  it('names every bad field as path: message', () => {
    const bad = { ...profile, loginUrl: 'ftp://example.com', env: 'prod', scopes: ['api', 'two words'], clientSecert: 'x' };
    const { createdAt: _dropped, ...withoutCreatedAt } = bad;
    const result = parseConfigFile({ version: 1, profiles: { ci: withoutCreatedAt } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        'profiles.ci.loginUrl: must be an http(s) URL',
        expect.stringMatching(/^profiles\.ci\.env: .*"production"\|"sandbox"/),
        'profiles.ci.scopes[1]: a scope is one word',
        'profiles.ci.createdAt: required',
        'profiles.ci: Unrecognized key: "clientSecert"',
      ]),
    );
    expect(result.issues).toHaveLength(5);
  });

  it('never echoes field values (they may be secrets)', () => {
    const result = parseConfigFile({ version: 1, profiles: { ci: { ...profile, clientSecret: 42, refreshToken: '' } } });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(profile.clientId);
    expect(JSON.stringify(result)).not.toContain('42');
  });

  it('reports bad profile names and a missing version', () => {
    const result = parseConfigFile({ profiles: { 'has space': profile } });
    expect(result).toEqual({
      ok: false,
      issues: ['version: required', 'profiles["has space"]: invalid profile name (letters, digits, "-", "_" and "." only, 1-64 characters)'],
    });
  });

  it('refuses "__proto__" as a key written in the file', () => {
    const result = parseConfigFile(JSON.parse(`{"version":1,"profiles":{"__proto__":${JSON.stringify(profile)}}}`));
    expect(result).toEqual({ ok: false, issues: ['profiles.__proto__: invalid profile name ("__proto__" is reserved)'] });
  });

  it('migrates a version 1 file: every profile gets flow "web-server", nothing else changes', () => {
    const { flow: _flow, ...v1 } = profile;
    const input = { version: 1, defaultProfile: 'ci', profiles: { ci: v1 } };
    const before = JSON.stringify(input);
    expect(parseConfigFile(input)).toEqual({ ok: true, config: { version: 2, defaultProfile: 'ci', profiles: { ci: profile } } });
    expect(JSON.stringify(input)).toBe(before); // migrated as a copy
    expect(migrateConfig({ version: 2, profiles: {} })).toEqual({ version: 2, profiles: {} });
  });

  it('the server-to-server flows: their own fields, no web-server fields, the key as a path only', () => {
    const base = { env: 'production', appType: 'external-client-app', loginUrl: 'https://acme.my.salesforce.com', clientId: 'key', scopes: [], createdAt: '2026-01-01T00:00:00.000Z' };
    const cc = { ...base, flow: 'client-credentials', clientSecret: 'secret' };
    expect(parseConfigFile({ version: 2, profiles: { cc } })).toMatchObject({ ok: true });
    const { clientSecret: _s, ...ccNoSecret } = cc;
    expect(parseConfigFile({ version: 2, profiles: { cc: ccNoSecret } })).toEqual({ ok: false, issues: ['profiles.cc.clientSecret: required'] });
    // A refresh token belongs to the web-server flow only: a typo or a mixed-up file is reported, not kept.
    expect(parseConfigFile({ version: 2, profiles: { cc: { ...cc, refreshToken: 'x' } } })).toMatchObject({ ok: false });
    const jwt = { ...base, flow: 'jwt-bearer', username: 'ci@acme.example', audience: 'https://login.salesforce.com', privateKeyFile: '/keys/ci.key' };
    expect(parseConfigFile({ version: 2, profiles: { jwt } })).toMatchObject({ ok: true });
    expect(parseConfigFile({ version: 2, profiles: { jwt: { ...jwt, privateKey: '-----BEGIN PRIVATE KEY-----' } } })).toMatchObject({ ok: false });
    const { privateKeyFile: _k, ...jwtNoKey } = jwt;
    expect(parseConfigFile({ version: 2, profiles: { jwt: jwtNoKey } })).toEqual({ ok: false, issues: ['profiles.jwt.privateKeyFile: required'] });
  });

  it('a version 2 profile must say its flow; a version 1 file with a "__proto__" profile is still refused', () => {
    const { flow: _flow, ...noFlow } = profile;
    expect(parseConfigFile({ version: 2, profiles: { ci: noFlow } })).toEqual({ ok: false, issues: ['profiles.ci.flow: required'] });
    expect(parseConfigFile({ version: 2, profiles: { ci: { ...profile, flow: 'magic' } } })).toEqual({ ok: false, issues: ['profiles.ci.flow: must be "web-server", "client-credentials" or "jwt-bearer"'] });
    const proto = parseConfigFile(JSON.parse(`{"version":1,"profiles":{"__proto__":${JSON.stringify(noFlow)}}}`));
    expect(proto).toEqual({ ok: false, issues: ['profiles.__proto__: invalid profile name ("__proto__" is reserved)'] });
  });

  it('refuses a file from a newer sfoauth before looking at anything else', () => {
    expect(parseConfigFile({ version: 3, profiles: 'whatever' })).toEqual({
      ok: false,
      issues: ['version: 3 was written by a newer sfoauth (this one reads version 2)'],
    });
    expect(newerConfigVersion({ version: 3 })).toBe(3);
    expect(newerConfigVersion({ version: 2 })).toBeUndefined();
    expect(newerConfigVersion({ version: 1 })).toBeUndefined();
    expect(newerConfigVersion({ version: '2' })).toBeUndefined();
    expect(newerConfigVersion(null)).toBeUndefined();
  });

  it('says what the top level should be', () => {
    expect(parseConfigFile([])).toEqual({ ok: false, issues: ['(top level): Invalid input: expected object, received array'] });
  });
});

describe('parseProfile', () => {
  it('prefixes issues with the profile path', () => {
    expect(parseProfile('my.org', { ...profile, callbackUrl: 'not a url' })).toEqual({
      ok: false,
      issues: ['profiles["my.org"].callbackUrl: must be an http(s) URL'],
    });
  });
});

describe('formatPath', () => {
  it('formats keys, indexes and odd names', () => {
    expect(formatPath([])).toBe('(top level)');
    expect(formatPath(['profiles', 'ci-2', 'scopes', 0])).toBe('profiles.ci-2.scopes[0]');
    expect(formatPath(['profiles', 'a.b'])).toBe('profiles["a.b"]');
  });
});

describe('validateProfileName', () => {
  it.each(['default', 'ci', 'Sandbox_2', 'acme.dev-1', 'a'.repeat(64), 'constructor'])('accepts %s', (name) => {
    expect(validateProfileName(name)).toBe(name);
  });

  it.each(['', 'a b', 'a/b', 'é', 'a'.repeat(65), '__proto__', '../x'])('refuses %j with a UsageError', (name) => {
    expect(() => validateProfileName(name)).toThrow(UsageError);
  });

  it('says which characters are allowed', () => {
    expect(() => validateProfileName('a b')).toThrow('Invalid profile name "a b": use letters, digits, "-", "_" and "." only, 1-64 characters.');
  });
});

describe('default profile rules', () => {
  const empty: ConfigFile = { version: 2, profiles: {} };

  it('makes the first saved profile the default', () => {
    const config = withProfile(empty, 'ci', profile);
    expect(config.defaultProfile).toBe('ci');
    expect(empty.profiles).toEqual({}); // input untouched
  });

  it('keeps the default when another profile is saved, unless asked', () => {
    const one = withProfile(empty, 'ci', profile);
    expect(withProfile(one, 'prod', profile).defaultProfile).toBe('ci');
    expect(withProfile(one, 'prod', profile, { makeDefault: true }).defaultProfile).toBe('prod');
  });

  it('leaves the default unset when the default profile is removed', () => {
    const two = withProfile(withProfile(empty, 'ci', profile), 'prod', profile);
    const removed = withoutProfile(two, 'ci');
    expect(removed.defaultProfile).toBeUndefined();
    expect(Object.keys(removed.profiles)).toEqual(['prod']);
    expect(defaultProfileNameOf(removed)).toBe('default');
    expect(withoutProfile(two, 'prod').defaultProfile).toBe('ci');
  });

  it('makes a saved profile the default when the default names no profile', () => {
    const orphan = withoutProfile(withProfile(withProfile(empty, 'ci', profile), 'prod', profile), 'ci');
    expect(withProfile(orphan, 'new', profile).defaultProfile).toBe('new');
  });

  it('does not take over from an implicit "default" profile', () => {
    const implicit: ConfigFile = { version: 2, profiles: { default: profile } };
    expect(withProfile(implicit, 'other', profile).defaultProfile).toBeUndefined();
  });

  it('lists profiles sorted with the default marked, and looks names up as own keys only', () => {
    const config = withProfile(withProfile(empty, 'zeta', profile), 'alpha', profile);
    expect(listProfiles(config).map((e) => [e.name, e.isDefault])).toEqual([
      ['alpha', false],
      ['zeta', true],
    ]);
    expect(profileOf(config, 'toString')).toBeUndefined();
    expect(profileOf(config, 'alpha')).toBe(profile);
  });
});
