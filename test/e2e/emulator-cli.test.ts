/**
 * `sfoauth emulator` as a user runs it: the built binary spawned with `--json`, driven with plain HTTP
 * the way curl would, and stopped with Ctrl-C. Needs `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../support/run-cli.js';
import { httpsLogin } from '../support/https-login.js';

const BIN = fileURLToPath(new URL('../../bin/sfoauth.js', import.meta.url));
const STACK_LINE = /^\s+at /m;

interface Ready {
  loginUrl: string;
  instanceUrl: string;
  org: { id: string; type: string; sandbox: boolean };
  apps: Array<{ clientId: string; clientSecret: string; callbackUrls: string[] }>;
  user: { username: string; password: string };
  caFile?: string;
}

interface Emulator {
  child: ChildProcess;
  ready: Ready;
  /** stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** Spawns the emulator and resolves once its one JSON line is out (the emulator serves until Ctrl-C). */
function spawnEmulator(args: string[]): Promise<Emulator> {
  const child = spawn(process.execPath, [BIN, 'emulator', '--json', ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', NO_PROXY: '127.0.0.1,localhost,::1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator printed no JSON line within 10 s; stderr:\n${err}`)), 10_000);
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const nl = out.indexOf('\n');
      if (settled || nl < 0) return;
      settled = true;
      clearTimeout(timer);
      try {
        resolve({ child, ready: JSON.parse(out.slice(0, nl)) as Ready, stdout: () => out, stderr: () => err, closed });
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    void closed.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code}) before it was ready; stderr:\n${err}`));
    });
  });
}

const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(fields), headers, redirect: 'manual' });

let dir: string;
beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-e2e-emulator-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

