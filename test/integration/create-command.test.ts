/**
 * `sfoauth create` in a terminal (in process, scripted prompter): the wizard asks for what flags did not
 * give, and when the org refuses the secret over REST, the fix is shown and the masked prompt takes the
 * key and secret, and the verification still ends with a saved profile (docs/create.md §7).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { realClock, type Deps } from '../../src/deps.js';
import { scriptedPrompter, WAIT_FOR_ABORT } from '../support/test-deps.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createTestIO } from '../support/test-io.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { freePort } from '../support/emulator-profile.js';
import { login } from '../emulator/helpers.js';

let dir: string;
let emu: RunningEmulator;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-it-create-'));
  emu = await startEmulator({ autoApprove: true, deployMs: 100 });
  emu.setFault('consumerSecretApiOff', true);
});
afterEach(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

/** Deps of a person at a terminal: the browser is played by fetching the authorize URL. */
function terminalDeps(t: ReturnType<typeof createTestIO>, prompter: Deps['prompter']): Deps {
  return {
    io: t.io,
    env: {},
    fetch: globalThis.fetch,
    clock: realClock,
    random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    openBrowser: async (url) => {
      const res = await fetch(url, { redirect: 'manual' });
      await (await fetch(res.headers.get('location')!)).text();
    },
    prompter,
    openStore: (configDir) => openConfStore({ configDir: configDir ?? dir, env: {} }),
    signal: new AbortController().signal,
  };
}

it('in a terminal: the wizard asks name, email and who deploys (the token masked); the secret refused over REST is asked masked; the profile is saved', async () => {
  const cb = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
  const adminToken = (await login(emu)).access_token;
  const deployed = () => emu.apps.find((a) => a.callbackUrls.includes(cb));
  const scripted = scriptedPrompter({
    'API name of the app:': 'Wizard_App',
    'Contact email:': 'dev@example.com',
    'Who deploys the app (an admin of the org)?': 'token',
    "The org's instance URL (https://….my.salesforce.com):": emu.instanceUrl,
    [`Deploy the External Client App "Wizard_App" to ${new URL(emu.instanceUrl).host} as the access token from stdin?`]: true,
    'Consumer Key:': async () => deployed()!.clientId,
    'Or paste the URL your browser ended on (or just the code):': WAIT_FOR_ABORT,
  });
  const prompter = {
    ...scripted,
    password: async (o: { message: string }) => {
      scripted.asked.push(o.message);
      return o.message === 'Access token:' ? adminToken : deployed()!.clientSecret;
    },
  };
  const t = createTestIO({ tty: true, env: { NO_COLOR: '1' } });
  const deps = terminalDeps(t, prompter);
  const code = await main(['create', '--config-dir', dir, '--callback-url', cb, '--timeout', '10'], deps);
  expect(code, t.stderr()).toBe(0);
  expect(scripted.asked).toEqual([
    'API name of the app:',
    'Contact email:',
    'Who deploys the app (an admin of the org)?',
    "The org's instance URL (https://….my.salesforce.com):",
    'Access token:',
    `Deploy the External Client App "Wizard_App" to ${new URL(emu.instanceUrl).host} as the access token from stdin?`,
    'Consumer Key:', 'Consumer Secret:', 'Or paste the URL your browser ended on (or just the code):']);
  expect(t.stderr()).toContain('Allow access to External Client App consumer secrets via REST API');
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, { clientId: string }> };
  expect(config.profiles.default!.clientId).toBe(deployed()!.clientId);
  expectNoSecrets([t.stderr(), t.stdout()], [deployed()!.clientSecret, adminToken]);
}, 30_000);

it('in a terminal, an org on API 59.0 (no credentials API): the key and secret are asked (the secret masked) and the profile is saved', async () => {
  const old = await startEmulator({ autoApprove: true, deployMs: 50, maxApiVersion: 59 });
  try {
    const cb = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
    const adminToken = (await login(old)).access_token;
    const deployed = () => old.apps.find((a) => a.callbackUrls.includes(cb));
    const scripted = scriptedPrompter({
      [`Deploy the External Client App "Api59_App" to ${new URL(old.instanceUrl).host} as the access token from stdin?`]: true,
      'Consumer Key:': async () => deployed()!.clientId,
      'Or paste the URL your browser ended on (or just the code):': WAIT_FOR_ABORT,
    });
    const masked: string[] = [];
    // stdin is this terminal, so --access-token-stdin asks for the token with the masked prompt too.
    const prompter = { ...scripted, password: async (o: { message: string }) => (masked.push(o.message), o.message === 'Salesforce access token (hidden):' ? adminToken : deployed()!.clientSecret) };
    const t = createTestIO({ tty: true, env: { NO_COLOR: '1' } });
    const code = await main(
      ['create', '--config-dir', dir, '--name', 'Api59_App', '--contact-email', 'dev@example.com', '--access-token-stdin', '--instance-url', old.instanceUrl, '--callback-url', cb, '--timeout', '10'],
      terminalDeps(t, prompter),
    );
    expect(code, t.stderr()).toBe(0);
    expect(t.stderr()).toContain("This org's API 59.0 has no credentials API (it needs 60.0).");
    expect(masked).toEqual(['Salesforce access token (hidden):', 'Consumer Secret:']);
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, { clientId: string }> };
    expect(config.profiles.default!.clientId).toBe(deployed()!.clientId);
    expectNoSecrets([t.stderr(), t.stdout()], [deployed()!.clientSecret, adminToken]);
  } finally {
    await old.close();
  }
}, 30_000);
