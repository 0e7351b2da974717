/**
 * `sfoauth init` in process: `main(argv, deps)` with every side effect injected (buffered IO, a scripted
 * prompter, a fake browser that follows the authorize redirect) against the in-process emulator, with
 * real fetch, the real clock, the real callback server and the real conf store in a temporary directory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { ConfigError } from '../../src/errors.js';
import { realClock, type Deps, type Prompter } from '../../src/deps.js';
import { noPrompts, scriptedPrompter, WAIT_FOR_ABORT } from '../support/test-deps.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { startEmulator, type OrgType, type AppType, type RunningEmulator } from '../../src/emulator/index.js';
import type { Environment, Profile } from '../../src/core/config/profile.js';
import { createTestIO, type TestIO } from '../support/test-io.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { freePort, recordingFetch } from '../support/emulator-profile.js';
import { webServer } from '../support/web-server-profile.js';

const NANGO_CALLBACK = 'https://api.nango.dev/oauth/callback';
const PASTE_QUESTION = 'Or paste the URL your browser ended on (or just the code):';


// ---------------------------------------------------------------------------------------------

let dir: string;
let emu: RunningEmulator | undefined;
let cb: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-it-init-'));
  cb = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
});

afterEach(async () => {
  await emu?.close();
  emu = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function emulator(opts: { sandbox?: boolean; appType?: AppType; orgType?: OrgType } = {}): Promise<RunningEmulator> {
  const kind = opts.orgType ? { orgType: opts.orgType } : { sandbox: opts.sandbox === true };
  emu = await startEmulator({ autoApprove: true, ...kind, apps: [{ callbackUrls: [cb], ...(opts.appType ? { appType: opts.appType } : {}) }] });
  return emu;
}

interface Harness {
  t: TestIO;
  deps: Deps;
  /** Client secret, codes and tokens seen so far, for the secret scan. */
  secrets: string[];
  /** Every URL handed to the browser. */
  opened: string[];
}

/**
 * Deps like createDeps(), with fakes where a person or a browser would be. The default browser
 * follows the authorize URL to the emulator and delivers its redirect to init's callback server.
 */
function harness(opts: { tty?: boolean; env?: Record<string, string>; prompter?: Prompter; secret?: string } = {}): Harness {
  const t = createTestIO({ tty: opts.tty ?? false, env: { NO_COLOR: '1' } });
  const secrets: string[] = opts.secret ? [opts.secret] : [];
  const opened: string[] = [];
  const deps: Deps = {
    io: t.io,
    env: opts.env ?? {},
    fetch: recordingFetch(secrets),
    clock: realClock,
    random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    openBrowser: async (url) => {
      opened.push(url);
      const res = await fetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`the emulator did not redirect (HTTP ${res.status})`);
      const code = new URL(location).searchParams.get('code');
      if (code) secrets.push(code);
      await (await fetch(location)).text();
    },
    prompter: opts.prompter ?? noPrompts(),
    openStore: (configDir) => openConfStore({ configDir: configDir ?? dir, env: {} }),
    signal: new AbortController().signal,
  };
  return { t, deps, secrets, opened };
}

async function savedProfile(name = 'default'): Promise<Profile | undefined> {
  const file = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, Profile> };
  return file.profiles[name];
}

const APP_TYPES: AppType[] = ['external-client-app', 'connected-app'];
const ENVS: Environment[] = ['production', 'sandbox'];

