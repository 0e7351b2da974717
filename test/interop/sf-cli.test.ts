/**
 * The real Salesforce CLI logs in to the emulator with sfoauth's sfdx-url (docs/interop.md "Handing
 * over to the Salesforce CLI"): `sfoauth export --format sfdx-url` (spawned) → `sf org login sfdx-url`
 * → `sf org display --json`, over https with the emulator's CA in NODE_EXTRA_CA_CERTS.
 * How `sf` is found (or the test skipped, saying why): test/support/sf-cli.ts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { httpsLogin } from '../support/https-login.js';
import { runCli } from '../support/run-cli.js';
import { findSf, run, sfEnv } from '../support/sf-cli.js';

const found = findSf();
const sf = 'command' in found ? found.command : undefined;
const missing = 'missing' in found ? found.missing : undefined;
if (missing) process.stderr.write(`\n!!! SKIPPED: the Salesforce CLI interop test: ${missing}\n\n`);

describe.skipIf(missing !== undefined)('the Salesforce CLI against the emulator (https)', () => {
  let emu: RunningEmulator;
  let work: string;
  beforeAll(async () => {
    emu = await startEmulator({ tls: true, autoApprove: true, orgType: 'developer' });
    work = await mkdtemp(join(tmpdir(), 'sfoauth-sf-'));
  });
  afterAll(async () => {
    await emu?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('sf org login sfdx-url with sfoauth export, then sf org display --json shows the user and instance', { timeout: 240_000 }, async () => {
    const app = emu.apps[0]!;
    const ca = await readFile(emu.caFile!, 'utf8');
    const token = await httpsLogin({ loginUrl: emu.loginUrl, ca, clientId: app.clientId, clientSecret: app.clientSecret, callbackUrl: app.callbackUrls[0]! });

    // A profile as `sfoauth init` would save it, then the real export command writes the URL file.
    const configDir = join(work, 'config');
    const store = await openConfStore({ configDir, env: {} });
    await store.save('default', {
      flow: 'web-server',
      env: 'production',
      appType: app.appType,
      loginUrl: emu.loginUrl,
      callbackUrl: app.callbackUrls[0]!,
      extraCallbackUrls: [],
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      scopes: ['api', 'refresh_token'],
      refreshToken: token.refresh_token,
      instanceUrl: token.instance_url,
      idUrl: token.id,
      createdAt: new Date().toISOString(),
    });
    const urlFile = join(work, 'auth-url.txt');
    const exported = await runCli(['export', '--format', 'sfdx-url', '--include-secrets', '--output', urlFile], { configDir });
    expect(exported.code, exported.stderr).toBe(0);

    const env = sfEnv(join(work, 'home'), emu.caFile!);
    const login = await run(sf!.file, [...sf!.args, 'org', 'login', 'sfdx-url', '--sfdx-url-file', urlFile, '--alias', 'emu', '--json'], env);
    expect(login.code, login.stdout + login.stderr).toBe(0);
    const logged = JSON.parse(login.stdout) as { result: Record<string, unknown> };
    expect(logged.result).toMatchObject({ orgId: emu.org.id, username: emu.user.username, instanceUrl: emu.instanceUrl, orgEdition: 'Developer Edition', isSandbox: false });

    const display = await run(sf!.file, [...sf!.args, 'org', 'display', '--target-org', 'emu', '--json'], env);
    expect(display.code, display.stdout + display.stderr).toBe(0);
    const shown = JSON.parse(display.stdout) as { result: Record<string, unknown> };
    expect(shown.result).toMatchObject({ id: emu.org.id, username: emu.user.username, instanceUrl: emu.instanceUrl, connectedStatus: 'Connected' });
    // Neither command prints the refresh token or the secret.
    for (const out of [login.stdout, display.stdout]) {
      expect(out).not.toContain(token.refresh_token);
      expect(out).not.toContain(app.clientSecret);
    }
  });
});
