import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorOptions, registerEmulator, type EmulatorFlags } from '../../src/cli/commands/emulator.js';
import type { Deps } from '../../src/deps.js';
import { UsageError } from '../../src/errors.js';
import { createTestIO, type TestIO } from '../support/test-io.js';
import { realClock } from '../../src/deps.js';
import { createHttpClient } from '../../src/core/http/request.js';
import { getDeployStatus, startDeploy } from '../../src/core/salesforce/deploy.js';
import { ecaMetadataFiles, resolveEcaSpec } from '../../src/core/salesforce/eca-metadata.js';
import { buildDeployZip } from '../../src/core/salesforce/eca-package.js';
import type { EmulatorApp, RunningEmulator } from '../../src/emulator/index.js';
import { login } from './helpers.js';

/** A program with the global --json option and only the emulator command, like program.ts builds it. */
function programFor(t: TestIO, signal: AbortSignal): Command {
  const deps = { io: t.io, signal } as unknown as Deps; // the command uses io and signal only
  const program = new Command('sfoauth').option('--json').exitOverride();
  registerEmulator(program, { deps });
  for (const c of program.commands) c.exitOverride();
  return program;
}

async function waitFor<T>(read: () => T | undefined, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting for the emulator');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const flags = (f: EmulatorFlags = {}): EmulatorFlags => ({ ...f });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-emulator-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sfoauth emulator', () => {
  it('--json prints one ready line, serves, and stops cleanly on Ctrl-C', async () => {
    const t = createTestIO();
    const ctrl = new AbortController();
    const run = programFor(t, ctrl.signal).parseAsync(
      ['--json', 'emulator', '--auto-approve', '--client-id', '3MVG9cli', '--client-secret', 'CLISECRET', '--callback-url', 'http://localhost:3000/cb', '--fault', 'serverError=1'],
      { from: 'user' },
    );
    const line = await waitFor(() => (t.stdout().includes('\n') ? t.stdout() : undefined));
    expect(line.trim().split('\n')).toHaveLength(1);
    const ready = JSON.parse(line) as { loginUrl: string; instanceUrl: string; apps: unknown[]; user: { username: string; password: string } };
    expect(Object.keys(ready)).toEqual(['loginUrl', 'instanceUrl', 'org', 'apps', 'user']);
    expect(ready.apps).toEqual([{ clientId: '3MVG9cli', clientSecret: 'CLISECRET', callbackUrls: ['http://localhost:3000/cb'] }]);
    expect(ready.user).toEqual({ username: 'emulator.user@sfoauth.example', password: 'emulator-password' });

    // The --fault flag was applied: the first REST call fails, the next one works.
    expect((await fetch(`${ready.instanceUrl}/services/data/`)).status).toBe(500);
    expect((await fetch(`${ready.instanceUrl}/services/data/`)).status).toBe(200);

    ctrl.abort(new Error('Ctrl-C'));
    await expect(run).resolves.toBeDefined();
    await expect(fetch(`${ready.loginUrl}/`)).rejects.toThrow();
    expect(t.stderr()).toBe('');
  });

  it('prints the URLs, credentials, login and "Ctrl-C to stop" on stderr', async () => {
    const t = createTestIO();
    const ctrl = new AbortController();
    const run = programFor(t, ctrl.signal).parseAsync(['emulator', '--sandbox'], { from: 'user' });
    const err = await waitFor(() => (t.stderr().includes('Ctrl-C to stop') ? t.stderr() : undefined));
    expect(t.stdout()).toBe('');
    expect(err).toContain('sfoauth emulator (not Salesforce)');
    expect(err).toMatch(/Login URL +http:\/\/127\.0\.0\.1:\d+ +\(acts as test\.salesforce\.com\)/);
    expect(err).toMatch(/Instance URL +http:\/\/127\.0\.0\.1:\d+/);
    expect(err).toMatch(/Client ID +3MVG9[A-Za-z0-9._]{80}/);
    expect(err).toMatch(/Client secret +[A-F0-9]{64}/);
    expect(err).toContain('http://localhost:1717/OauthRedirect');
    expect(err).toContain('emulator.user@sfoauth.example');
    expect(err).toContain('emulator-password');
    expect(err).toContain('--env sandbox');
    expect(err).toMatch(/Org +00D\w{15} \(sandbox\)/);
    ctrl.abort();
    await run;
    expect(t.stderr()).toContain('sfoauth emulator stopped.');
  });

  it('--org-type picks the org; --tls is passed on', async () => {
    expect(await emulatorOptions(flags({ orgType: 'developer', tls: true }))).toMatchObject({ orgType: 'developer', tls: true, sandbox: false });
    expect(await emulatorOptions(flags({ sandbox: true }))).toMatchObject({ sandbox: true });
    expect(await emulatorOptions(flags())).not.toHaveProperty('tls');
  });

  it('reads --apps files and applies --app-type and --propagation-delay to apps that do not say', async () => {
    const file = join(dir, 'apps.json');
    await writeFile(file, JSON.stringify([{ clientId: '3MVG9one', appType: 'external-client-app' }, { clientId: '3MVG9two' }]));
    const opts = await emulatorOptions(flags({ apps: file, appType: 'connected-app', propagationDelay: '1.5', callbackUrl: ['http://localhost:4000/cb'] }));
    expect(opts.apps).toEqual([
      { clientId: '3MVG9one', appType: 'external-client-app', propagationDelayMs: 1500 },
      { clientId: '3MVG9two', appType: 'connected-app', propagationDelayMs: 1500 },
      { callbackUrls: ['http://localhost:4000/cb'], appType: 'connected-app', propagationDelayMs: 1500 },
    ]);
    expect(opts.deployedAppPropagationMs).toBe(1500);
  });

  it('zips repeated --client-id/--client-secret/--callback-url by position', async () => {
    const opts = await emulatorOptions(flags({ clientId: ['A', 'B'], clientSecret: ['SA'], callbackUrl: ['http://localhost:1/a', 'http://localhost:2/b'] }));
    expect(opts.apps).toEqual([
      { clientId: 'A', clientSecret: 'SA', callbackUrls: ['http://localhost:1/a'] },
      { clientId: 'B', callbackUrls: ['http://localhost:2/b'] },
    ]);
    expect((await emulatorOptions(flags())).apps).toBeUndefined();
    expect((await emulatorOptions(flags({ appType: 'connected-app' }))).apps).toEqual([{ appType: 'connected-app' }]);
  });

  it.each([
    [{ host: '0.0.0.0' }, /loopback/],
    [{ port: 'abc' }, /--port abc/],
    [{ instancePort: '70000' }, /--instance-port 70000/],
    [{ appType: 'lightning' }, /Unknown app type "lightning"/],
    [{ propagationDelay: 'soon' }, /--propagation-delay soon/],
    [{ clientSecret: ['S'] }, /--client-secret needs a --client-id/],
    [{ clientId: ['A'], clientSecret: ['S1', 'S2'] }, /same position/],
    [{ callbackUrl: ['localhost:1717'] }, /not an absolute URL/],
    [{ apps: '/nonexistent/apps.json' }, /does not exist/],
    [{ orgType: 'staging' }, /--org-type staging: use developer, production, sandbox or scratch/],
  ] as Array<[EmulatorFlags, RegExp]>)('refuses %o', async (f, message) => {
    await expect(emulatorOptions(flags(f))).rejects.toThrow(message);
    await expect(emulatorOptions(flags(f))).rejects.toBeInstanceOf(UsageError);
  });

  it('explains a bad --apps file: not JSON, or wrong fields', async () => {
    const notJson = join(dir, 'bad.json');
    await writeFile(notJson, '[{clientId: 1}]');
    await expect(emulatorOptions(flags({ apps: notJson }))).rejects.toThrow(/is not valid JSON/);
    const wrong = join(dir, 'wrong.json');
    await writeFile(wrong, JSON.stringify([{ clientID: 'x', requirePkce: 'yes' }]));
    const err = (await emulatorOptions(flags({ apps: wrong })).catch((e: unknown) => e)) as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('[0].clientID: unknown field');
    expect(err.message).toContain('[0].requirePkce: must be true or false');
  });

  it('--api-version caps the versions the org lists and serves; --deploy-seconds sets how long a deploy runs', async () => {
    const opts = await emulatorOptions(flags({ apiVersion: '59.0', deploySeconds: '2.5' }));
    expect(opts).toMatchObject({ maxApiVersion: 59, deployMs: 2500 });
    expect(await emulatorOptions(flags())).not.toHaveProperty('maxApiVersion');
    expect(await emulatorOptions(flags())).not.toHaveProperty('deployMs');
    await expect(emulatorOptions(flags({ apiVersion: '67' }))).rejects.toThrow(/--api-version 67: use a version from 31 to 66/);
    await expect(emulatorOptions(flags({ apiVersion: 'latest' }))).rejects.toThrow(UsageError);
    await expect(emulatorOptions(flags({ deploySeconds: '-1' }))).rejects.toThrow(/--deploy-seconds -1/);
    await expect(emulatorOptions(flags({ deploySeconds: '601' }))).rejects.toThrow(/--deploy-seconds 601/);

    const t = createTestIO();
    const ctrl = new AbortController();
    const run = programFor(t, ctrl.signal).parseAsync(['--json', 'emulator', '--api-version', '58'], { from: 'user' });
    const ready = JSON.parse(await waitFor(() => (t.stdout().includes('\n') ? t.stdout() : undefined))) as { instanceUrl: string };
    const versions = (await (await fetch(`${ready.instanceUrl}/services/data/`)).json()) as { version: string }[];
    expect(versions.at(-1)?.version).toBe('58.0');
    expect((await fetch(`${ready.instanceUrl}/services/data/v59.0/metadata/deployRequest`, { method: 'POST' })).status).toBe(404);
    ctrl.abort(new Error('Ctrl-C'));
    await run;
  });

  it('--deploy-seconds: a deploy stays InProgress that long, then succeeds', async () => {
    const t = createTestIO();
    const ctrl = new AbortController();
    const run = programFor(t, ctrl.signal).parseAsync(['--json', 'emulator', '--auto-approve', '--deploy-seconds', '0.6'], { from: 'user' });
    const ready = JSON.parse(await waitFor(() => (t.stdout().includes('\n') ? t.stdout() : undefined))) as { loginUrl: string; instanceUrl: string; apps: EmulatorApp[] };
    // The ready line has what a login needs: the login URL and the app's id, secret and callback URLs.
    const { access_token } = await login({ loginUrl: ready.loginUrl } as RunningEmulator, ready.apps[0]!);
    const http = createHttpClient({ fetch: globalThis.fetch, clock: realClock, retries: 0 });
    const p = { instanceUrl: ready.instanceUrl, accessToken: access_token, version: '66.0' };
    const files = ecaMetadataFiles(resolveEcaSpec({ name: 'Slow_Deploy', contactEmail: 'dev@example.com' }), '66.0');
    const id = await startDeploy(http, { ...p, zip: await buildDeployZip(files) });
    expect((await getDeployStatus(http, { ...p, id })).status).toBe('InProgress');
    await new Promise((r) => setTimeout(r, 700));
    expect((await getDeployStatus(http, { ...p, id })).status).toBe('Succeeded');
    ctrl.abort(new Error('Ctrl-C'));
    await run;
  });

  it('an unknown --fault fails before anything starts', async () => {
    const t = createTestIO();
    const run = programFor(t, new AbortController().signal).parseAsync(['emulator', '--fault', 'meteor'], { from: 'user' });
    await expect(run).rejects.toThrow(/Unknown --fault "meteor"/);
    expect(t.stdout()).toBe('');
  });
});