describe('init (in process, non-interactive)', () => {
  it('--yes in a terminal asks nothing, not even for a pasted redirect', async () => {
    const e = await emulator();
    const app = e.apps[0]!;
    const prompter = noPrompts();
    const h = harness({ tty: true, prompter, env: { SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
    const code = await main(
      ['init', '--yes', '--config-dir', dir, '--env', 'production', '--login-url', e.loginUrl, '--client-id', app.clientId, '--callback-url', cb, '--timeout', '10'],
      h.deps,
    );
    expect(code, h.t.stderr()).toBe(0);
    expect(prompter.asked).toEqual([]);
  });

  it.each(ENVS.flatMap((env) => APP_TYPES.map((appType) => ({ env, appType }))))(
    '$env × $appType: logs in through the callback server and saves the profile',
    async ({ env, appType }) => {
      const e = await emulator({ sandbox: env === 'sandbox', appType });
      const app = e.apps[0]!;
      const h = harness({ env: { SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
      const code = await main(
        ['init', '--config-dir', dir, '--env', env, '--app-type', appType, '--login-url', e.loginUrl, '--client-id', app.clientId, '--callback-url', cb, '--timeout', '10'],
        h.deps,
      );
      const err = h.t.stderr();
      expect(code, err).toBe(0);
      expect(h.opened).toHaveLength(1);
      // The summary is the command's result: stdout; stderr had the progress.
      const out = h.t.stdout();
      expect(err).not.toContain('Saved profile');

      const p = webServer(await savedProfile());
      expect(p).toMatchObject({
        env,
        appType,
        loginUrl: e.loginUrl,
        callbackUrl: cb,
        extraCallbackUrls: [],
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        scopes: ['api', 'refresh_token'],
        instanceUrl: e.instanceUrl,
        username: e.user.username,
        orgId: e.org.id,
        userId: e.user.id,
      });
      expect(p.idUrl).toBe(`${e.loginUrl}/id/${e.org.id}/${e.user.id}`);
      expect(p.refreshToken).toMatch(/^5Aep861/);

      expect(out).toContain('Saved profile "default"');
      expect(out).toMatch(/Signature: +verified/);
      expect(out).toMatch(new RegExp(`Integration: +${env === 'sandbox' ? 'salesforce-sandbox' : 'salesforce'}$`, 'm'));
      expect(out).toMatch(/Client Secret: +\*{8}\w{4}/);
      expect(out + err).not.toMatch(/^! /m); // no warnings
      expectNoSecrets([out, err], [...h.secrets, p.refreshToken!]);
    },
  );

  it('a sandbox org under --env production is saved as sandbox (what the org says), with a warning saying so', async () => {
    const e = await emulator({ sandbox: true });
    const app = e.apps[0]!;
    const h = harness({ env: { SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
    const code = await main(
      ['init', '--config-dir', dir, '--profile', 'ci', '--env', 'production', '--login-url', e.loginUrl, '--client-id', app.clientId, '--callback-url', cb, '--timeout', '10'],
      h.deps,
    );
    const out = h.t.stdout();
    expect(code, h.t.stderr()).toBe(0);
    // Not silently the wrong one: the org's own record decides, and the warning tells.
    expect((await savedProfile('ci'))?.env).toBe('sandbox');
    const host = new URL(e.instanceUrl).host;
    expect(out).toContain(
      `! You chose production, but ${host} is a sandbox org (Enterprise Edition; IsSandbox = true). The profile was saved as sandbox; in Nango use the salesforce-sandbox integration.`,
    );
    expect(out).toMatch(/Integration: +salesforce-sandbox$/m);
    expect(out).toContain('Next: sfoauth test --profile ci');
    // The warning comes after the summary it qualifies.
    expect(out.indexOf('Saved profile "ci"')).toBeLessThan(out.indexOf('You chose production'));
  });

  it('a Developer Edition org under --env sandbox: the org says it is no sandbox; the edition is in the summary', async () => {
    const e = await emulator({ orgType: 'developer' });
    const app = e.apps[0]!;
    const h = harness({ env: { SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
    const args = ['init', '--config-dir', dir, '--env', 'sandbox', '--login-url', e.loginUrl, '--client-id', app.clientId, '--callback-url', cb, '--timeout', '10'];
    const code = await main(args, h.deps);
    const out = h.t.stdout();
    expect(code, h.t.stderr()).toBe(0);
    expect(out).toMatch(new RegExp(`Org: +${e.org.id} \\(Developer Edition, not a sandbox, instance \\w+\\)`));
    const host = new URL(e.instanceUrl).host;
    const warning = `You chose sandbox, but ${host} is a Developer Edition org (IsSandbox = false), and a Developer Edition org is not a sandbox. The profile was saved as production; in Nango use the salesforce integration.`;
    expect(out).toContain(`! ${warning}`);
    expect((await savedProfile())?.env).toBe('production');
    // --json: the same facts in the document, and no human summary anywhere.
    const j = harness({ env: { SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
    expect(await main(['--json', ...args, '--profile', 'dev-json'], j.deps), j.t.stderr()).toBe(0);
    const json = JSON.parse(j.t.stdout()) as { org: unknown; warnings: string[] };
    expect(json.org).toMatchObject({ id: e.org.id, edition: 'Developer Edition', isSandbox: false });
    expect(json.warnings).toEqual([warning]);
    expect(j.t.stderr()).not.toContain('Saved profile');
  });

  it('--json: the summary document on stdout, and no human summary on either stream', async () => {
    const e = await emulator();
    const app = e.apps[0]!;
    const h = harness({ env: { SFOAUTH_CLIENT_ID: app.clientId, SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
    const code = await main(['--json', 'init', '--config-dir', dir, '--env', 'production', '--login-url', e.loginUrl, '--callback-url', cb], h.deps);
    expect(code, h.t.stderr()).toBe(0);
    const doc = JSON.parse(h.t.stdout()) as Record<string, unknown>;
    expect(doc).toMatchObject({ ok: true, profile: 'default', env: 'production', appType: 'external-client-app', signatureVerified: true, warnings: [] });
    expect(doc.configFile).toBe(join(dir, 'config.json'));
    expect(h.t.stderr()).not.toContain('Saved profile');
    expectNoSecrets([h.t.stdout(), h.t.stderr()], h.secrets);
  });
});

describe('init (in process, the wizard)', () => {
  it('asks what flags did not give, prints the Setup steps, logs in through the callback server, and saves', async () => {
    const e = await emulator({ sandbox: true });
    const app = e.apps[0]!;
    const prompter = scriptedPrompter({
      'Which OAuth flow will the app use?': 'web-server',
      'Which Salesforce environment?': 'sandbox',
      'Which kind of app will you create?': 'external-client-app',
      'Which login host?': 'mydomain',
      'My Domain login URL:': e.loginUrl,
      'Local callback URL (sfoauth listens here):': cb,
      "Your app's own callback URL to register too (e.g. https://api.nango.dev/oauth/callback; empty for none):": NANGO_CALLBACK,
      'OAuth scopes:': 'api refresh_token',
      'Open Salesforce Setup in your browser now?': false,
      'Consumer Key:': app.clientId,
      'Consumer Secret (hidden):': app.clientSecret,
      [PASTE_QUESTION]: WAIT_FOR_ABORT,
    });
    const h = harness({ tty: true, prompter, secret: app.clientSecret });
    expect(h.t.io.canPrompt()).toBe(true);

    const code = await main(['init', '--config-dir', dir], h.deps);
    const err = h.t.stderr();
    expect(code, err).toBe(0);
    expect(prompter.asked).toEqual([
      'Which OAuth flow will the app use?',
      'Which Salesforce environment?',
      'Which kind of app will you create?',
      'Which login host?',
      'My Domain login URL:',
      'Local callback URL (sfoauth listens here):',
      "Your app's own callback URL to register too (e.g. https://api.nango.dev/oauth/callback; empty for none):",
      'OAuth scopes:',
      'Open Salesforce Setup in your browser now?',
      'Consumer Key:',
      'Consumer Secret (hidden):',
      PASTE_QUESTION,
    ]);

    // The tailored Setup steps, with both callback URLs on lines of their own.
    expect(err).toContain('Create an External Client App for sfoauth (sandbox)');
    expect(err).toContain('"New External Client App"');
    const lines = err.split('\n').map((l) => l.trim());
    expect(lines).toContain(cb);
    expect(lines).toContain(NANGO_CALLBACK);
    // "No" to opening Setup: the only page opened is the authorize URL.
    expect(h.opened).toHaveLength(1);
    expect(h.opened[0]).toMatch(new RegExp(`^${e.loginUrl}/services/oauth2/authorize\\?`));
    expect(err).toContain('Authorization received; exchanging the code.');

    expect(await savedProfile()).toMatchObject({
      env: 'sandbox',
      appType: 'external-client-app',
      loginUrl: e.loginUrl,
      callbackUrl: cb,
      extraCallbackUrls: [NANGO_CALLBACK],
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      scopes: ['api', 'refresh_token'],
      username: e.user.username,
      refreshToken: expect.stringMatching(/^5Aep861/),
    });
    expectNoSecrets([h.t.stdout(), err], h.secrets);
  });

  it('a pasted redirect URL wins over the callback server', async () => {
    const e = await emulator();
    const app = e.apps[0]!;
    let pasted: URL | undefined;
    const prompter = scriptedPrompter({
      // No "Open Salesforce Setup?" and no question about the app's own callback URL here: with
      // --client-id the app exists, so init skips the Setup steps, and every other value came as a flag.
      // The person opened the printed URL in a browser that could not reach the callback server, and
      // pastes the address it ended on. The test follows the URL itself and stops at the redirect.
      [PASTE_QUESTION]: async () => {
        const printed = /^(http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/authorize\?\S+)$/m.exec(h.t.stderr())?.[1];
        if (!printed) throw new Error('the authorize URL was not printed before the paste prompt');
        const res = await fetch(printed, { redirect: 'manual' });
        pasted = new URL(res.headers.get('location') ?? '');
        h.secrets.push(pasted.searchParams.get('code') ?? '');
        return pasted.href;
      },
    });
    const h = harness({ tty: true, prompter, env: { SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
    const code = await main(
      ['init', '--config-dir', dir, '--env', 'production', '--app-type', 'external-client-app', '--login-url', e.loginUrl, '--client-id', app.clientId, '--callback-url', cb, '--scopes', 'api refresh_token', '--no-browser', '--wait', '0'],
      h.deps,
    );
    const err = h.t.stderr();
    expect(code, err).toBe(0);
    expect(prompter.asked).toEqual([PASTE_QUESTION]);
    expect(pasted?.origin + (pasted?.pathname ?? '')).toBe(cb); // it was a redirect to the callback, never delivered
    expect(h.opened).toEqual([]);
    expect(err).toContain('Authorization received (pasted); exchanging the code.');
    expect(err).not.toContain('Create an External Client App');
    expect((await savedProfile())?.clientId).toBe(app.clientId);
    // The callback server is closed once the paste won.
    await expect(fetch(cb)).rejects.toThrow();
    expectNoSecrets([h.t.stdout(), err], h.secrets.filter(Boolean));
  });
});

describe('init (in process): the checks before and after the browser login', () => {
  const flagArgs = (e: RunningEmulator, clientId: string, env: Environment = 'production') =>
    ['init', '--config-dir', dir, '--env', env, '--app-type', 'external-client-app', '--login-url', e.loginUrl, '--client-id', clientId, '--callback-url', cb, '--scopes', 'api refresh_token', '--timeout', '10'];

  it('--no-browser: the wizard prints Setup\'s address instead of asking to open it', async () => {
    const e = await emulator();
    const app = e.apps[0]!;
    const prompter = scriptedPrompter({
      'Consumer Key:': app.clientId,
      'Consumer Secret (hidden):': app.clientSecret,
      // Nothing is opened: the person opens the printed URL and pastes where the browser ended.
      [PASTE_QUESTION]: async () => {
        const printed = /^(http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/authorize\?\S+)$/m.exec(h.t.stderr())?.[1];
        if (!printed) throw new Error('the authorize URL was not printed before the paste prompt');
        const location = (await fetch(printed, { redirect: 'manual' })).headers.get('location') ?? '';
        h.secrets.push(new URL(location).searchParams.get('code') ?? '');
        return location;
      },
    });
    const h = harness({ tty: true, prompter, secret: app.clientSecret });
    const code = await main(
      ['init', '--config-dir', dir, '--no-browser', '--env', 'production', '--app-type', 'external-client-app', '--login-url', e.loginUrl, '--callback-url', cb, '--extra-callback-url', NANGO_CALLBACK, '--scopes', 'api refresh_token'],
      h.deps,
    );
    const err = h.t.stderr();
    expect(code, err).toBe(0);
    expect(prompter.asked).toEqual(['Consumer Key:', 'Consumer Secret (hidden):', PASTE_QUESTION]);
    expect(err).toMatch(/^Setup: http:\/\/127\.0\.0\.1:\d+\//m);
    expect(h.opened).toEqual([]);
  });

  it('with a Consumer Key the wizard asks which kind of app it is from (not which to create), and no other callback URL', async () => {
    const e = await emulator({ appType: 'connected-app' });
    const app = e.apps[0]!;
    const prompter = scriptedPrompter({ 'Which kind of app is this Consumer Key from?': 'connected-app', [PASTE_QUESTION]: WAIT_FOR_ABORT });
    const h = harness({ tty: true, prompter, env: { SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
    const code = await main(['init', '--config-dir', dir, '--env', 'production', '--login-url', e.loginUrl, '--client-id', app.clientId, '--callback-url', cb, '--scopes', 'api refresh_token'], h.deps);
    expect(code, h.t.stderr()).toBe(0);
    expect(prompter.asked).toEqual(['Which kind of app is this Consumer Key from?', PASTE_QUESTION]);
    expect(await savedProfile()).toMatchObject({ appType: 'connected-app', extraCallbackUrls: [] });
  });

  it('in a terminal, a config directory that cannot be written is found before the first question', async () => {
    const prompter = noPrompts();
    const h = harness({ tty: true, prompter });
    const unwritable = async (configDir?: string) => {
      const store = await openConfStore({ configDir: configDir ?? dir, env: {} });
      return { ...store, assertWritable: () => Promise.reject(new ConfigError(`sfoauth cannot write to the config directory ${dir} (read-only file system)`)) };
    };
    const code = await main(['init', '--config-dir', dir], { ...h.deps, openStore: unwritable });
    expect(code, h.t.stderr()).toBe(2);
    expect(prompter.asked).toEqual([]);
    expect(h.t.stderr()).toContain('cannot write to the config directory');
  });

  it('a wrong secret without a terminal stops before the browser, with the fix, and saves nothing', async () => {
    const e = await emulator();
    const app = e.apps[0]!;
    const wrong = 'F'.repeat(64);
    const h = harness({ env: { SFOAUTH_CLIENT_SECRET: wrong }, secret: wrong });
    const code = await main(flagArgs(e, app.clientId), h.deps);
    const err = h.t.stderr();
    expect(code, err).toBe(1);
    expect(h.opened).toEqual([]);
    expect(err).toContain('invalid_client');
    expect(err).toMatch(/Nothing was opened or saved.*before the browser login/);
    expect(err).toMatch(/Copy the Consumer Secret again/); // the catalog's fix
    expect(err).not.toContain('/services/oauth2/authorize?');
    await expect(readFile(join(dir, 'config.json'))).rejects.toThrow();
    expectNoSecrets([h.t.stdout(), err], h.secrets);
  });

  it('in the wizard a wrong secret is asked for again before the browser opens; the right one is saved', async () => {
    const e = await emulator();
    const app = e.apps[0]!;
    const wrong = 'F'.repeat(64);
    const prompter = scriptedPrompter({
      'Consumer Secret (hidden), copied again from the app:': app.clientSecret,
      [PASTE_QUESTION]: WAIT_FOR_ABORT,
    });
    const h = harness({ tty: true, prompter, env: { SFOAUTH_CLIENT_SECRET: wrong }, secret: app.clientSecret });
    h.secrets.push(wrong);
    const code = await main(flagArgs(e, app.clientId), h.deps);
    const err = h.t.stderr();
    expect(code, err).toBe(0);
    expect(prompter.asked).toEqual(['Consumer Secret (hidden), copied again from the app:', PASTE_QUESTION]);
    expect(err).toContain('knows the Consumer Key but rejects this Consumer Secret (invalid_client)');
    // Asked before anything was opened: the only page opened is the one authorize URL.
    expect(err.indexOf('rejects this Consumer Secret')).toBeLessThan(err.indexOf('Waiting for Salesforce to redirect'));
    expect(h.opened).toHaveLength(1);
    expect((await savedProfile())?.clientSecret).toBe(app.clientSecret);
    expectNoSecrets([h.t.stdout(), err], h.secrets);
  });

  it('flags that point a sandbox at the production login host are warned about before the login', async () => {
    const e = await emulator();
    const app = e.apps[0]!;
    const h = harness({ env: { SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
    // --env sandbox with login.salesforce.com. No request leaves this machine: every fetch fails, so the
    // run ends at the first probe, after the warning.
    const args = flagArgs(e, app.clientId, 'sandbox').map((a) => (a === e.loginUrl ? 'https://login.salesforce.com' : a));
    const offline: Deps['fetch'] = () => Promise.reject(new TypeError('fetch failed'));
    const code = await main([...args, '--wait', '0'], { ...h.deps, fetch: offline });
    const err = h.t.stderr();
    expect(code).toBe(3);
    expect(err).toMatch(/^! Sandboxes log in at https:\/\/test\.salesforce\.com/m);
    expect(h.opened).toEqual([]);
  });

  it('in the wizard, an org of the other kind: the person is offered the detected environment, and a No keeps the chosen one', async () => {
    const e = await emulator({ sandbox: true });
    const app = e.apps[0]!;
    const host = new URL(e.instanceUrl).host;
    const question = `You chose production, but ${host} is a sandbox org (Enterprise Edition; IsSandbox = true). Save the profile as sandbox?`;
    const prompter = scriptedPrompter({ [question]: false, [PASTE_QUESTION]: WAIT_FOR_ABORT });
    const h = harness({ tty: true, prompter, env: { SFOAUTH_CLIENT_SECRET: app.clientSecret }, secret: app.clientSecret });
    const code = await main(flagArgs(e, app.clientId), h.deps);
    expect(code, h.t.stderr()).toBe(0);
    expect(prompter.asked).toEqual([PASTE_QUESTION, question]);
    expect((await savedProfile())?.env).toBe('production');
    expect(h.t.stdout()).toContain('The profile was saved as production, as you chose');
  });
});

describe('init (in process, the wizard) for the server-to-server flows', () => {
  it('client credentials: the flow question, then only the My Domain, the Key and the Secret; no browser', async () => {
    emu = await startEmulator({ apps: [{ clientCredentials: { enabled: true, runAsUsername: 'run-as@sfoauth.example' } }] });
    const app = emu.apps[0]!;
    const prompter = scriptedPrompter({
      'Which OAuth flow will the app use?': 'client-credentials',
      "The org's My Domain URL (e.g. https://acme.my.salesforce.com):": emu.instanceUrl,
      'Consumer Key:': app.clientId,
      'Consumer Secret (hidden):': app.clientSecret,
    });
    const h = harness({ tty: true, prompter, secret: app.clientSecret });
    const code = await main(['init', '--config-dir', dir, '--profile', 'cc'], h.deps);
    expect(code, h.t.stderr()).toBe(0);
    expect(prompter.asked).toEqual([
      'Which OAuth flow will the app use?',
      "The org's My Domain URL (e.g. https://acme.my.salesforce.com):",
      'Consumer Key:',
      'Consumer Secret (hidden):',
    ]);
    expect(h.opened).toEqual([]);
    expect(await savedProfile('cc')).toMatchObject({ flow: 'client-credentials', loginUrl: emu.instanceUrl, username: 'run-as@sfoauth.example' });
    expectNoSecrets([h.t.stdout(), h.t.stderr()], h.secrets);
  });

  it('JWT bearer: No to "uploaded? verify now" is no failure: exit 0, nothing saved, and the command to run later', async () => {
    emu = await startEmulator({ apps: [{}] });
    const app = emu.apps[0]!;
    const prompter = scriptedPrompter({
      'Which Salesforce environment?': 'production',
      'Consumer Key:': app.clientId,
      'Salesforce username the token is for:': emu.user.username,
      'Uploaded the certificate and pre-authorized the user? Verify now': false,
    });
    const h = harness({ tty: true, prompter });
    const code = await main(['init', '--config-dir', dir, '--profile', 'jwt', '--flow', 'jwt-bearer', '--login-url', emu.loginUrl], h.deps);
    const err = h.t.stderr();
    expect(code, err).toBe(0);
    expect(err).toContain('Nothing was saved yet. Once the certificate is on the app, run:');
    expect(err).toContain(`--private-key ${join(dir, 'keys', 'jwt.key')}`);
    expect(err).not.toContain('Error:');
  });

  it('JWT bearer: generates the key, shows the certificate and the steps, and verifies once the person says it is uploaded', async () => {
    emu = await startEmulator({ apps: [{}] });
    const app = emu.apps[0]!;
    const user = emu.user.username;
    const scripted = scriptedPrompter({
      'Which Salesforce environment?': 'production',
      'Consumer Key:': app.clientId,
      'Salesforce username the token is for:': user,
    });
    let uploadAsked = 0;
    const prompter: Prompter = {
      input: (o) => scripted.input(o),
      password: (o) => scripted.password(o),
      select: (o) => scripted.select(o),
      // The person uploads the certificate in Setup (here: the emulator's control route), then answers.
      confirm: async (o) => {
        expect(o.message).toBe('Uploaded the certificate and pre-authorized the user? Verify now');
        uploadAsked++;
        const certificate = await readFile(join(dir, 'keys', 'jwt.crt'), 'utf8');
        emu!.updateApp(app.clientId, { certificate, permittedUsers: 'admin-approved-pre-authorized', preAuthorizedUsers: [user] });
        return true;
      },
    };
    const h = harness({ tty: true, prompter });
    const code = await main(['init', '--config-dir', dir, '--profile', 'jwt', '--flow', 'jwt-bearer', '--login-url', emu.loginUrl], h.deps);
    const err = h.t.stderr();
    expect(code, err).toBe(0);
    expect(uploadAsked).toBe(1);
    expect(err).toContain(join(dir, 'keys', 'jwt.crt'));
    expect(err).toContain('Enable JWT Bearer Flow');
    expect(await savedProfile('jwt')).toMatchObject({ flow: 'jwt-bearer', username: user, privateKeyFile: join(dir, 'keys', 'jwt.key'), certificateFile: join(dir, 'keys', 'jwt.crt') });
    const key = await readFile(join(dir, 'keys', 'jwt.key'), 'utf8');
    expect(h.t.stdout() + err).not.toContain(key.split('\n')[1]!);
  });
});
