import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestIO } from '../../../test/support/test-io.js';
import { createMemoryStore } from '../../../test/support/memory-store.js';
import type { Deps } from '../../deps.js';
import { ConfigError } from '../../errors.js';
import type { ConfigFile, Profile } from '../../core/config/profile.js';
import type { ProfileStore } from '../../core/config/store.js';
import { openConfStore } from '../../platform/conf-store.js';
import { abbreviateClientId, NO_PROFILES_MESSAGE, registerStatus, relativeTime } from './status.js';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');
const SECRET = 'S3CR3T-CLIENT-SECRET-VALUE-0001';
const REFRESH = '5Aep861REFRESH-TOKEN-VALUE-0002';

const sandbox: Profile = {
  flow: 'web-server',
  env: 'sandbox',
  appType: 'external-client-app',
  loginUrl: 'https://test.salesforce.com',
  callbackUrl: 'http://localhost:1717/OauthRedirect',
  extraCallbackUrls: ['https://api.nango.dev/oauth/callback'],
  clientId: '3MVG9abcdefghijklmnopqrstuvwxyz',
  clientSecret: SECRET,
  scopes: ['api', 'refresh_token'],
  refreshToken: REFRESH,
  instanceUrl: 'https://acme--dev.sandbox.my.salesforce.com',
  idUrl: 'https://test.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
  userId: '005000000000001AAA',
  orgId: '00D000000000001AAA',
  username: 'dev@acme.com.dev',
  createdAt: '2025-05-01T00:00:00.000Z',
  lastVerifiedAt: '2025-06-01T09:00:00.000Z',
};

// Saved before the login finished: no instance, user or verification yet.
const fresh: Profile = {
  flow: 'web-server',
  env: 'production',
  appType: 'connected-app',
  loginUrl: 'https://acme.my.salesforce.com',
  callbackUrl: 'http://localhost:1717/OauthRedirect',
  extraCallbackUrls: [],
  clientId: 'short-id',
  scopes: ['api'],
  createdAt: '2025-05-30T00:00:00.000Z',
};

const config: ConfigFile = { version: 2, defaultProfile: 'sandbox', profiles: { sandbox, prod: fresh } };

/** Runs `sfoauth <argv>` through a program that has only the global options and `status`. */
async function run(argv: string[], openStore: (dir?: string) => Promise<ProfileStore>) {
  const t = createTestIO();
  const network = () => Promise.reject(new Error('status must not use the network'));
  const deps = {
    io: t.io,
    env: {},
    clock: { now: () => NOW, sleep: () => Promise.resolve() },
    random: (n: number) => new Uint8Array(n),
    fetch: network,
    openBrowser: network,
    prompter: new Proxy({}, { get: () => () => Promise.reject(new Error('status must not prompt')) }) as Deps['prompter'],
    openStore,
    signal: new AbortController().signal,
  } satisfies Deps;
  const program = new Command('sfoauth')
    .option('--profile <name>')
    .option('--config-dir <dir>')
    .option('--json')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void t.io.stdout.write(s), writeErr: (s) => void t.io.stderr.write(s) });
  registerStatus(program, { deps });
  await program.parseAsync(argv, { from: 'user' });
  return t;
}

