/**
 * Every failure the doctor issue lists, produced for real against the emulator (or the machine) and
 * diagnosed: the first line that is not a pass names the cause, and its fix says what to do.
 */
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstProblem, freePort, runDoctorCommand, setup, type DoctorRun, type Fixture } from './harness.js';
import { webServer } from '../support/web-server-profile.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function start(opts: Parameters<typeof setup>[0] = {}): Promise<Fixture> {
  fixture = await setup(opts);
  return fixture;
}

/** Secrets never reach the output, whatever went wrong. */
function expectNoSecrets(run: DoctorRun, f: Fixture): void {
  for (const secret of [f.app.clientSecret, f.profile.refreshToken!]) {
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout).not.toContain(secret);
  }
}

describe('sfoauth doctor against the emulator', () => {
  it('passes everything for a healthy profile and exits 0', async () => {
    const f = await start();
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(firstProblem(run), run.stdout).toBeUndefined();
    expect(run.stdout).toContain('No problems found.');
    for (const heading of ['This machine', 'Profile', 'Network', 'The app in Salesforce', 'The saved token']) expect(run.lines).toContain(heading);
    // The security posture: PKCE enforcement (app group) and rotation (token group).
    expect(run.stdout).toContain('✓ PKCE required by the app: enforced: an authorize request without code_challenge is refused (invalid_request: missing required code challenge)');
    expect(run.stdout).toContain('✓ Refresh token rotation and secret: rotation off (the refresh token stays the same); the secret is required for refresh');
    expect(run.stdout).toContain('Salesforce requires it (since May 2026) of partner apps used by more than 2 customer production orgs');
    expectNoSecrets(run, f);
  });

  it('a Connected App without PKCE required: a warning in the app group with the requirement', async () => {
    const f = await start({ app: { appType: 'connected-app', requirePkce: false } });
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const p = firstProblem(run)!;
    expect(p.line).toContain('! PKCE required by the app: PKCE is not required by the app');
    expect(p.fix).toContain('Require Proof Key for Code Exchange (PKCE)');
  });

  it('unknown client id: names the unknown Consumer Key, propagation and the password note', async () => {
    const f = await start();
    await f.store.update('default', { clientId: `3MVG9${'x'.repeat(80)}` });
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Consumer Key and Secret');
    expect(p.line).toContain('does not know this Consumer Key');
    expect(p.line).toContain('invalid_client_id (client identifier invalid)');
    expect(p.fix).toMatch(/wait/i);
    expect(p.fix).toContain('copy the Consumer Key again');
    expect(p.block).toContain('special characters');
    // The token group still runs and explains its own failure.
    expect(run.stdout).toMatch(/✗ Refresh token grant: Salesforce said invalid_client_id/);
  });

  it('propagation delay: a just-changed app answers invalid_client_id, and the fix says to wait', async () => {
    const f = await start();
    f.emu.updateApp(f.app.clientId, { propagationDelayMs: 10 * 60 * 1000 });
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Consumer Key and Secret');
    expect(p.line).toContain('not propagated yet');
    expect(p.fix).toMatch(/less than 10 minutes ago, wait/);
  });

  it('wrong secret: the key is known, the secret is rejected', async () => {
    const f = await start();
    await f.store.update('default', { clientSecret: 'A'.repeat(64) });
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Consumer Key and Secret');
    expect(p.line).toContain('rejects the Consumer Secret (invalid_client (invalid client credentials))');
    expect(p.fix).toContain('copy the Consumer Secret again');
    expect(p.fix).toContain('Consumer Key and Secret');
    expect(run.stdout + run.stderr).not.toContain('A'.repeat(64));
  });

  it('revoked token: the app is fine, the refresh grant explains the expired token', async () => {
    const f = await start();
    f.emu.revokeAll();
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✓ Consumer Key and Secret');
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Refresh token grant: Salesforce said invalid_grant (expired access/refresh token)');
    expect(p.block).toContain('Cause:');
    expect(p.fix).toMatch(/sfoauth init/);
    expectNoSecrets(run, f);
  });

  it('user inactive: the refresh grant names the authentication failure', async () => {
    const f = await start();
    f.emu.setFault('userInactive', true);
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Refresh token grant: Salesforce said invalid_grant (authentication failure)');
    expect(p.block).toMatch(/deactivated|frozen|inactive/i);
    expect(p.fix).not.toBe('');
  });

  it('IP restricted: the refresh grant names the IP restriction', async () => {
    const f = await start();
    f.emu.setFault('ipRestricted', true);
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Refresh token grant: Salesforce said invalid_grant (ip restricted)');
    expect(p.fix).toMatch(/IP/);
  });

  it('app blocked: the authorize probe gets OAUTH_APP_BLOCKED back on the callback', async () => {
    const f = await start();
    f.emu.setFault('appBlocked', true);
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Authorize endpoint and callback URL');
    expect(p.line).toContain('OAUTH_APP_BLOCKED (this app is blocked by admin)');
    expect(p.fix).toMatch(/block/i);
  });

  it('ECA not installed: the authorize probe gets OAUTH_EC_APP_NOT_FOUND', async () => {
    const f = await start();
    f.emu.setFault('ecaNotInstalled', true);
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    const p = firstProblem(run)!;
    expect(p.line).toContain('OAUTH_EC_APP_NOT_FOUND (External client app is not installed in this org)');
    expect(p.fix).toMatch(/install|My Domain/i);
  });

  it('no api scope: the REST check explains the missing scope', async () => {
    const f = await start();
    f.emu.setFault('noApiScope', true);
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ REST API (api scope)');
    expect(p.line).toContain('This session is not valid for use with the REST API');
    expect(p.fix).toMatch(/api/);
  });

  it('introspection off: a warning that names "Introspect All Tokens", exit 0', async () => {
    const f = await start();
    f.emu.setFault('introspectionDenied', true);
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(0);
    const p = firstProblem(run)!;
    expect(p.line).toContain('! Token introspection');
    expect(p.fix).toContain('Introspect All Tokens');
  });

  it('an unregistered callback URL: redirect_uri_mismatch, with the URL to add', async () => {
    const f = await start();
    await f.store.update('default', { extraCallbackUrls: ['https://api.nango.dev/oauth/callback'] });
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(1);
    const p = firstProblem(run)!;
    expect(p.line).toContain('the extra callback URL https://api.nango.dev/oauth/callback is not registered on the app');
    expect(p.fix).toContain('add https://api.nango.dev/oauth/callback to the app\'s Callback URL list');
  });

  it('a rotated refresh token is saved to the profile, as `sfoauth test` does', async () => {
    const f = await start({ app: { rotateRefreshTokens: true } });
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('the new one was saved to');
    const saved = await f.store.get('default');
    expect(webServer(saved).refreshToken).not.toBe(f.profile.refreshToken);
    // The saved token works: a second run passes too.
    expect((await runDoctorCommand([], { configDir: f.dir })).code).toBe(0);
  });
});

