/**
 * One real-browser run of the `sfoauth init` redirect: the built CLI and the emulator run as separate
 * processes, and Debian's Chromium (driven by playwright-core) logs in on the emulator's real login
 * and Allow pages, follows the redirect to init's loopback callback, and shows the success page.
 * Without Chromium the test is skipped, and says so loudly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.js';
import { findFreePort as freePort } from '../../src/platform/port.js';

const BIN = fileURLToPath(new URL('../../bin/sfoauth.js', import.meta.url));
const DIST_ENTRY = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const chromiumPath = findChromium();

if (!chromiumPath) {
  console.warn(
    '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
      '!!! SKIPPED: real-browser test (no /usr/bin/chromium; .ci/run installs it with apt-get)\n' +
      '!!! Set CHROMIUM_PATH to use another Chromium.\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n',
  );
}


/** A spawned CLI process and everything it has written so far. */
interface Proc {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

const procs: Proc[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

function run(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  if (stdin !== undefined) child.stdin?.end(stdin);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc: Proc = { child, stdout: () => out, stderr: () => err, exited };
  procs.push(proc);
  return proc;
}

/** Polls `read` until it returns a value; fails with the process output if it exits or time runs out. */
async function waitFor<T>(what: string, proc: Proc, read: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (proc.child.exitCode !== null || Date.now() > until) {
      throw new Error(`${what}: ${proc.child.exitCode !== null ? `exited ${proc.child.exitCode}` : 'timed out'}\n--- stdout\n${proc.stdout()}\n--- stderr\n${proc.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** SIGINT first (the CLI's Ctrl-C path closes its servers), then SIGKILL if it lingers. */
async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGINT');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 2000);
  await proc.exited;
  clearTimeout(timer);
}

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await Promise.all(procs.map(stop));
});

interface EmulatorReady {
  loginUrl: string;
  instanceUrl: string;
  apps: Array<{ clientId: string; clientSecret: string; callbackUrls: string[] }>;
  user: { username: string; password: string };
}

describe('sfoauth init in a real browser', () => {
  if (!chromiumPath) {
    it.skip('SKIPPED: real-browser test (no /usr/bin/chromium; .ci/run installs it with apt-get)', () => undefined);
    return;
  }

  it('logs in on the emulator pages, lands on the success page, and saves the profile', { timeout: 30_000 }, async () => {
    expect(existsSync(DIST_ENTRY), 'dist/ is missing: run `npm run build` first (npm test does)').toBe(true);
    const configDir = await mkdtemp(join(tmpdir(), 'sfoauth-browser-config-'));
    const profileDir = await mkdtemp(join(tmpdir(), 'sfoauth-browser-chromium-'));
    cleanups.push(() => rm(configDir, { recursive: true, force: true }), () => rm(profileDir, { recursive: true, force: true }));
    const env = { ...process.env, CI: 'true', NO_COLOR: '1', SFOAUTH_CONFIG_DIR: configDir };

    // The emulator with its real login and Allow pages (no --auto-approve).
    const callbackUrl = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
    const emulator = run(['emulator', '--json', '--port', '0', '--callback-url', callbackUrl], env);
    const ready = JSON.parse(
      await waitFor('emulator ready line', emulator, () => (emulator.stdout().includes('\n') ? emulator.stdout().split('\n')[0] : undefined)),
    ) as EmulatorReady;
    const app = ready.apps[0];
    if (!app) throw new Error(`the emulator created no app: ${JSON.stringify(ready)}`);
    expect(app.callbackUrls).toEqual([callbackUrl]);

    // init waits for the callback and prints the authorize URL on stderr.
    const init = run(
      ['init', '--env', 'production', '--login-url', ready.loginUrl, '--client-id', app.clientId, '--client-secret-stdin',
        '--callback-url', callbackUrl, '--no-browser', '--timeout', '60'],
      env,
      `${app.clientSecret}\n`,
    );
    const authorizeUrl = await waitFor('authorize URL on init stderr', init, () =>
      init.stderr().split('\n').find((line) => line.startsWith(`${ready.loginUrl}/services/oauth2/authorize?`)),
    );

    const { chromium } = await import('playwright-core');
    const browser: BrowserContext = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: 15_000,
    });
    cleanups.push(() => browser.close());
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(10_000);

    await page.goto(authorizeUrl);
    await page.locator('#username').fill(ready.user.username);
    await page.locator('#password').fill(ready.user.password);
    await page.locator('#Login').click();
    await page.locator('#oaapprove').click();
    await page.waitForURL((url) => url.href.startsWith(`${callbackUrl}?`));

    // The browser arrived with a code in its address bar; the page itself must not repeat it.
    const code = new URL(page.url()).searchParams.get('code');
    expect(code).toBeTruthy();
    expect(await page.locator('h1').innerText()).toBe('Authorization received');
    expect(await page.locator('body').innerText()).toContain('you can close this tab and return to the terminal');
    const html = await page.content();
    expect(html).not.toContain(code);
    await page.screenshot({ path: join(tmpdir(), 'sfoauth-browser-success.png'), fullPage: true });

    // init exchanges the code, verifies, prints the summary and saves the profile.
    expect(await Promise.race([init.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))])).toBe(0);
    // The summary is init's result: stdout.
    expect(init.stdout()).toContain('Saved profile "default"');
    expect(init.stdout()).toContain(`Instance URL:  ${ready.instanceUrl}`);
    expect(init.stderr() + init.stdout()).not.toContain(app.clientSecret);
    expect(init.stderr() + init.stdout()).not.toContain(code);
    const config = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8')) as {
      profiles: Record<string, { clientId: string; instanceUrl?: string; loginUrl: string; username?: string; refreshToken?: string }>;
    };
    expect(config.profiles['default']).toMatchObject({
      clientId: app.clientId,
      loginUrl: ready.loginUrl,
      instanceUrl: ready.instanceUrl,
      username: ready.user.username,
    });
    expect(config.profiles['default']?.refreshToken).toBeTruthy();
  });
});
