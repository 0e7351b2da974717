/**
 * init's network steps are shown while they run (docs/architecture.md "Progress and output streams"): each
 * goes through deps.showWaiting (a spinner in a terminal, cli/progress.ts), and each ends before the next
 * line is printed. runInit in process against the emulator, with a showWaiting that records.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runInit } from '../../src/app/init.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { freePort } from '../support/emulator-profile.js';
import { createTestDeps } from '../support/test-deps.js';

let emu: RunningEmulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('init: the secret probe, the app check, the code exchange and the user lookup each show a wait, ended before init goes on', async () => {
  const callbackUrl = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
  emu = await startEmulator({ autoApprove: true, apps: [{ callbackUrls: [callbackUrl] }] });
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-it-waits-'));
  const store = await openConfStore({ configDir: dir, env: {} });
  const events: string[] = [];
  const { deps, t } = createTestDeps({
    fetch: (input, init) => fetch(input, init),
    openBrowser: async (url) => {
      const location = (await fetch(url, { redirect: 'manual' })).headers.get('location');
      await (await fetch(location!)).text();
    },
    showWaiting: (text) => {
      events.push(`show ${text}`);
      return () => events.push(`end ${text}`);
    },
  });
  const app = emu.apps[0]!;
  await runInit(
    {
      profile: 'default',
      flow: 'web-server',
      env: 'production',
      appType: app.appType,
      loginUrl: emu.loginUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      callbackUrl,
      extraCallbackUrls: [],
      scopes: ['api', 'refresh_token'],
      openBrowser: true,
      timeoutMs: 10_000,
      waitMs: 0,
      pollMs: 1000,
      interactive: false,
    },
    store,
    deps,
  );
  const shown = events.filter((e) => e.startsWith('show ')).map((e) => e.slice(5));
  expect(shown).toEqual([
    'Checking that Salesforce knows the app…',
    'Checking the Consumer Key and Secret with Salesforce…',
    'Waiting for the login in the browser (Ctrl-C to cancel)…',
    'Exchanging the code for tokens…',
    'Reading the user and the org…',
  ]);
  // Each wait ends before the next starts: one line on the spinner at a time.
  for (let i = 0; i < events.length; i += 2) expect(events[i + 1]).toBe(events[i]!.replace(/^show /, 'end '));
  expect(t.stderr()).not.toMatch(/[\r\x1b]/);
});
