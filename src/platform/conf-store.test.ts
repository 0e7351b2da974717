import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, NotConfiguredError, UsageError } from '../errors.js';
import type { Profile } from '../core/config/profile.js';
import type { ProfileStore } from '../core/config/store.js';
import { createMemoryStore } from '../../test/support/memory-store.js';
import { openConfStore } from './conf-store.js';

const SECRET = 'S3CR3T-CLIENT-SECRET-VALUE-0001';
const REFRESH = '5Aep861REFRESH-TOKEN-VALUE-0002';

const profile: Profile = {
  flow: 'web-server',
  env: 'sandbox',
  appType: 'external-client-app',
  loginUrl: 'https://test.salesforce.com',
  callbackUrl: 'http://localhost:1717/OauthRedirect',
  extraCallbackUrls: [],
  clientId: '3MVG9abcdefghijklmnopqrstuvwxyz',
  clientSecret: SECRET,
  scopes: ['api', 'refresh_token'],
  refreshToken: REFRESH,
  instanceUrl: 'https://acme--dev.sandbox.my.salesforce.com',
  username: 'dev@acme.com.dev',
  createdAt: '2025-01-02T03:04:05.000Z',
};

const posix = process.platform !== 'win32';
const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sfoauth-conf-store-'));
});
afterEach(() => {
  fs.chmodSync(root, 0o700);
  fs.rmSync(root, { recursive: true, force: true });
});

const open = (dir = path.join(root, 'cfg')) => openConfStore({ configDir: dir, env: {} });

describe('openConfStore: location', () => {
  it('puts config.json in --config-dir, else SFOAUTH_CONFIG_DIR, as an absolute path', async () => {
    expect((await open()).path).toBe(path.join(root, 'cfg', 'config.json'));
    const fromEnv = await openConfStore({ env: { SFOAUTH_CONFIG_DIR: path.join(root, 'env') } });
    expect(fromEnv.path).toBe(path.join(root, 'env', 'config.json'));
    const relative = await openConfStore({ configDir: 'rel-dir', env: {} });
    expect(relative.path).toBe(path.resolve('rel-dir', 'config.json'));
  });
});