describe('sfoauth status', () => {
  it('says how to start when there are no profiles', async () => {
    const store = createMemoryStore();
    const t = await run(['status'], async () => store);
    expect(t.stdout()).toBe(`${NO_PROFILES_MESSAGE}\n`);
    expect(t.stderr()).toBe('');
  });

  it('lists every profile on stdout, the default marked, nothing secret', async () => {
    const store = createMemoryStore({ config });
    const t = await run(['status'], async () => store);
    expect(t.stdout()).toBe(
      [
        'Profiles in /memory/sfoauth/config.json',
        '',
        'prod',
        '  - flow: web-server',
        '  - environment: production',
        '  - app type: Connected App',
        '  - login URL: https://acme.my.salesforce.com',
        '  - client id: short-id',
        '  - scopes: api',
        '  - last verified: never',
        '',
        'sandbox (default)',
        '  - flow: web-server',
        '  - environment: sandbox',
        '  - app type: External Client App',
        '  - login URL: https://test.salesforce.com',
        '  - instance URL: https://acme--dev.sandbox.my.salesforce.com',
        '  - user: dev@acme.com.dev',
        '  - client id: 3MVG9abc…xyz',
        '  - scopes: api refresh_token',
        '  - last verified: 3 hours ago (2025-06-01T09:00:00.000Z)',
        '',
      ].join('\n'),
    );
    expect(t.stdout() + t.stderr()).not.toContain(SECRET.slice(-4));
    expect(t.stdout() + t.stderr()).not.toContain(REFRESH.slice(-4));
    expect(store.writes).toBe(0);
  });

  it('writes one JSON document with --json, with nulls for unknown values and no secrets', async () => {
    const store = createMemoryStore({ config });
    const t = await run(['status', '--json'], async () => store);
    expect(JSON.parse(t.stdout())).toEqual({
      configFile: '/memory/sfoauth/config.json',
      defaultProfile: 'sandbox',
      activeProfile: 'sandbox',
      profiles: [
        {
          name: 'prod',
          isDefault: false,
          flow: 'web-server',
          env: 'production',
          appType: 'connected-app',
          loginUrl: 'https://acme.my.salesforce.com',
          instanceUrl: null,
          username: null,
          orgId: null,
          userId: null,
          scopes: ['api'],
          lastVerifiedAt: null,
          createdAt: '2025-05-30T00:00:00.000Z',
        },
        {
          name: 'sandbox',
          isDefault: true,
          flow: 'web-server',
          env: 'sandbox',
          appType: 'external-client-app',
          loginUrl: 'https://test.salesforce.com',
          instanceUrl: 'https://acme--dev.sandbox.my.salesforce.com',
          username: 'dev@acme.com.dev',
          orgId: '00D000000000001AAA',
          userId: '005000000000001AAA',
          scopes: ['api', 'refresh_token'],
          lastVerifiedAt: '2025-06-01T09:00:00.000Z',
          createdAt: '2025-05-01T00:00:00.000Z',
        },
      ],
    });
    expect(t.stdout()).not.toMatch(/clientSecret|refreshToken|S3CR3T|REFRESH/);
    expect(t.stderr()).toBe('');
  });

  it('reports the fallback default name in --json when no profile is the default', async () => {
    const store = createMemoryStore({ config: { version: 2, profiles: { prod: fresh } } });
    const t = await run(['status', '--json'], async () => store);
    const doc = JSON.parse(t.stdout()) as { defaultProfile: string; profiles: { isDefault: boolean }[] };
    expect(doc.defaultProfile).toBe('default');
    expect(doc.profiles.map((p) => p.isDefault)).toEqual([false]);
  });

  describe('with the conf store', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it('opens the store in --config-dir and creates nothing when there is no file', async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfoauth-status-'));
      const configDir = path.join(dir, 'cfg');
      const opened: (string | undefined)[] = [];
      const t = await run(['status', '--json', '--config-dir', configDir], (d) => {
        opened.push(d);
        return openConfStore({ configDir: d, env: {} });
      });
      expect(opened).toEqual([configDir]);
      expect(JSON.parse(t.stdout())).toEqual({ configFile: path.join(configDir, 'config.json'), defaultProfile: 'default', activeProfile: 'default', profiles: [] });
      expect(fs.existsSync(configDir)).toBe(false);
    });

    it('lists what init saved, and fails with ConfigError on a corrupt file', async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfoauth-status-'));
      const open = (d?: string) => openConfStore({ configDir: d, env: {} });
      const store = await open(dir);
      await store.save('sandbox', sandbox);
      const t = await run(['--config-dir', dir, 'status'], open);
      expect(t.stdout()).toContain('sandbox (default)\n');

      fs.writeFileSync(store.path, '{"version": 1,');
      await expect(run(['status', '--config-dir', dir], open)).rejects.toThrow(ConfigError);
      expect(fs.readFileSync(store.path, 'utf8')).toBe('{"version": 1,');
    });
  });
});

describe('abbreviateClientId', () => {
  it('keeps the start and the end of long keys', () => {
    expect(abbreviateClientId('3MVG9abcdefghijklmnopqrstuvwxyz')).toBe('3MVG9abc…xyz');
    expect(abbreviateClientId('123456789012')).toBe('123456789012');
  });
});

describe('relativeTime', () => {
  const at = (ms: number) => new Date(NOW + ms).toISOString();
  it.each([
    [-10_000, 'just now'],
    [-90_000, '2 minutes ago'],
    [-3 * 3600_000, '3 hours ago'],
    [-26 * 3600_000, 'yesterday'],
    [-10 * 86400_000, '10 days ago'],
    [-65 * 86400_000, '2 months ago'],
    [-800 * 86400_000, '2 years ago'],
    [5 * 60_000, 'in 5 minutes'],
  ])('%d ms → %s', (offset, expected) => {
    expect(relativeTime(at(offset), NOW)).toBe(expected);
  });
});