describe('sfoauth emulator (spawned)', () => {
  it('--json --port 0 --auto-approve: one JSON line, then authorize → token → refresh → REST → revoke in Salesforce\'s shapes; Ctrl-C exits 0', async () => {
    const emu = await spawnEmulator(['--port', '0', '--auto-approve']);
    const { ready } = emu;
    expect(Object.keys(ready)).toEqual(['loginUrl', 'instanceUrl', 'org', 'apps', 'user']);
    expect(ready.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.apps).toHaveLength(1);
    const app = ready.apps[0]!;
    expect(app.clientId).toMatch(/^3MVG9[A-Za-z0-9._]{50,}$/);
    expect(app.callbackUrls).toEqual(['http://localhost:1717/OauthRedirect']);

    // authorize: auto-approved, straight back to the callback with code and state.
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL('/services/oauth2/authorize', ready.loginUrl);
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: app.clientId, redirect_uri: app.callbackUrls[0]!, scope: 'api refresh_token', state: 'st4te', code_challenge: challenge })) {
      authorize.searchParams.set(k, v);
    }
    const authRes = await fetch(authorize, { redirect: 'manual' });
    expect(authRes.status).toBe(302);
    const callback = new URL(authRes.headers.get('location')!);
    expect(callback.origin + callback.pathname).toBe(app.callbackUrls[0]);
    expect(callback.searchParams.get('state')).toBe('st4te');
    const code = callback.searchParams.get('code')!;
    expect(code).toMatch(/^aPrx.+==$/);

    // token: the authorization_code grant.
    const tokenUrl = `${ready.loginUrl}/services/oauth2/token`;
    const tokRes = await form(tokenUrl, { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: app.callbackUrls[0]!, code_verifier: verifier });
    expect(tokRes.status).toBe(200);
    expect(tokRes.headers.get('content-type')).toMatch(/^application\/json/);
    const tok = (await tokRes.json()) as Record<string, string>;
    expect(tok).toMatchObject({ token_type: 'Bearer', instance_url: ready.instanceUrl, scope: expect.stringMatching(/\bapi\b/) });
    expect(tok.access_token).toMatch(/^00D\w{12,15}!/);
    expect(tok.refresh_token).toMatch(/^5Aep861/);
    // The identity URL names the emulator's own login host, so clients can follow it.
    expect(tok.id).toMatch(new RegExp(`^${ready.loginUrl}/id/${ready.org.id}/005\\w{15}$`));
    expect(ready.org).toMatchObject({ type: 'production', sandbox: false });
    expect(tok.issued_at).toMatch(/^\d{13}$/);
    expect(tok.signature).toBe(createHmac('sha256', app.clientSecret).update(tok.id! + tok.issued_at!).digest('base64'));

    // The code is single use: Salesforce's invalid_grant, as JSON with a 400.
    const again = await form(tokenUrl, { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: app.callbackUrls[0]!, code_verifier: verifier });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });

    // refresh: a new access token, no new refresh token (no rotation by default).
    const refRes = await form(tokenUrl, { grant_type: 'refresh_token', refresh_token: tok.refresh_token!, client_id: app.clientId, client_secret: app.clientSecret });
    expect(refRes.status).toBe(200);
    const ref = (await refRes.json()) as Record<string, string>;
    expect(ref.access_token).toMatch(/^00D\w{12,15}!/);
    expect(ref.access_token).not.toBe(tok.access_token);
    expect(ref).not.toHaveProperty('refresh_token');
    expect(ref.signature).toBe(createHmac('sha256', app.clientSecret).update(ref.id! + ref.issued_at!).digest('base64'));

    // REST: the versions list is public; a versioned call needs the token and reports API usage.
    const versions = (await (await fetch(`${ready.instanceUrl}/services/data/`)).json()) as Array<{ label: string; url: string; version: string }>;
    expect(versions.length).toBeGreaterThan(0);
    const latest = versions.at(-1)!;
    expect(latest.url).toBe(`/services/data/v${latest.version}`);
    const restRes = await fetch(`${ready.instanceUrl}${latest.url}/`, { headers: { authorization: `Bearer ${ref.access_token}` } });
    expect(restRes.status).toBe(200);
    expect(restRes.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/\d+$/);
    expect(await restRes.json()).toHaveProperty('sobjects');

    // revoke the refresh token: 200 with an empty body; then refresh and REST fail the way Salesforce fails.
    const revRes = await form(`${ready.loginUrl}/services/oauth2/revoke`, { token: tok.refresh_token! });
    expect(revRes.status).toBe(200);
    expect(await revRes.text()).toBe('');
    const dead = await form(tokenUrl, { grant_type: 'refresh_token', refresh_token: tok.refresh_token!, client_id: app.clientId, client_secret: app.clientSecret });
    expect(dead.status).toBe(400);
    expect(await dead.json()).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    const restDead = await fetch(`${ready.instanceUrl}${latest.url}/`, { headers: { authorization: `Bearer ${ref.access_token}` } });
    expect(restDead.status).toBe(401);
    expect(await restDead.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);

    // Exactly one line on stdout, nothing on stderr with --json.
    expect(emu.stdout().split('\n')).toEqual([expect.any(String), '']);
    expect(emu.stderr()).toBe('');

    // Ctrl-C is the normal way to stop it: exit 0, promptly, and the ports are released.
    const started = Date.now();
    emu.child.kill('SIGINT');
    const { code: exit } = await emu.closed;
    expect(exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(emu.stderr()).not.toMatch(STACK_LINE);
    await expect(fetch(`${ready.loginUrl}/services/oauth2/token`)).rejects.toThrow();
  });

  it('--tls: https URLs and a caFile; sfoauth test (spawned, NODE_EXTRA_CA_CERTS) verifies credentials over https', async () => {
    const emu = await spawnEmulator(['--tls', '--auto-approve', '--org-type', 'developer']);
    const { ready } = emu;
    expect(ready.loginUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.instanceUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.org.type).toBe('developer');
    const ca = await readFile(ready.caFile!, 'utf8');
    const app = ready.apps[0]!;
    const token = await httpsLogin({ loginUrl: ready.loginUrl, ca, clientId: app.clientId, clientSecret: app.clientSecret, callbackUrl: app.callbackUrls[0]! });
    const run = await runCli(['test', '--json'], {
      env: {
        SFOAUTH_CLIENT_ID: app.clientId, SFOAUTH_CLIENT_SECRET: app.clientSecret, SFOAUTH_REFRESH_TOKEN: token.refresh_token,
        SFOAUTH_LOGIN_URL: ready.loginUrl, NODE_EXTRA_CA_CERTS: ready.caFile,
      },
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { org: { edition: string; isSandbox: boolean } };
    expect(report.org).toMatchObject({ edition: 'Developer Edition', isSandbox: false });
    expect(run.stdout).not.toContain(token.refresh_token);
    emu.child.kill('SIGINT');
    expect((await emu.closed).code).toBe(0);
  });

  it('without --auto-approve, authorize shows the login page, which says it is not Salesforce', async () => {
    const emu = await spawnEmulator(['--client-id', '3MVG9e2e', '--client-secret', 'E2ESECRET', '--callback-url', 'http://localhost:3000/cb']);
    expect(emu.ready.apps).toEqual([{ clientId: '3MVG9e2e', clientSecret: 'E2ESECRET', callbackUrls: ['http://localhost:3000/cb'] }]);
    const url = new URL('/services/oauth2/authorize', emu.ready.loginUrl);
    url.search = new URLSearchParams({ response_type: 'code', client_id: '3MVG9e2e', redirect_uri: 'http://localhost:3000/cb', code_challenge: 'x'.repeat(43) }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/not Salesforce/i);
    // An unknown client id gets Salesforce's own error page, not a redirect.
    url.searchParams.set('client_id', '3MVG9nope');
    const bad = await fetch(url, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('invalid_client_id');
    emu.child.kill('SIGINT');
    expect((await emu.closed).code).toBe(0);
  });

  it.each([
    ['not JSON', '[{"clientId": ', /The --apps file .* is not valid JSON/],
    ['invalid settings', JSON.stringify([{ callbackUrls: 'http://localhost:1717/OauthRedirect' }]), /The --apps file .* has invalid settings/],
  ])('an --apps file with %s exits 2 with a message and no stack trace', async (_what, text, message) => {
    const file = join(dir, `apps-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, text);
    const r = await runCli(['emulator', '--apps', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(file);
    expect(r.stderr).not.toMatch(STACK_LINE);
    // With --json the same error is the one document on stdout (README.md "JSON output").
    const json = await runCli(['emulator', '--json', '--apps', file]);
    expect(json.code).toBe(2);
    expect(json.stderr).toBe('');
    const doc = JSON.parse(json.stdout) as { ok: boolean; error: { message: string } };
    expect(doc.ok).toBe(false);
    expect(doc.error.message).toMatch(message);
    expect(json.stdout).not.toMatch(STACK_LINE);
  });

  it('a missing --apps file exits 2 naming it', async () => {
    const r = await runCli(['emulator', '--apps', join(dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`The --apps file ${join(dir, 'nope.json')} does not exist.`);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('--host 0.0.0.0 exits 2: loopback only', async () => {
    const r = await runCli(['emulator', '--host', '0.0.0.0']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--host 0.0.0.0: the emulator only listens on loopback.');
    expect(r.stderr).toMatch(/→ Use --host 127\.0\.0\.1/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
