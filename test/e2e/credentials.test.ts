/**
 * No credential is ever lost (docs/credentials.md): the built binary, spawned, against emulators whose
 * app rotates refresh tokens (reusing a rotated-out token revokes the whole grant, as Salesforce does).
 * "Still works" below always means a later `sfoauth token` succeeds: had any run spent a token it did
 * not save, the profile would hold a dead one and that run would fail with invalid_grant.
 * Needs `npm run build` first (`npm test` does it). Bounded: every child is killed after 20 s.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile, chmod, stat, lstat, rename, chown } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { fingerprint } from '../../src/core/credentials/pending-token.js';
import { assertBuilt, REPO_ROOT, runCli, type CliResult, type RunCliOptions } from '../support/run-cli.js';
import { emulatorProfileForTest, type EmulatorProfile, type EmulatorProfileOptions } from '../support/emulator-profile.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { webServer } from '../support/web-server-profile.js';

const captured: string[] = [];
const allSecrets: string[] = [];
const posix = process.platform !== 'win32';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const BIN = fileURLToPath(new URL('../../bin/sfoauth.js', import.meta.url));

beforeAll(() => {
  assertBuilt();
});

const ROTATING: EmulatorProfileOptions = { app: { rotateRefreshTokens: true } };

function fixture(ctx: Pick<TestContext, 'onTestFinished'>, opts: EmulatorProfileOptions = ROTATING): Promise<EmulatorProfile> {
  return emulatorProfileForTest(ctx, { secrets: allSecrets, captured }, opts);
}

/** `token` prints a secret on stdout: only stderr joins the scan, and the token joins the known secrets. */
async function cli(configDir: string, args: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const r = await runCli(args, { configDir, timeoutMs: 20_000, ...opts });
  if (r.timedOut) throw new Error(`sfoauth ${args.join(' ')} did not finish in time; stderr:\n${r.stderr}`);
  captured.push(r.stderr);
  if (args[0] === 'token') allSecrets.push(r.stdout.trim());
  else captured.push(r.stdout);
  return r;
}

async function refreshTokenOf(f: EmulatorProfile, name = f.profileName): Promise<string> {
  const t = webServer(await f.store.get(name)).refreshToken;
  if (!t) throw new Error(`profile ${name} has no refresh token`);
  allSecrets.push(t);
  return t;
}

async function expectStillWorks(configDir: string, profile?: string): Promise<void> {
  const r = await cli(configDir, ['token', ...(profile ? ['--profile', profile] : [])]);
  expect(r.code, r.stderr).toBe(0);
}

