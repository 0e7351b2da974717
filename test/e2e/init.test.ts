/**
 * `sfoauth init` end to end: the built binary (bin/sfoauth.js → dist/, so `npm run build` first) is
 * spawned against an in-process emulator. The test plays the browser: it reads the authorize URL from
 * init's stderr as it streams, asks the emulator for it without following redirects, and delivers the
 * Location (the callback) to init's callback server. Everything is non-interactive (pipes, no TTY).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorApp, type RunningEmulator } from '../../src/emulator/index.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { findFreePort as freePort } from '../../src/platform/port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'sfoauth.js');

// ---------------------------------------------------------------------------------------------
// A streaming spawn: init prints the authorize URL and then waits, so the test must react to
// stderr while the process is still running (test/support/run-cli.ts only returns at exit).

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Live {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The first match of `re` in stderr, as soon as it appears; rejects when the process ends first. */
  waitForStderr(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  done: Promise<Finished>;
}

const running = new Set<ChildProcess>();
let home: string;

function spawnCli(args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}): Live {
  // A clean environment: no CI, no SFOAUTH_* or proxy variables leaking in from the machine running the tests.
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    NO_COLOR: '1',
    NO_PROXY: '127.0.0.1,localhost,::1',
    ...opts.env,
  };
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    err += s;
    for (const l of listeners) l();
  });
  child.stdin!.on('error', () => undefined); // the child may exit before reading stdin
  child.stdin!.end(opts.stdin ?? '');
  let exited = false;
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => {
      exited = true;
      running.delete(child);
      for (const l of listeners) l();
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    waitForStderr: (re, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${re} in stderr:\n${err}`)), ms);
        const check = () => {
          const m = re.exec(err);
          if (m) finish(undefined, m);
          else if (exited) finish(new Error(`sfoauth exited before printing ${re}; stderr:\n${err}`));
        };
        const finish = (e?: Error, m?: RegExpExecArray) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (e) reject(e);
          else resolve(m!);
        };
        listeners.add(check);
        check();
      }),
  };
}

// ---------------------------------------------------------------------------------------------

const AUTHORIZE_LINE = /^(http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/authorize\?\S+)$/m;
const STACK_LINE = /^\s+at /m;

/** Plays the browser: asks the emulator for the authorize URL and delivers its redirect to the callback. */
async function approveInBrowser(authorizeUrl: string): Promise<{ callback: URL; page: Response }> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const callback = new URL(res.headers.get('location') ?? '');
  const page = await fetch(callback);
  await page.text();
  return { callback, page };
}


interface ConfigJson {
  defaultProfile?: string;
  profiles: Record<string, { clientId: string; clientSecret?: string; refreshToken?: string; env: string; appType: string; instanceUrl?: string; username?: string }>;
}

const readConfig = async (dir: string): Promise<ConfigJson> => JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as ConfigJson;

/** A valid profile that a run must leave alone (or replace, with --yes). */
const PREVIOUS = {
  version: 1,
  defaultProfile: 'default',
  profiles: {
    default: {
      env: 'production',
      appType: 'external-client-app',
      loginUrl: 'https://login.salesforce.com',
      callbackUrl: 'http://localhost:1717/OauthRedirect',
      extraCallbackUrls: [],
      clientId: '3MVG9previousPreviousPreviousPrevious',
      clientSecret: 'PREVIOUS0SECRET0PREVIOUS0SECRET0',
      scopes: ['api', 'refresh_token'],
      refreshToken: '5Aep861previous.refresh.token',
      instanceUrl: 'https://acme.my.salesforce.com',
      createdAt: '2025-01-01T00:00:00.000Z',
    },
  },
};
const PREVIOUS_TEXT = JSON.stringify(PREVIOUS, null, '\t');

let emu: RunningEmulator;
let app: EmulatorApp;
let cb: string;
let dir: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'bin.js'))) throw new Error('dist/ is missing: run `npm run build` before the e2e tests.');
  home = await mkdtemp(join(tmpdir(), 'sfoauth-e2e-home-'));
  cb = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
  emu = await startEmulator({ autoApprove: true, apps: [{ callbackUrls: [cb] }] });
  app = emu.apps[0]!;
});

afterAll(async () => {
  await emu.close();
  await rm(home, { recursive: true, force: true });
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-e2e-init-'));
});

afterEach(async () => {
  emu.setFault('userDenies', false);
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  await rm(dir, { recursive: true, force: true });
});

/** init's flags for the shared emulator; the secret comes from stdin or the environment. */
const initArgs = (extra: string[] = [], clientId = app.clientId) => [
  'init',
  '--config-dir', dir,
  '--env', 'production',
  '--login-url', emu.loginUrl,
  '--client-id', clientId,
  '--callback-url', cb,
  '--no-browser',
  '--timeout', '20',
  ...extra,
];

describe('sfoauth init (spawned, non-interactive)', () => {
  it('logs in with the secret on stdin, saves the profile, and never prints a secret', async () => {
    const run = spawnCli(initArgs(['--client-secret-stdin']), { stdin: `${app.clientSecret}\n` });
    const [, url] = await run.waitForStderr(AUTHORIZE_LINE);
    const { callback, page } = await approveInBrowser(url!);
    expect(page.status).toBe(200);
    const code = callback.searchParams.get('code')!;
    const r = await run.done;

    expect(r.code, r.stderr).toBe(0);
    // The summary is the command's result: stdout (the progress before it went to stderr).
    expect(r.stdout).toContain('Saved profile "default"');
    expect(r.stdout).toContain(join(dir, 'config.json'));
    expect(r.stderr).not.toContain('Saved profile');
    const saved = (await readConfig(dir)).profiles.default!;
    expect(saved).toMatchObject({ clientId: app.clientId, clientSecret: app.clientSecret, env: 'production', instanceUrl: emu.instanceUrl, username: emu.user.username });
    expect(saved.refreshToken).toMatch(/^5Aep861/);
    expectNoSecrets([r.stdout, r.stderr], [app.clientSecret, saved.refreshToken!, code, encodeURIComponent(code)]);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('--json with SFOAUTH_CLIENT_SECRET prints one JSON document on stdout; --yes replaces an existing profile', async () => {
    await writeFile(join(dir, 'config.json'), PREVIOUS_TEXT, { mode: 0o600 });
    const run = spawnCli(initArgs(['--json', '--yes']), { env: { SFOAUTH_CLIENT_SECRET: app.clientSecret } });
    const [, url] = await run.waitForStderr(AUTHORIZE_LINE);
    await approveInBrowser(url!);
    const r = await run.done;

    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>; // throws unless stdout is exactly one document
    expect(doc).toMatchObject({ ok: true, profile: 'default', env: 'production', instanceUrl: emu.instanceUrl, username: emu.user.username });
    expect(doc.nango).toMatchObject({ integration: 'salesforce', clientId: app.clientId });
    const saved = (await readConfig(dir)).profiles.default!;
    expect(saved.clientId).toBe(app.clientId);
    expect(saved.refreshToken).not.toBe(PREVIOUS.profiles.default.refreshToken);
    expectNoSecrets([r.stdout, r.stderr], [app.clientSecret, saved.refreshToken!]);
  });

  it('an existing profile without --yes is a usage error and the file is not touched', async () => {
    await writeFile(join(dir, 'config.json'), PREVIOUS_TEXT, { mode: 0o600 });
    const r = await spawnCli(initArgs(), { env: { SFOAUTH_CLIENT_SECRET: app.clientSecret } }).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Profile "default" already exists');
    expect(r.stderr).toContain('--yes');
    expect(r.stderr).not.toMatch(AUTHORIZE_LINE);
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(PREVIOUS_TEXT);
  });

  it('without a TTY (CI=true) and without values, exits 2 listing the flags to pass', async () => {
    const r = await spawnCli(['init', '--config-dir', dir], { env: { CI: 'true' } }).done;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--env production|sandbox');
    expect(r.stderr).toContain('--client-id');
    expect(r.stderr).toContain('--client-secret-stdin');
    expect(r.stderr).toContain('SFOAUTH_CLIENT_SECRET');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });

  it('refuses a plain --client-secret flag with the reason (it would land in shell history), never echoing it', async () => {
    const r = await spawnCli(initArgs(['--client-secret', app.clientSecret])).done;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('never takes the Consumer Secret as a flag');
    expect(r.stderr).not.toContain(app.clientSecret);
  });

  it('a busy callback port is exit 2 with the port and a fix, before any URL is printed', async () => {
    const port = Number(new URL(cb).port);
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const r = await spawnCli(initArgs(), { env: { SFOAUTH_CLIENT_SECRET: app.clientSecret } }).done;
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`The callback port ${port}`);
      expect(r.stderr).toMatch(/already in use/);
      expect(r.stderr).toMatch(/→ .*--callback-url http:\/\/127\.0\.0\.1:\d+\/OauthRedirect/);
      expect(r.stderr).not.toContain('/services/oauth2/authorize');
      expect(r.stderr).not.toMatch(STACK_LINE);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('an unknown client id with --wait 0 exits 1 with the catalog\'s cause and fix, and no authorize URL', async () => {
    const r = await spawnCli(initArgs(['--wait', '0'], '3MVG9unknownUnknownUnknownUnknownUnknown'), {
      env: { SFOAUTH_CLIENT_SECRET: app.clientSecret },
    }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid_client_id');
    expect(r.stderr).toMatch(/10 minutes to propagate/); // cause: propagation
    expect(r.stderr).toMatch(/copy the Consumer Key again/i); // fix: check the key
    expect(r.stderr).toContain('--wait 10');
    expect(r.stderr).not.toContain('/services/oauth2/authorize?');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });

  it('waits while a new app propagates (--wait 1 --poll-interval 1), counting down, then logs in', async () => {
    // The emulator's clock decides when propagation is over: it jumps ahead once init has counted down
    // twice, so the test does not depend on how fast this machine spawns node.
    let offset = 0;
    const young = await startEmulator({ autoApprove: true, clock: () => Date.now() + offset, apps: [{ callbackUrls: [cb], propagationDelayMs: 60_000 }] });
    try {
      const youngApp = young.apps[0]!;
      const run = spawnCli(
        ['init', '--config-dir', dir, '--env', 'production', '--login-url', young.loginUrl, '--client-id', youngApp.clientId,
          '--callback-url', cb, '--no-browser', '--timeout', '20', '--wait', '1', '--poll-interval', '1'],
        { env: { SFOAUTH_CLIENT_SECRET: youngApp.clientSecret } },
      );
      await run.waitForStderr(/(^ {2}waiting 1 s .*\n){2}/m);
      expect(run.stderr()).not.toMatch(AUTHORIZE_LINE);
      offset = 120_000;
      const [, url] = await run.waitForStderr(AUTHORIZE_LINE);
      await approveInBrowser(url!);
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('Salesforce does not accept the app yet (invalid_client_id');
      expect(r.stderr).toContain('Re-checking every 1 s for up to 1:00');
      expect(r.stderr).toMatch(/^ {2}waiting 1 s \(0:\d\d left\)…$/m);
      expect(r.stderr).toContain('Salesforce now recognises the app.');
      // The countdown comes before the URL: nobody is sent to a page that would say invalid_client_id.
      expect(r.stderr.indexOf('now recognises')).toBeLessThan(r.stderr.indexOf('/services/oauth2/authorize?'));
      expect((await readConfig(dir)).profiles.default!.clientId).toBe(youngApp.clientId);
    } finally {
      await young.close();
    }
  });

  it('?error=access_denied exits 1 with the explanation, and the previous profile stays as it was', async () => {
    await writeFile(join(dir, 'config.json'), PREVIOUS_TEXT, { mode: 0o600 });
    emu.setFault('userDenies', true);
    const run = spawnCli(initArgs(['--yes']), { env: { SFOAUTH_CLIENT_SECRET: app.clientSecret } });
    const [, url] = await run.waitForStderr(AUTHORIZE_LINE);
    const { callback } = await approveInBrowser(url!);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('access_denied');
    expect(r.stderr).toContain('Cause: On Salesforce\'s approval page the user chose Deny instead of Allow.');
    expect(r.stderr).toMatch(/Fix: +Run the flow again and click Allow/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(PREVIOUS_TEXT);
  });

  it('--timeout 2 without a callback exits 1 with the timeout message and saves nothing', async () => {
    const r = await spawnCli(initArgs(['--timeout', '2']), { env: { SFOAUTH_CLIENT_SECRET: app.clientSecret } }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(AUTHORIZE_LINE);
    expect(r.stderr).toContain(`No callback arrived at ${cb} within 2 seconds.`);
    expect(r.stderr).toMatch(/sfoauth explain/);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });

  it('Ctrl-C while waiting for the callback exits 130 and saves nothing', async () => {
    const run = spawnCli(initArgs(), { env: { SFOAUTH_CLIENT_SECRET: app.clientSecret } });
    await run.waitForStderr(AUTHORIZE_LINE);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    // The callback server is gone with it.
    await expect(fetch(cb)).rejects.toThrow();
  });
});

describe('sfoauth init: the browser and the callback URL (spawned)', () => {
  /** init's flags without --no-browser: these runs decide for themselves whether to open one. */
  const browserArgs = () => initArgs(['--yes']).filter((a) => a !== '--no-browser');

  it('over SSH opens no browser, says why, and the login still completes from the printed URL', async () => {
    const run = spawnCli(browserArgs(), { env: { SFOAUTH_CLIENT_SECRET: app.clientSecret, SSH_CONNECTION: '192.0.2.1 50000 192.0.2.2 22', DISPLAY: ':0' } });
    const [, url] = await run.waitForStderr(AUTHORIZE_LINE);
    await run.waitForStderr(/Not opening a browser: this is an SSH session \(SSH_CONNECTION is set\)/);
    await approveInBrowser(url!);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('; open this URL yourself to log in and allow access:');
    expect(r.stderr).not.toContain('Opening ');
    // The URL once, after the reason (not "above", before it).
    expect(r.stderr.split(url!).length - 1).toBe(1);
  });

  it.runIf(process.platform === 'linux')('on Linux without a display opens no browser and says so', async () => {
    const run = spawnCli(browserArgs(), { env: { SFOAUTH_CLIENT_SECRET: app.clientSecret } });
    const [, url] = await run.waitForStderr(AUTHORIZE_LINE);
    await run.waitForStderr(/Not opening a browser: there is no display \(neither DISPLAY nor WAYLAND_DISPLAY is set\); open this URL yourself to log in and allow access:/);
    await approveInBrowser(url!);
    expect((await run.done).code).toBe(0);
  });

  it('an unregistered callback URL: the fix names the exact URL that was sent, and only one way out', async () => {
    const other = `http://127.0.0.1:${await freePort()}/not-registered`;
    const r = await spawnCli(initArgs(['--wait', '0', '--callback-url', other]), { env: { SFOAUTH_CLIENT_SECRET: app.clientSecret } }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('redirect_uri_mismatch');
    expect(r.stderr).toMatch(new RegExp(`Fix: +Add ${other.replace(/[.?]/g, '\\$&')} \\(the callback URL sent as redirect_uri\\) to the app's Callback URL list`));
    expect(r.stderr).not.toContain('or pass `--callback-url`');
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });
});
