/**
 * The server-to-server flows end to end (docs/flows.md): the built binary, spawned, against an in-process
 * emulator. Client credentials: init → test → token, in profile mode and in CI's env-var shape. JWT
 * bearer: init generates a key and certificate, the test uploads the certificate through the emulator's
 * control route (as a person would in Setup), then init --private-key → test → token, and the env-var
 * shape with SFOAUTH_PRIVATE_KEY. No output may contain the private key or any issued secret.
 * Needs `npm run build` first (`npm test` does it).
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { assertBuilt, runCli, type CliResult } from '../support/run-cli.js';
import { expectNoSecrets } from '../support/no-secrets.js';

const RUN_AS = 'integration@sfoauth.example';
const JWT_USER = 'emulator.user@sfoauth.example';

let emulator: RunningEmulator;
let dir: string;
const outputs: string[] = [];
const secrets: string[] = [];

/** `token` prints the access token on stdout by design; every other output is scanned. */
async function cli(args: string[], opts: { env?: Record<string, string>; stdin?: string; configDir?: string } = {}): Promise<CliResult> {
  const r = await runCli(args, { configDir: opts.configDir ?? join(dir, 'config'), timeoutMs: 20_000, ...(opts.env ? { env: opts.env } : {}), ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
  outputs.push(args[0] === 'token' ? '' : r.stdout, r.stderr);
  return r;
}

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-s2s-'));
  emulator = await startEmulator({ apps: [{ clientCredentials: { enabled: true, runAsUsername: RUN_AS } }, {}, { clientCredentials: { enabled: true } }] });
  for (const app of emulator.apps) if (app.clientSecret) secrets.push(app.clientSecret);
});

afterAll(async () => {
  await emulator?.close();
  expectNoSecrets(outputs, secrets);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('client credentials', () => {
  it('refuses login.salesforce.com before sending anything', async () => {
    const app = emulator.apps[0]!;
    const r = await cli(['init', '--flow', 'client-credentials', '--login-url', 'https://login.salesforce.com', '--client-id', app.clientId, '--client-secret-stdin', '--profile', 'generic'], { stdin: app.clientSecret! });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/only works on the org's My Domain/);
    expect(r.stderr).toMatch(/--login-url https:\/\/<MyDomain>\.my\.salesforce\.com/);
  });

  it('init → test → token on the My Domain, the Run As user saved', async () => {
    const app = emulator.apps[0]!;
    const init = await cli(['init', '--flow', 'client-credentials', '--login-url', emulator.instanceUrl, '--client-id', app.clientId, '--client-secret-stdin', '--profile', 'cc', '--json'], {
      stdin: app.clientSecret!,
    });
    expect(init.stderr).not.toContain('Saved profile'); // --json: the document is the only output
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ ok: true, username: RUN_AS, warnings: [] });
    const config = JSON.parse(await readFile(join(dir, 'config', 'config.json'), 'utf8')) as { profiles: Record<string, Record<string, unknown>> };
    expect(config.profiles.cc).toMatchObject({ flow: 'client-credentials', loginUrl: emulator.instanceUrl, username: RUN_AS });
    expect(config.profiles.cc).not.toHaveProperty('refreshToken');

    const test = await cli(['test', '--profile', 'cc']);
    expect(test.stdout).not.toMatch(/✗/);
    expect(test.stdout).toContain('✓ Client credentials grant: new access token issued');
    expect(test.stdout).toMatch(/- PKCE required by the app: client-credentials flow/);
    expect(test.code).toBe(0);
    const doctor = await cli(['doctor', '--profile', 'cc']);
    expect(doctor.stdout).toContain('client credentials go to');
    expect(doctor.code).toBe(0);
    const nango = JSON.parse((await cli(['export', '--profile', 'cc', '--format', 'nango'])).stdout) as Record<string, unknown>;
    expect(nango).toMatchObject({ integration: 'salesforce-cc', clientId: app.clientId, connectionConfig: { hostname: new URL(emulator.instanceUrl).host } });
    expect(nango.clientSecret).not.toBe(app.clientSecret);
    const envFile = (await cli(['export', '--profile', 'cc', '--format', 'env'])).stdout;
    expect(envFile).toContain('SFOAUTH_FLOW=client-credentials');
    expect(envFile).not.toContain('SFOAUTH_REFRESH_TOKEN');
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as { profiles: { name: string; flow: string }[] };
    expect(status.profiles.find((p) => p.name === 'cc')?.flow).toBe('client-credentials');
    const token = await cli(['token', '--profile', 'cc']);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^00D/);
  });

  it('the env-var shape CI uses: SFOAUTH_FLOW=client-credentials', async () => {
    const app = emulator.apps[0]!;
    const r = await cli(['test'], {
      configDir: join(dir, 'empty'),
      env: { SFOAUTH_FLOW: 'client-credentials', SFOAUTH_LOGIN_URL: emulator.instanceUrl, SFOAUTH_CLIENT_ID: app.clientId, SFOAUTH_CLIENT_SECRET: app.clientSecret! },
    });
    expect(r.stdout).not.toMatch(/✗/);
    expect(r.code).toBe(0);
  });
});