describe('one lock around every read-refresh-save', () => {
  it('8 concurrent `token` and 2 concurrent `test` on one profile all succeed and leave a working token', async (ctx) => {
    const f = await fixture(ctx);
    const runs = await Promise.all([
      ...Array.from({ length: 8 }, () => cli(f.configDir, ['token'])),
      cli(f.configDir, ['test', '--json']),
      cli(f.configDir, ['test', '--json']),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    for (const r of runs.slice(0, 8)) expect(r.stdout.trim()).toMatch(/^00D/);
    await expectStillWorks(f.configDir);
    expect(fs.existsSync(join(f.configDir, 'config.json.lock'))).toBe(false);
    expect(fs.readdirSync(f.configDir).filter((n) => n.startsWith('pending-token.'))).toEqual([]);
  });

  it('concurrent refreshes of two profiles in one file lose neither profile’s rotated token', async (ctx) => {
    const a = await fixture(ctx);
    const b = await fixture(ctx, { ...ROTATING, profileName: 'b' });
    await a.store.save('b', webServer(await b.store.get('b')));
    for (let round = 0; round < 3; round++) {
      const runs = await Promise.all([
        cli(a.configDir, ['token', '--profile', 'default']),
        cli(a.configDir, ['token', '--profile', 'b']),
        cli(a.configDir, ['token', '--profile', 'b']),
        cli(a.configDir, ['token', '--profile', 'default']),
      ]);
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
    }
    await expectStillWorks(a.configDir, 'default');
    await expectStillWorks(a.configDir, 'b');
  });

  it('a waiter gives up with exit 75 when another process holds the lock, spending nothing; a stale lock is taken over', async (ctx) => {
    const f = await fixture(ctx);
    const lock = join(f.configDir, 'config.json.lock');
    fs.mkdirSync(lock); // a live holder: its mtime is fresh
    const busy = await cli(f.configDir, ['token'], { env: { SFOAUTH_LOCK_TIMEOUT: '1' } });
    expect(busy.code).toBe(75);
    expect(busy.stdout).toBe('');
    expect(busy.stderr).toContain('Another sfoauth process has held the lock on');
    expect(busy.stderr).toContain('nothing was sent to Salesforce');

    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old); // its holder was killed a minute ago
    await expectStillWorks(f.configDir);
  });
});

describe('pre-flight: nothing is spent that cannot be saved', () => {
  /** Runs the binary with the config directory mounted read-only in a private mount namespace (root only). */
  function runReadOnly(configDir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
    const script = `mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"`;
    return spawnCollect('unshare', ['-m', 'sh', '-c', script, 'sh', configDir, process.execPath, BIN, ...args], { SFOAUTH_CONFIG_DIR: configDir, ...extraEnv });
  }

  /** The same, with the config directory's files copied onto a small tmpfs that is then filled up. */
  function runOnFullDisk(configDir: string, args: string[]): Promise<CliResult> {
    const script = [
      'set -e',
      'copy=$(mktemp -d)',
      'cp -a "$1"/. "$copy"/',
      'mount -t tmpfs -o size=256k,mode=700 tmpfs "$1"',
      'cp -a "$copy"/. "$1"/',
      'dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null || true',
      'rm -rf "$copy"',
      'shift',
      'exec "$@"',
    ].join('\n');
    return spawnCollect('unshare', ['-m', 'sh', '-c', script, 'sh', configDir, process.execPath, BIN, ...args], { SFOAUTH_CONFIG_DIR: configDir });
  }

  const canUnshare = isRoot && posix && spawnWorks('unshare', ['-m', 'true']);

  it.runIf(canUnshare)('a full disk: `token` exits 2 saying so before refreshing, and the token still works', async (ctx) => {
    const f = await fixture(ctx);
    const r = await runOnFullDisk(f.configDir, ['token']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('no space left on the disk');
    expect(r.stderr).toContain('nothing was sent to Salesforce');
    await expectStillWorks(f.configDir); // the original directory: a spent token would be dead here
  });

  it.runIf(canUnshare)('a read-only config directory: `token` and `test` exit 2 with the path and the fix, and the token still works', async (ctx) => {
    const f = await fixture(ctx);
    const token = await runReadOnly(f.configDir, ['token']);
    expect(token.code, token.stderr).toBe(2);
    expect(token.stdout).toBe('');
    expect(token.stderr).toContain(f.configDir);
    expect(token.stderr).toContain('read-only');
    expect(token.stderr).toContain('nothing was sent to Salesforce');

    const test = await runReadOnly(f.configDir, ['test']);
    expect(test.code, test.stderr).toBe(2);
    expect(test.stdout).toContain('the file system is read-only'); // in the report: the refresh check's finding
    await expectStillWorks(f.configDir);
  });

  it.runIf(canUnshare)('init checks that it can save before the login starts: a read-only directory exits 2 and no authorize request is made', async (ctx) => {
    const f = await fixture(ctx);
    const r = await runReadOnly(
      f.configDir,
      ['init', '--profile', 'second', '--env', 'production', '--login-url', f.emulator.loginUrl, '--client-id', f.app.clientId, '--no-browser', '--yes', '--timeout', '5'],
      { SFOAUTH_CLIENT_SECRET: f.app.clientSecret },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('the file system is read-only');
    expect(r.stderr + r.stdout).not.toContain('/services/oauth2/authorize');
  });

  it.runIf(posix && !isRoot)('an unwritable config directory (chmod): `token` exits 2 and the token still works', async (ctx) => {
    const f = await fixture(ctx);
    await chmod(f.configDir, 0o500);
    try {
      const r = await cli(f.configDir, ['token']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('permission denied');
    } finally {
      await chmod(f.configDir, 0o700);
    }
    await expectStillWorks(f.configDir);
  });

  it('an unwritable --rotated-token-file: env-mode `test` exits 2 before refreshing, and the token still works', async (ctx) => {
    const f = await fixture(ctx);
    const env = envFor(f, await refreshTokenOf(f));
    const r = await cli(f.configDir, ['test', '--json', '--rotated-token-file', join(f.configDir, 'no-such-dir', 'token')], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain('stopped before using the refresh token'); // the refresh check, in the --json document
    await expectStillWorks(f.configDir);
  });
});

describe('env-var mode', () => {
  it('doctor never spends SFOAUTH_REFRESH_TOKEN', async (ctx) => {
    const f = await fixture(ctx);
    const r = await cli(f.configDir, ['doctor'], { env: envFor(f, await refreshTokenOf(f)) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('doctor does not spend SFOAUTH_REFRESH_TOKEN');
    await expectStillWorks(f.configDir); // the profile holds the very same token
  });

  it('test writes a rotated token to --rotated-token-file: atomically, 0600, replacing a symlink instead of following it', async (ctx) => {
    const f = await fixture(ctx);
    const dir = await mkdtemp(join(tmpdir(), 'sfoauth-rot-'));
    ctx.onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const victim = join(dir, 'victim');
    await writeFile(victim, 'not yours\n', { mode: 0o644 });
    const out = join(dir, 'token');
    await symlink(victim, out);
    const r = await cli(f.configDir, ['test', '--json'], { env: { ...envFor(f, await refreshTokenOf(f)), SFOAUTH_ROTATED_TOKEN_FILE: out } });
    expect(r.code, r.stderr).toBe(0);
    expect((await lstat(out)).isSymbolicLink()).toBe(false);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await readFile(victim, 'utf8')).toBe('not yours\n');
    const rotated = (await readFile(out, 'utf8')).trim();
    allSecrets.push(rotated);
    expect(rotated).not.toBe(await refreshTokenOf(f));
  });
});

describe('env-var mode on one machine', () => {
  it('3 concurrent env-mode `test` runs sharing one secret and one --rotated-token-file take turns and all pass', async (ctx) => {
    const f = await fixture(ctx);
    const dir = await mkdtemp(join(tmpdir(), 'sfoauth-rot-'));
    ctx.onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const out = join(dir, 'token');
    const env = { ...envFor(f, await refreshTokenOf(f)), SFOAUTH_ROTATED_TOKEN_FILE: out };
    const runs = await Promise.all([1, 2, 3].map(() => cli(f.configDir, ['test', '--json'], { env })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const last = (await readFile(out, 'utf8')).trim();
    allSecrets.push(last);
    const again = await cli(f.configDir, ['test', '--json'], { env: { ...env, SFOAUTH_REFRESH_TOKEN: last, SFOAUTH_ROTATED_TOKEN_FILE: join(dir, 'next') } });
    expect(again.code, again.stderr).toBe(0);
    allSecrets.push((await readFile(join(dir, 'next'), 'utf8')).trim());
  });
});

describe('deadlines and slow refreshes', () => {
  it('test --timeout shorter than a slow refresh: the refresh finishes and is saved; the next run passes', async (ctx) => {
    const f = await fixture(ctx);
    const before = await refreshTokenOf(f);
    f.emulator.setFault('slowMs', 2000);
    const slow = await cli(f.configDir, ['test', '--json', '--timeout', '0.5']);
    f.emulator.setFault('slowMs', 0);
    expect(slow.code, slow.stderr).toBe(3);
    expect(await refreshTokenOf(f)).not.toBe(before); // rotated and saved
    const again = await cli(f.configDir, ['test', '--json']);
    expect(again.code, again.stderr).toBe(0);
  });

  it.runIf(posix)('Ctrl-C during a slow refresh waits for it and saves the rotated token (exit 130, nothing printed)', async (ctx) => {
    const f = await fixture(ctx);
    const before = await refreshTokenOf(f);
    f.emulator.setFault('slowMs', 1500);
    // SIGINT once the refresh is in flight (the emulator holds its answer for 1.5 s).
    const r = await spawnCli([BIN, 'token'], { SFOAUTH_CONFIG_DIR: f.configDir }, (child) => setTimeout(() => child.kill('SIGINT'), 700));
    f.emulator.setFault('slowMs', 0);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Waiting for the token refresh in flight to finish and be saved');
    expect(await refreshTokenOf(f)).not.toBe(before);
    await expectStillWorks(f.configDir);
  });
});

describe('safe files', () => {
  it.runIf(posix)('a 0644 config file is tightened to 0600 on the next write, and that is said', async (ctx) => {
    const f = await fixture(ctx);
    const file = join(f.configDir, 'config.json');
    await chmod(file, 0o644);
    const r = await cli(f.configDir, ['token']);
    expect(r.code, r.stderr).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain('from mode 0644 to 0600');
  });

  it.runIf(posix)('a config directory others can write is refused (exit 2, the fix), spending nothing', async (ctx) => {
    const f = await fixture(ctx);
    await chmod(f.configDir, 0o777);
    const r = await cli(f.configDir, ['token']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('can be written by other users (mode 0777)');
    expect(r.stderr).toContain(`chmod 700 ${f.configDir}`);
    // doctor --fix says the same and never moves the (valid) file aside for it.
    const doctor = await cli(f.configDir, ['doctor', '--offline', '--fix']);
    expect(doctor.code, doctor.stderr).toBe(2);
    expect(doctor.stdout).toContain('can be written by other users (mode 0777)');
    expect(fs.readdirSync(f.configDir).filter((n) => n.includes('corrupt'))).toEqual([]);
    await chmod(f.configDir, 0o700);
    await expectStillWorks(f.configDir);
  });

  it.runIf(posix)('a symlinked config.json: refused when the target is readable by others; followed (kept a link) when it is private', async (ctx) => {
    const f = await fixture(ctx);
    const { real, link } = await moveConfigBehindSymlink(f, ctx);

    await chmod(real, 0o644);
    const refused = await cli(f.configDir, ['token']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('which other users can open (mode 0644)');

    await chmod(real, 0o600);
    const before = await readFile(real, 'utf8');
    await expectStillWorks(f.configDir);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).not.toBe(before); // the rotated token went into the real file
    expect((await stat(real)).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix && isRoot)('a symlinked config.json whose target belongs to another user is refused', async (ctx) => {
    const f = await fixture(ctx);
    const { real } = await moveConfigBehindSymlink(f, ctx);
    await chown(real, 65534, 65534);
    const r = await cli(f.configDir, ['token']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('which belongs to another user (uid 65534)');
  });
});

describe('the journal', () => {
  /** Rotates the profile's token behind sfoauth's back and journals the new one, as a process killed after the journal write would. */
  async function strandToken(f: EmulatorProfile): Promise<string> {
    const old = await refreshTokenOf(f);
    const res = await fetch(`${f.emulator.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: old, client_id: f.app.clientId, client_secret: f.app.clientSecret }),
    });
    const body = (await res.json()) as { refresh_token: string; access_token: string };
    allSecrets.push(body.refresh_token, body.access_token);
    const journal = join(f.configDir, `pending-token.${f.profileName}.json`);
    await writeFile(journal, JSON.stringify({ profile: f.profileName, refreshToken: body.refresh_token, replaces: fingerprint(old), receivedAt: new Date().toISOString() }), {
      mode: 0o600,
    });
    return journal;
  }

  it('doctor reports a stranded rotated token (exit 2) and --fix restores it into the profile', async (ctx) => {
    const f = await fixture(ctx);
    const journal = await strandToken(f);
    const found = await cli(f.configDir, ['doctor', '--offline']);
    expect(found.code, found.stderr).toBe(2);
    expect(found.stdout).toContain(`the new one is waiting in ${journal}`);
    const fixed = await cli(f.configDir, ['doctor', '--offline', '--fix']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('--fix restored the rotated refresh token of profile "default"');
    expect(fs.existsSync(journal)).toBe(false);
    await expectStillWorks(f.configDir);
  });

  it('the next `token` restores a stranded rotated token by itself', async (ctx) => {
    const f = await fixture(ctx);
    const journal = await strandToken(f);
    const r = await cli(f.configDir, ['token']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Restored the rotated refresh token of profile "default"');
    expect(fs.existsSync(journal)).toBe(false);
  });
});

describe('secret scan', () => {
  it('no captured stderr (or non-token stdout) holds a secret', () => {
    expectNoSecrets(captured, allSecrets);
  });
});

/** Moves config.json to another directory and leaves a symlink to it in its place. */
async function moveConfigBehindSymlink(f: EmulatorProfile, ctx: Pick<TestContext, 'onTestFinished'>): Promise<{ real: string; link: string }> {
  const elsewhere = await mkdtemp(join(tmpdir(), 'sfoauth-link-'));
  ctx.onTestFinished(() => rm(elsewhere, { recursive: true, force: true }));
  const real = join(elsewhere, 'config.json');
  const link = join(f.configDir, 'config.json');
  await rename(link, real);
  await symlink(real, link);
  return { real, link };
}

function envFor(f: EmulatorProfile, refreshToken: string): Record<string, string> {
  return {
    SFOAUTH_CLIENT_ID: f.app.clientId,
    SFOAUTH_CLIENT_SECRET: f.app.clientSecret,
    SFOAUTH_REFRESH_TOKEN: refreshToken,
    SFOAUTH_LOGIN_URL: f.emulator.loginUrl,
    SFOAUTH_INSTANCE_URL: f.emulator.instanceUrl,
  };
}

/** Spawns a command with a minimal environment, collects its output (stderr joins the scan), kills it after 20 s. */
function spawnCollect(cmd: string, argv: string[], env: Record<string, string>, onSpawn?: (child: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', CI: 'true', NO_PROXY: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    onSpawn?.(child);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      captured.push(err);
      resolve({ code, stdout: out, stderr: err, timedOut: false });
    });
  });
}

const spawnCli = (argv: string[], env: Record<string, string>, onSpawn?: (child: ChildProcess) => void) => spawnCollect(process.execPath, argv, env, onSpawn);

function spawnWorks(cmd: string, args: string[]): boolean {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 }).status === 0;
  } catch {
    return false;
  }
}