describe('sfoauth doctor: machine and profile problems', () => {
  it('a busy callback port: names the holder and the fix', async () => {
    const f = await start();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(f.callbackPort, '127.0.0.1', resolve));
    try {
      const run = await runDoctorCommand([], { configDir: f.dir });
      expect(run.code).toBe(0); // saved credentials still work; init would not
      const p = firstProblem(run)!;
      expect(p.line).toContain(`! Callback URL and port: The callback port ${f.callbackPort} on 127.0.0.1 is already in use`);
      if (process.platform === 'linux') expect(p.line).toContain(`(pid ${process.pid})`);
      expect(p.fix).toContain('--callback-url');
      expect(run.stdout).toContain('No problems found, 1 warning. First: Callback URL and port');
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('a config file with mode 0644: fails with chmod 600, and --fix tightens it', async () => {
    const f = await start();
    const file = join(f.dir, 'config.json');
    await chmod(file, 0o644);
    const run = await runDoctorCommand(['--offline'], { configDir: f.dir });
    expect(run.code).toBe(2);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Config file permissions');
    expect(p.line).toContain('readable by other users on this machine (mode 0644)');
    expect(p.fix).toBe(`chmod 600 ${file} (or run \`sfoauth doctor --fix\`)`);
    expect((await stat(file)).mode & 0o777).toBe(0o644);

    const fixed = await runDoctorCommand(['--offline', '--fix'], { configDir: f.dir });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain(`--fix tightened ${file} from 0644 to 0600`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('a corrupt config: never overwritten without --fix, moved aside (not rewritten) with it', async () => {
    const f = await start();
    const file = join(f.dir, 'config.json');
    const bytes = '{"version": 1, "profiles": {"default": {"env": "production", "clientSecret": "KEEP-ME-SECRET-1234"';
    await writeFile(file, bytes, { mode: 0o600 });

    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(2);
    const p = firstProblem(run)!;
    expect(p.line).toContain(`✗ Config file: ${file} is corrupt or invalid`);
    expect(p.block).toContain('the JSON ends too early');
    expect(p.fix).toContain('sfoauth doctor --fix');
    expect(run.stdout + run.stderr).not.toContain('KEEP-ME-SECRET-1234');
    expect(await readFile(file, 'utf8')).toBe(bytes);

    const fixed = await runDoctorCommand(['--fix'], { configDir: f.dir });
    expect(fixed.code).toBe(0);
    const moved = (await readdir(f.dir)).find((n) => n.startsWith('config.json.corrupt-'));
    expect(moved).toBeDefined();
    expect(await readFile(join(f.dir, moved!), 'utf8')).toBe(bytes);
    expect((await readdir(f.dir)).includes('config.json')).toBe(false);
    const m = firstProblem(fixed)!;
    expect(m.line).toContain(`--fix moved the corrupt ${file} aside to ${join(f.dir, moved!)}`);
    expect(m.fix).toContain('sfoauth init');
  });

  it('a config that fails the schema names the bad fields', async () => {
    const f = await start();
    await writeFile(join(f.dir, 'config.json'), JSON.stringify({ version: 1, profiles: { ci: { env: 'prod' } } }), { mode: 0o600 });
    const run = await runDoctorCommand(['--offline'], { configDir: f.dir });
    expect(run.code).toBe(2);
    const p = firstProblem(run)!;
    expect(p.line).toContain('is corrupt or invalid');
    expect(p.block).toContain('profiles.ci.env');
    expect(p.block).toContain('profiles.ci.clientId: required');
  });

  it('a Lightning login host: fails with the My Domain to use, and nothing touches the network', async () => {
    const f = await start();
    await f.store.update('default', { loginUrl: 'https://acme.lightning.force.com' });
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(2);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Login host: acme.lightning.force.com is the Lightning Experience address of the org');
    expect(p.fix).toBe('run `sfoauth init --profile default --login-url https://acme.my.salesforce.com`');
    expect(run.stdout).toContain('skipped: "Login host" did not pass');
  });

  it('http on a non-loopback login host fails with the https URL', async () => {
    const f = await start();
    await f.store.update('default', { loginUrl: 'http://acme.my.salesforce.com' });
    const run = await runDoctorCommand(['--offline'], { configDir: f.dir });
    const p = firstProblem(run)!;
    expect(p.line).toContain('must use https');
    expect(p.fix).toContain('--login-url https://acme.my.salesforce.com');
  });

  it('sandbox vs production: an emulated sandbox org under a production profile', async () => {
    const f = await start({ sandbox: true, env: 'production' });
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(0);
    const p = firstProblem(run)!;
    expect(p.line).toContain('! Environment and host agree: the profile says production, but the org is a sandbox org');
    expect(p.fix).toContain('--env sandbox');
    expect(p.fix).toContain('salesforce-sandbox');
  });

  it('sandbox vs production: a sandbox profile on login.salesforce.com', async () => {
    const f = await start();
    await f.store.update('default', { env: 'sandbox', loginUrl: 'https://login.salesforce.com' });
    const run = await runDoctorCommand(['--offline'], { configDir: f.dir });
    const p = firstProblem(run)!;
    expect(p.line).toContain('! Login host: Sandboxes log in at https://test.salesforce.com');
    expect(p.fix).toContain('--env and --login-url that agree');
    expect(run.stdout).toContain('--offline: the network, the app and the token were not checked');
  });

  it('an unreachable host: connection refused, exit 3', async () => {
    const f = await start();
    const closedPort = await freePort();
    await f.store.update('default', { loginUrl: `http://127.0.0.1:${closedPort}` });
    const run = await runDoctorCommand([], { configDir: f.dir });
    expect(run.code).toBe(3);
    const p = firstProblem(run)!;
    expect(p.line).toContain(`✗ TCP and TLS: cannot connect to the login host 127.0.0.1:${closedPort}: connection refused`);
    expect(p.fix).toContain('start the emulator');
    expect(run.stdout).toContain('skipped: "TCP and TLS" did not pass');
  });

  it('a malformed HTTPS_PROXY: names the variable and the scheme to add, exit 2', async () => {
    const f = await start();
    const run = await runDoctorCommand([], { configDir: f.dir, env: { HTTPS_PROXY: 'proxy.corp:8080' } });
    expect(run.code).toBe(2);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Proxy variables: HTTPS_PROXY=proxy.corp:8080 has no scheme');
    expect(p.fix).toContain('export HTTPS_PROXY=http://proxy.corp:8080');
    expect(run.stdout).toContain('skipped: "Proxy variables" did not pass');
  });

  it('NODE_EXTRA_CA_CERTS pointing nowhere fails with the fix', async () => {
    const f = await start();
    const run = await runDoctorCommand(['--offline'], { configDir: f.dir, env: { NODE_EXTRA_CA_CERTS: join(f.dir, 'missing.pem') } });
    const p = firstProblem(run)!;
    expect(p.line).toContain('does not exist, so Node ignores it');
    expect(p.fix).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('a Node.js that is too old is named first', async () => {
    // The command uses the running Node; runDoctor's nodeVersion option is covered in the unit tests.
    const f = await start();
    const run = await runDoctorCommand(['--offline'], { configDir: f.dir });
    expect(run.stdout).toContain(`✓ Node.js version: Node.js ${process.version}`);
  });
});
