/**
 * `sfoauth create --target-org <alias>` with the real Salesforce CLI (docs/create.md §7): the admin's
 * token goes into sf (`sf org login access-token`, SF_ACCESS_TOKEN, the emulator's https instance URL),
 * then the spawned `sfoauth create` borrows it through `sf org display --json`, deploys, reads the key
 * and secret back, verifies with the client credentials flow and saves the profile. Over https with the
 * emulator's CA in NODE_EXTRA_CA_CERTS. How `sf` is found (or the test skipped, saying why):
 * test/support/sf-cli.ts.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { httpsLogin } from '../support/https-login.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { runCli } from '../support/run-cli.js';
import { findSf, run, sfEnv } from '../support/sf-cli.js';

const found = findSf();
const sf = 'command' in found ? found.command : undefined;
const missing = 'missing' in found ? found.missing : undefined;
if (missing) process.stderr.write(`\n!!! SKIPPED: sfoauth create --target-org with the real Salesforce CLI: ${missing}\n\n`);

describe.skipIf(missing !== undefined)('sfoauth create --target-org with the real Salesforce CLI (https emulator)', () => {
  let emu: RunningEmulator;
  let work: string;
  beforeAll(async () => {
    emu = await startEmulator({ tls: true, autoApprove: true, orgType: 'developer', deployMs: 50 });
    work = await mkdtemp(join(tmpdir(), 'sfoauth-sf-create-'));
  });
  afterAll(async () => {
    await emu?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('sf org login access-token, then sfoauth create --target-org deploys with sf\'s token and saves a verified profile', { timeout: 240_000 }, async () => {
    const app = emu.apps[0]!;
    const ca = await readFile(emu.caFile!, 'utf8');
    const admin = await httpsLogin({ loginUrl: emu.loginUrl, ca, clientId: app.clientId, clientSecret: app.clientSecret, callbackUrl: app.callbackUrls[0]! });
    const env = sfEnv(join(work, 'home'), emu.caFile!);
    const login = await run(sf!.file, [...sf!.args, 'org', 'login', 'access-token', '--instance-url', emu.instanceUrl, '--alias', 'emu', '--no-prompt', '--json'], {
      ...env,
      SF_ACCESS_TOKEN: admin.access_token,
    });
    expect(login.code, login.stdout + login.stderr).toBe(0);

    // sfoauth runs `sf` by name: a wrapper on PATH runs the cached CLI with its own Node.
    const bin = join(work, 'bin');
    await mkdir(bin);
    const quoted = [sf!.file, ...sf!.args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    await writeFile(join(bin, 'sf'), `#!/bin/sh\nexec ${quoted} "$@"\n`, { mode: 0o755 });
    const configDir = join(work, 'config');
    const r = await runCli(
      ['create', '--name', 'Sf_Cli_App', '--contact-email', 'dev@example.com', '--target-org', 'emu', '--yes', '--flow', 'client-credentials', '--run-as', 'ci.bot@sfoauth.example', '--poll-interval', '1'],
      { configDir, env: { ...env, PATH: `${bin}:${env.PATH}` }, timeoutMs: 180_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Deploying as the Salesforce CLI's login "emu" (${emu.user.username})`);
    expect(r.stdout).toContain('Saved profile "default"');
    const created = emu.apps.find((a) => a.name === 'Sf_Cli_App')!;
    const config = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8')) as { profiles: Record<string, { flow: string; clientId: string }> };
    expect(config.profiles.default).toMatchObject({ flow: 'client-credentials', clientId: created.clientId });
    expectNoSecrets([r.stderr, r.stdout, login.stdout], [admin.access_token, created.clientSecret]);
  });
});