describe('JWT bearer', () => {
  it('init generates a key and certificate; after the upload, init --private-key → test → token', async () => {
    const app = emulator.apps[1]!;
    const base = ['--flow', 'jwt-bearer', '--env', 'production', '--login-url', emulator.loginUrl, '--client-id', app.clientId, '--username', JWT_USER, '--profile', 'jwt'];
    const first = await cli(['init', ...base]);
    expect(first.code).toBe(0);
    const keyFile = join(dir, 'config', 'keys', 'jwt.key');
    const certFile = join(dir, 'config', 'keys', 'jwt.crt');
    expect(first.stderr).toContain(certFile);
    expect(first.stderr).toContain('Enable JWT Bearer Flow');
    expect(first.stderr).toContain('Admin approved users are pre-authorized');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = await readFile(keyFile, 'utf8');
    secrets.push(key, ...key.split('\n').filter((l) => l.length > 40));

    // Before the upload the app has no certificate: the error is explained, nothing saved.
    const early = await cli(['init', ...base, '--private-key', keyFile]);
    expect(early.code).not.toBe(0);

    const upload = await fetch(`${emulator.loginUrl}/__emulator/apps/${encodeURIComponent(app.clientId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ certificate: await readFile(certFile, 'utf8'), permittedUsers: 'admin-approved-pre-authorized', preAuthorizedUsers: [JWT_USER] }),
    });
    expect(upload.status).toBe(200);

    const init = await cli(['init', ...base, '--private-key', keyFile, '--yes']);
    expect(init.stdout).toContain('Saved profile "jwt"');
    expect(init.code).toBe(0);
    const test = await cli(['test', '--profile', 'jwt']);
    expect(test.stdout).not.toMatch(/✗/);
    expect(test.stdout).toContain('✓ JWT bearer grant: new access token issued');
    expect(test.code).toBe(0);
    const doctor = await cli(['doctor', '--profile', 'jwt']);
    expect(doctor.stdout).toMatch(/Server-to-server credentials: key .*jwt\.key \(0600\); aud .*; certificate matches/);
    expect(doctor.code).toBe(0);
    const nango = JSON.parse((await cli(['export', '--profile', 'jwt', '--format', 'nango', '--include-secrets'])).stdout) as Record<string, unknown>;
    expect(nango).toMatchObject({ integration: 'salesforce-jwt', clientId: app.clientId, connectionConfig: { username: JWT_USER } });
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as { profiles: { name: string; flow: string; privateKeyFile?: string }[] };
    expect(status.profiles.find((p) => p.name === 'jwt')).toMatchObject({ flow: 'jwt-bearer', privateKeyFile: keyFile });
    const token = await cli(['token', '--profile', 'jwt']);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^00D/);

    // CI: the key as PEM content in SFOAUTH_PRIVATE_KEY, no config file.
    const env = await cli(['test'], {
      configDir: join(dir, 'empty'),
      env: { SFOAUTH_FLOW: 'jwt-bearer', SFOAUTH_LOGIN_URL: emulator.loginUrl, SFOAUTH_CLIENT_ID: app.clientId, SFOAUTH_USERNAME: JWT_USER, SFOAUTH_PRIVATE_KEY: key },
    });
    expect(env.stdout).not.toMatch(/✗/);
    expect(env.code).toBe(0);

    // A user the app does not pre-authorize: doctor's first failing line is the catalogued explanation.
    const other = await cli(['doctor'], {
      configDir: join(dir, 'empty'),
      env: { SFOAUTH_FLOW: 'jwt-bearer', SFOAUTH_LOGIN_URL: emulator.loginUrl, SFOAUTH_CLIENT_ID: app.clientId, SFOAUTH_USERNAME: 'nobody@sfoauth.example', SFOAUTH_PRIVATE_KEY: key },
    });
    expect(other.code).not.toBe(0);
    const firstFailure = other.stdout.split('\n').find((l) => l.includes('✗')) ?? '';
    expect(firstFailure).toMatch(/invalid_app_access|hasn't approved|not admin approved/i);
  });
});

describe('explained failures', () => {
  it('init: when Salesforce itself refuses client credentials on a login host, the error is explained and nothing is saved', async () => {
    const app = emulator.apps[0]!;
    // The emulator's login listener is loopback, so sfoauth cannot tell it from a My Domain and sends.
    const r = await cli(['init', '--flow', 'client-credentials', '--login-url', emulator.loginUrl, '--client-id', app.clientId, '--client-secret-stdin', '--profile', 'cc-login'], {
      stdin: app.clientSecret!,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('request not supported on this domain');
    expect(r.stderr).toMatch(/My Domain/);
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as { profiles: { name: string }[] };
    expect(status.profiles.map((p) => p.name)).not.toContain('cc-login');
  });

  it('client credentials with no Run As user: doctor explains it in its first failing line', async () => {
    const app = emulator.apps[2]!;
    const r = await cli(['doctor'], {
      configDir: join(dir, 'empty'),
      env: { SFOAUTH_FLOW: 'client-credentials', SFOAUTH_LOGIN_URL: emulator.instanceUrl, SFOAUTH_CLIENT_ID: app.clientId, SFOAUTH_CLIENT_SECRET: app.clientSecret! },
    });
    expect(r.code).toBe(1);
    const firstFailure = r.stdout.split('\n').find((l) => l.includes('✗')) ?? '';
    expect(firstFailure).toMatch(/no client credentials user enabled|Run As/i);
    expect(r.stdout).toMatch(/Run As/);
  });

  it('client credentials sent to the login host: doctor names the My Domain fix in its first failing line', async () => {
    const app = emulator.apps[0]!;
    const r = await cli(['doctor'], {
      configDir: join(dir, 'empty'),
      env: { SFOAUTH_FLOW: 'client-credentials', SFOAUTH_LOGIN_URL: emulator.loginUrl, SFOAUTH_CLIENT_ID: app.clientId, SFOAUTH_CLIENT_SECRET: app.clientSecret! },
    });
    expect(r.code).not.toBe(0);
    const firstFailure = r.stdout.split('\n').find((l) => l.includes('✗')) ?? '';
    expect(firstFailure).toMatch(/My Domain|request not supported on this domain/);
  });
});
