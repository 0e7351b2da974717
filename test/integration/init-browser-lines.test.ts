/**
 * What init says around the browser, in process (`main(argv, deps)`) against the emulator: on a desktop
 * the login URL is shown once, in "Opening <url> in your browser." (not also as "Open this URL"); with
 * --json nothing reaches stderr at all, the browser's notice included (deps.ts speakingThrough rebuilds it
 * for the quiet IO). The browser is the real platform/browser.ts with a fake opener that approves.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { realClock, type Deps } from '../../src/deps.js';
import type { IO } from '../../src/cli/io.js';
import { openBrowser } from '../../src/platform/browser.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { noPrompts } from '../support/test-deps.js';
import { createTestIO, type TestIO } from '../support/test-io.js';
import { freePort } from '../support/emulator-profile.js';

let dir: string;
let cb: string;
let emu: RunningEmulator;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-it-browser-lines-'));
  cb = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
  emu = await startEmulator({ autoApprove: true, apps: [{ callbackUrls: [cb] }] });
});

afterEach(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

/** The emulator approves at once: follow its redirect to init's callback server. */
async function approve(url: string): Promise<void> {
  const res = await fetch(url, { redirect: 'manual' });
  await (await fetch(res.headers.get('location')!)).text();
}

/** Deps wired like createDeps(): a desktop browser whose notice goes to the IO the command runs with. */
function desktopDeps(t: TestIO): Deps {
  const speakingThrough = (io: IO): Pick<Deps, 'openBrowser' | 'openStore'> => ({
    openBrowser: (url) => openBrowser(url, { env: { DISPLAY: ':0' }, platform: 'linux', notice: (line) => io.err(line), opener: approve }),
    openStore: (configDir) => openConfStore({ configDir: configDir ?? dir, env: {}, notice: (line) => io.err(line) }),
  });
  return {
    io: t.io,
    env: { SFOAUTH_CLIENT_SECRET: emu.apps[0]!.clientSecret },
    fetch: (input, init) => globalThis.fetch(input, init),
    clock: realClock,
    random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    prompter: noPrompts(),
    signal: new AbortController().signal,
    ...speakingThrough(t.io),
    speakingThrough,
  };
}

const initArgs = () => ['init', '--yes', '--config-dir', dir, '--env', 'production', '--login-url', emu.loginUrl, '--client-id', emu.apps[0]!.clientId, '--callback-url', cb, '--timeout', '10'];

it('on a desktop: the URL once, in "Opening … in your browser.", and no "Open this URL" line', async () => {
  const t = createTestIO();
  const code = await main(initArgs(), desktopDeps(t));
  const err = t.stderr();
  expect(code, err).toBe(0);
  const url = /^Opening (\S+) in your browser\.$/m.exec(err)?.[1];
  expect(url, err).toContain('/services/oauth2/authorize?');
  expect(err.split(url!).length - 1).toBe(1);
  expect(err).not.toContain('Open this URL');
});

it('with --json: one document on stdout, stderr empty (the browser\'s notice too)', async () => {
  const t = createTestIO();
  const code = await main(['--json', ...initArgs()], desktopDeps(t));
  expect(code, t.stdout()).toBe(0);
  expect(JSON.parse(t.stdout())).toMatchObject({ ok: true, profile: 'default' });
  expect(t.stderr()).toBe('');
});

it('with --json, a login-host warning given before the login is in the document\'s warnings, not on stderr', async () => {
  // --env sandbox with login.salesforce.com: every request to that host goes to the emulator instead.
  const real = 'https://login.salesforce.com';
  const toEmulator = (url: string | URL) => String(url).replace(real, emu.loginUrl);
  const t = createTestIO();
  const base = desktopDeps(t);
  const speakingThrough = (io: IO): Pick<Deps, 'openBrowser' | 'openStore'> => ({
    ...base.speakingThrough!(io),
    openBrowser: (url) => openBrowser(url, { env: { DISPLAY: ':0' }, platform: 'linux', notice: (line) => io.err(line), opener: (u) => approve(toEmulator(u)) }),
  });
  const deps: Deps = { ...base, fetch: (input, init) => globalThis.fetch(toEmulator(input), init), ...speakingThrough(t.io), speakingThrough };
  const args = initArgs().map((a) => (a === emu.loginUrl ? real : a === 'production' ? 'sandbox' : a));
  const code = await main(['--json', ...args], deps);
  expect(code, t.stdout()).toBe(0);
  const doc = JSON.parse(t.stdout()) as { warnings: string[] };
  expect(doc.warnings).toContainEqual(expect.stringMatching(/^Sandboxes log in at https:\/\/test\.salesforce\.com/));
  expect(t.stderr()).toBe('');
});