describe('openConfStore: no file yet', () => {
  it('reads an empty config without creating the file or even the directory', async () => {
    const dir = path.join(root, 'cfg');
    const store = await open(dir);
    expect(await store.read()).toEqual({ version: 2, profiles: {} });
    expect(await store.list()).toEqual([]);
    expect(await store.get('default')).toBeUndefined();
    expect(await store.defaultProfileName()).toBe('default');
    expect(await store.remove('ci')).toBe(false);
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('openConfStore: writing', () => {
  it('creates the directory 0700 and the file 0600, and round-trips the profile', async () => {
    const dir = path.join(root, 'nested', 'cfg');
    const store = await open(dir);
    await store.save('ci', profile);
    if (posix) {
      expect(modeOf(dir)).toBe(0o700);
      expect(modeOf(store.path)).toBe(0o600);
    }
    expect(await store.get('ci')).toEqual(profile);
    expect(JSON.parse(fs.readFileSync(store.path, 'utf8'))).toEqual({ version: 2, defaultProfile: 'ci', profiles: { ci: profile } });
    // A second store over the same directory sees the same thing.
    expect(await (await open(dir)).read()).toEqual({ version: 2, defaultProfile: 'ci', profiles: { ci: profile } });
    // Atomic writes leave no temp file behind.
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });

  it.runIf(posix)('leaves an existing directory its mode, and tightens a loose file to 0600 on write, saying so', async () => {
    const dir = path.join(root, 'cfg');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const notices: string[] = [];
    const store = await openConfStore({ configDir: dir, env: {}, notice: (l) => notices.push(l) });
    await store.save('ci', profile);
    expect(modeOf(dir)).toBe(0o755);
    fs.chmodSync(store.path, 0o640);
    await store.save('prod', { ...profile, env: 'production' });
    expect(modeOf(store.path)).toBe(0o600);
    expect(notices.join('\n')).toMatch(/Tightened .*config\.json from mode 0640 to 0600/);
  });

  it('keeps profiles whose names contain dots (no dot-path access)', async () => {
    const store = await open();
    await store.save('acme.dev', profile);
    expect(Object.keys((await store.read()).profiles)).toEqual(['acme.dev']);
    expect(await store.get('acme.dev')).toEqual(profile);
  });

  it('keeps both profiles when two saves start together', async () => {
    const store = await open();
    const other = await open();
    await Promise.all([store.save('a', profile), other.save('b', profile), store.save('c', profile)]);
    expect(Object.keys((await store.read()).profiles).sort()).toEqual(['a', 'b', 'c']);
    expect(await store.defaultProfileName()).toBe('a');
  });

  it('validates a profile before writing: a bad one never reaches the disk', async () => {
    const store = await open();
    const bad = { ...profile, loginUrl: 'login.salesforce.com' };
    const err = await store.save('ci', bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual(['profiles.ci.loginUrl: must be an http(s) URL']);
    expect(fs.existsSync(store.path)).toBe(false);
    await expect(store.save('bad name', profile)).rejects.toThrow(UsageError);
    expect(fs.existsSync(store.path)).toBe(false);
  });

  it.runIf(posix)('replaces the file by rename (a new inode), never by rewriting it in place', async () => {
    const store = await open();
    await store.save('ci', profile);
    const before = fs.statSync(store.path).ino;
    await store.save('prod', profile);
    expect(fs.statSync(store.path).ino).not.toBe(before);
  });

  it('a refused save leaves the previous profile intact', async () => {
    const store = await open();
    await store.save('ci', profile);
    const before = fs.readFileSync(store.path, 'utf8');
    await expect(store.save('ci', { ...profile, clientId: '' })).rejects.toThrow(ConfigError);
    expect(fs.readFileSync(store.path, 'utf8')).toBe(before);
    expect(await store.get('ci')).toEqual(profile);
  });

  // root ignores permission bits, so this one runs only as a normal user.
  it.runIf(posix && process.getuid?.() !== 0)('a failed write leaves the previous file intact', async () => {
    const dir = path.join(root, 'cfg');
    const store = await open(dir);
    await store.save('ci', profile);
    const before = fs.readFileSync(store.path, 'utf8');
    fs.chmodSync(dir, 0o500); // no new files (the temp file) in the directory
    try {
      const err = await store.save('ci', { ...profile, refreshToken: 'ROTATED-REFRESH-TOKEN-0003' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toBe(`Could not write ${store.path}: permission denied. The previous file is unchanged.`);
    } finally {
      fs.chmodSync(dir, 0o700);
    }
    expect(fs.readFileSync(store.path, 'utf8')).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });
});

// The in-memory store other tests use must follow the same rules as the real one.
describe.each([
  ['openConfStore', () => open()],
  ['createMemoryStore', async () => createMemoryStore()],
])('%s: default profile', (_name, make: () => Promise<ProfileStore>) => {
  it('makes the first profile the default, switches on makeDefault, and clears it on remove', async () => {
    const store = await make();
    await store.save('ci', profile);
    await store.save('prod', profile);
    expect(await store.defaultProfileName()).toBe('ci');
    await store.save('prod', profile, { makeDefault: true });
    expect(await store.defaultProfileName()).toBe('prod');
    expect((await store.list()).map((e) => [e.name, e.isDefault])).toEqual([
      ['ci', false],
      ['prod', true],
    ]);
    expect(await store.remove('prod')).toBe(true);
    expect((await store.read()).defaultProfile).toBeUndefined();
    expect(await store.defaultProfileName()).toBe('default');
    expect(await store.remove('prod')).toBe(false);
  });
});

describe('openConfStore: update', () => {
  it('merges, re-validates, keeps the default, and can drop a field', async () => {
    const store = await open();
    await store.save('ci', profile);
    await store.save('other', profile);
    const updated = await store.update('other', { lastVerifiedAt: '2025-02-01T00:00:00.000Z', refreshToken: undefined });
    expect(updated.lastVerifiedAt).toBe('2025-02-01T00:00:00.000Z');
    const saved = await store.get('other');
    expect(saved?.lastVerifiedAt).toBe('2025-02-01T00:00:00.000Z');
    expect(saved && 'refreshToken' in saved).toBe(false);
    expect(await store.defaultProfileName()).toBe('ci');
  });

  it('refuses a patch that makes the profile invalid, leaving the file as it was', async () => {
    const store = await open();
    await store.save('ci', profile);
    const before = fs.readFileSync(store.path, 'utf8');
    await expect(store.update('ci', { env: 'prod' as never })).rejects.toThrow(ConfigError);
    expect(fs.readFileSync(store.path, 'utf8')).toBe(before);
  });

  it('says when there is no such profile', async () => {
    const store = await open();
    await expect(store.update('ghost', {})).rejects.toThrow(NotConfiguredError);
  });
});

describe('openConfStore: a file it cannot use', () => {
  const operations: [string, (s: ProfileStore) => Promise<unknown>][] = [
    ['read', (s) => s.read()],
    ['defaultProfileName', (s) => s.defaultProfileName()],
    ['get', (s) => s.get('ci')],
    ['list', (s) => s.list()],
    ['save', (s) => s.save('new', profile)],
    ['save as default', (s) => s.save('ci', profile, { makeDefault: true })],
    ['update', (s) => s.update('ci', { username: 'x@y.z' })],
    ['remove', (s) => s.remove('ci')],
  ];

  /** Writes `content`, runs every operation, and returns the errors; the file must be untouched. */
  async function everyOperationFails(content: string): Promise<ConfigError[]> {
    const dir = path.join(root, 'cfg');
    fs.mkdirSync(dir, { mode: 0o700 });
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, content, { mode: 0o600 });
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(file, past, past);
    const store = await open(dir);
    const errors: ConfigError[] = [];
    for (const [name, run] of operations) {
      const err = await run(store).then(
        () => new Error(`${name} succeeded`),
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(ConfigError);
      errors.push(err as ConfigError);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(fs.statSync(file).mtimeMs).toBe(past.getTime());
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
    return errors;
  }

  it('refuses corrupt JSON, names the file, never quotes its content, and never writes', async () => {
    const content = `{\n  "version": 1,\n  "profiles": { "ci": { "clientSecret": "${SECRET}" x } }\n}\n`;
    const errors = await everyOperationFails(content);
    const file = path.join(root, 'cfg', 'config.json');
    for (const err of errors) {
      expect(err.message).toBe(`${file} is not valid JSON.`);
      expect(err.file).toBe(file);
      expect(err.issues).toEqual(['line 3, column 75: invalid JSON syntax']);
      expect(err.hint).toBe('Fix or move the file aside (`sfoauth doctor --fix` moves it aside), then run the command again.');
      expect(JSON.stringify([err.message, err.issues, err.hint])).not.toContain(SECRET);
    }
  });

  it('refuses an empty or truncated file', async () => {
    const [empty] = await everyOperationFails('');
    expect(empty?.issues).toEqual(['(top level): the file is empty']);
    fs.rmSync(path.join(root, 'cfg'), { recursive: true });
    const [cut] = await everyOperationFails('{"version": 1, "profiles": {\n');
    expect(cut?.issues).toEqual(['(end of file): the JSON ends too early (was the file cut short?)']);
    fs.rmSync(path.join(root, 'cfg'), { recursive: true });
    const [cutString] = await everyOperationFails('{"version": 1, "profiles": {"ci": {"clientSecret": "abc');
    expect(cutString?.issues).toEqual(['(end of file): the JSON ends too early (was the file cut short?)']);
  });

  it('refuses a file that is JSON but not an object', async () => {
    const [err] = await everyOperationFails('null');
    expect(err?.issues).toEqual(['(top level): expected a JSON object, found null']);
  });

  it('refuses a schema-invalid file and lists the bad fields', async () => {
    const content = JSON.stringify({ version: 1, profiles: { ci: { ...profile, loginUrl: 'nope', scopes: 'api' } } }, null, 2);
    const [err] = await everyOperationFails(content);
    expect(err?.message).toBe(`${path.join(root, 'cfg', 'config.json')} is not a valid sfoauth config file.`);
    expect(err?.issues).toEqual(['profiles.ci.loginUrl: must be an http(s) URL', 'profiles.ci.scopes: Invalid input: expected array, received string']);
    expect(err?.hint).toContain('sfoauth doctor --fix');
  });

  it('refuses a file written by a newer sfoauth', async () => {
    const [err] = await everyOperationFails(JSON.stringify({ version: 3, profiles: {}, somethingNew: true }));
    expect(err?.message).toBe(`${path.join(root, 'cfg', 'config.json')} was written by a newer sfoauth (config version 3); this sfoauth reads version 2.`);
    expect(err?.hint).toContain('Upgrade sfoauth');
  });

  it('reads a version 1 file as version 2 (flow: web-server) without rewriting it; the next save writes version 2', async () => {
    const dir = path.join(root, 'cfg');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { flow: _flow, ...v1Profile } = profile;
    const bytes = JSON.stringify({ version: 1, defaultProfile: 'ci', profiles: { ci: v1Profile } }, null, 2);
    fs.writeFileSync(path.join(dir, 'config.json'), bytes, { mode: 0o600 });
    const store = await open(dir);
    expect(await store.get('ci')).toEqual({ ...v1Profile, flow: 'web-server' });
    expect(await store.read()).toEqual({ version: 2, defaultProfile: 'ci', profiles: { ci: profile } });
    expect(fs.readFileSync(store.path, 'utf8')).toBe(bytes);
    await store.save('other', profile);
    const written = JSON.parse(fs.readFileSync(store.path, 'utf8')) as { version: number; profiles: Record<string, { flow?: string }> };
    expect(written.version).toBe(2);
    expect(written.profiles.ci?.flow).toBe('web-server');
  });

  it('reads a valid file without writing it, and accepts a BOM', async () => {
    const dir = path.join(root, 'cfg');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'config.json');
    const content = `\uFEFF${JSON.stringify({ version: 1, profiles: { ci: profile } })}`;
    fs.writeFileSync(file, content);
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(file, past, past);
    const store = await open(dir);
    expect(await store.get('ci')).toEqual(profile);
    expect(await store.list()).toHaveLength(1);
    expect(await store.defaultProfileName()).toBe('default');
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(fs.statSync(file).mtimeMs).toBe(past.getTime());
  });
});
