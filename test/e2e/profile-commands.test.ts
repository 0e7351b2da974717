/**
 * The built binary (`node bin/sfoauth.js`, spawned) against an emulator running in this process: `test`
 * in each situation CI meets, then `token`, `status`, `logout` and `export`. Profiles are made by the
 * real init code (test/support/emulator-profile.ts). Needs `npm run build` first (`npm test` does it).
 * The last test scans every captured stdout and stderr for secrets.
 */
import { existsSync } from 'node:fs';
import { readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { mask } from '../../src/cli/io.js';
import { assertBuilt, runCli, type CliResult, type RunCliOptions } from '../support/run-cli.js';
import { emulatorProfileForTest, freePort, otherSecret, type EmulatorProfile, type EmulatorProfileOptions } from '../support/emulator-profile.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { webServer } from '../support/web-server-profile.js';

interface JsonReport {
  ok: boolean;
  source: 'profile' | 'env';
  checks: { id: string; status: 'pass' | 'warn' | 'fail' | 'skip'; summary: string; fix: string | null }[];
}

const captured: string[] = [];
const allSecrets: string[] = [];

beforeAll(() => {
  assertBuilt(); // a clear failure ("run `npm run build`") instead of 30 confusing ones
});

/**
 * A fixture owned by one test (the tests run concurrently: each waits mostly on its child process, so
 * overlapping them keeps the file fast on two cores). Its secrets join the final scan when it ends.
 */
function fixture(ctx: Pick<TestContext, 'onTestFinished'>, opts: EmulatorProfileOptions = {}): Promise<EmulatorProfile> {
  return emulatorProfileForTest(ctx, { secrets: allSecrets, captured }, opts);
}

/**
 * Runs the binary with the fixture's config directory. Output is kept for the secret scan, except a
 * stdout that is meant to carry a secret (`token`, `export --include-secrets`).
 */
async function cli(f: EmulatorProfile | string, args: string[], opts: RunCliOptions & { stdoutHasSecrets?: boolean } = {}): Promise<CliResult> {
  const configDir = typeof f === 'string' ? f : f.configDir;
  const r = await runCli(args, { configDir, timeoutMs: 15_000, ...opts });
  if (r.timedOut) throw new Error(`sfoauth ${args.join(' ')} did not finish in time; stderr:\n${r.stderr}`);
  captured.push(r.stderr);
  if (!opts.stdoutHasSecrets) captured.push(r.stdout);
  return r;
}

function report(r: CliResult): JsonReport {
  try {
    return JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${String(r.code)}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

function statusOf(r: JsonReport, id: string): string | undefined {
  return r.checks.find((c) => c.id === id)?.status;
}

function summaryOf(r: JsonReport, id: string): string {
  return r.checks.find((c) => c.id === id)?.summary ?? '';
}

/** Tries the refresh grant directly against the emulator: did Salesforce keep the token alive? */
async function refreshWorks(f: EmulatorProfile, refreshToken: string): Promise<boolean> {
  const res = await fetch(`${f.emulator.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: f.app.clientId, client_secret: f.app.clientSecret }),
  });
  const body = (await res.json()) as Record<string, string>;
  if (body.access_token) f.secretsSeen.push(body.access_token);
  return res.status === 200;
}

describe.concurrent('sfoauth test (built binary)', { timeout: 30_000 }, () => {
  it('healthy profile: exit 0; --json is the only thing on stdout; --verbose traces on stderr without secrets', async (ctx) => {
    const f = await fixture(ctx);
    const r = await cli(f, ['test', '--json', '--verbose']);
    expect(r.code, r.stderr).toBe(0);
    const rep = report(r);
    expect(rep.ok).toBe(true);
    expect(rep.source).toBe('profile');
    expect(rep.checks.map((c) => c.status)).toEqual(Array(11).fill('pass'));
    // No human report on either stream: stderr holds only the trace --verbose asked for.
    expect(r.stderr).toMatch(/^> POST http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/token/m);
    expect(r.stderr.split('\n').filter((l) => l !== '' && !/^[<>!] /.test(l))).toEqual([]);
  });

  it('revoked refresh token: exit 1, the refresh check explains invalid_grant; GitHub annotations when GITHUB_ACTIONS=true', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.revokeAll();
    const r = await cli(f, ['test'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('✗ Refresh token grant: Salesforce said invalid_grant (expired access/refresh token)');
    expect(r.stdout).toContain('FAILED: 3 passed, 0 warnings, 1 failed, 7 skipped');
    // Workflow commands on stdout (where GitHub reads them), after the report.
    expect(r.stdout).toMatch(/FAILED: [^\n]*\n::error title=sfoauth test%3A Refresh token grant::Salesforce said invalid_grant/);
    // With --json: the one document, no annotation inside or around it.
    const j = await cli(f, ['test', '--json'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(j.code).toBe(1);
    expect(report(j).ok).toBe(false);
    expect(j.stdout + j.stderr).not.toContain('::error');
  });

  it('wrong client secret: invalid_client on refresh, exit 1', async (ctx) => {
    const f = await fixture(ctx);
    const wrong = otherSecret(f.app.clientSecret);
    f.secretsSeen.push(wrong);
    await f.store.update(f.profileName, { clientSecret: wrong });
    const r = await cli(f, ['test', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(summaryOf(report(r), 'refresh')).toBe('Salesforce said invalid_client (invalid client credentials)');
    expect(statusOf(report(r), 'signature')).toBe('skip');
  });

  it('wrong client secret on an app that does not require it for refresh: still invalid_client (a sent secret is checked), exit 1', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.updateApp(f.app.clientId, { requireSecretRefresh: false });
    const wrong = otherSecret(f.app.clientSecret);
    f.secretsSeen.push(wrong);
    await f.store.update(f.profileName, { clientSecret: wrong });
    const r = await cli(f, ['test', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(summaryOf(report(r), 'refresh')).toBe('Salesforce said invalid_client (invalid client credentials)');
  });

  it("token without the api scope: the REST check fails with 'This session is not valid for use with the REST API', exit 1", async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('noApiScope', true);
    const r = await cli(f, ['test', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(statusOf(report(r), 'rest-api')).toBe('fail');
    expect(summaryOf(report(r), 'rest-api')).toContain('This session is not valid for use with the REST API');
    expect(statusOf(report(r), 'userinfo')).toBe('pass');
  });

  it('introspection not allowed ({"active":false}): warning with the fix, exit 0', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('introspectionDenied', true);
    const r = await cli(f, ['test']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('! Token introspection: introspection reports the access token inactive: the app may not be allowed to introspect tokens');
    expect(r.stdout).toContain('Introspect All Tokens');
    expect(r.stdout).toContain('OK: 10 passed, 1 warning, 0 failed, 0 skipped');
  });

  it('introspection refused (public-client profile, 401 invalid_client at introspect): warning, exit 0', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.updateApp(f.app.clientId, { requireSecretRefresh: false });
    const { clientSecret: _dropped, ...withoutSecret } = webServer(await f.store.get(f.profileName));
    await f.store.save(f.profileName, withoutSecret);
    const r = await cli(f, ['test', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(statusOf(report(r), 'introspection')).toBe('warn');
    expect(summaryOf(report(r), 'introspection')).toContain('introspection refused');
    expect(report(r).checks.map((c) => c.status).sort()).toEqual([...Array(9).fill('pass'), 'skip', 'warn']);
  });

  it('rotation on: two runs in a row both pass and the stored refresh token changes each time', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.updateApp(f.app.clientId, { rotateRefreshTokens: true });
    const tokens = [webServer(await f.store.get(f.profileName)).refreshToken!];
    for (let i = 0; i < 2; i++) {
      const r = await cli(f, ['test']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('the app rotated the refresh token and the new one was saved to');
      tokens.push(webServer(await f.store.get(f.profileName)).refreshToken!);
    }
    f.secretsSeen.push(...tokens);
    expect(new Set(tokens).size).toBe(3);
  });

  it('env-var mode: SFOAUTH_* variables, no profile needed; the output names the source; exit 0', async (ctx) => {
    const f = await fixture(ctx);
    const p = webServer(await f.store.get(f.profileName));
    const nowhere = join(f.configDir, 'nowhere');
    const env = {
      SFOAUTH_CLIENT_ID: p.clientId,
      SFOAUTH_CLIENT_SECRET: p.clientSecret!,
      SFOAUTH_REFRESH_TOKEN: p.refreshToken!,
      SFOAUTH_LOGIN_URL: f.emulator.loginUrl,
      SFOAUTH_ENV: 'production',
    };
    const r = await cli(nowhere, ['test', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(report(r).source).toBe('env');
    const human = await cli(nowhere, ['test'], { env });
    expect(human.stdout).toContain('sfoauth test — credentials from SFOAUTH_* environment variables');
    expect(existsSync(nowhere)).toBe(false); // no config directory was needed, nor created
  });

  it('unreachable login host: exit 3', async (ctx) => {
    const f = await fixture(ctx);
    await f.store.update(f.profileName, { loginUrl: `http://127.0.0.1:${await freePort()}` });
    const r = await cli(f, ['test', '--json']);
    expect(r.code, r.stderr).toBe(3);
    expect(statusOf(report(r), 'login-host')).toBe('fail');
    expect(summaryOf(report(r), 'login-host')).toContain('refused the connection');
  });

  it('a 5xx on the refresh grant is not retried (refresh is not idempotent): exit 3', async (ctx) => {
    // "5xx then success" needs the fault to land after the refresh; only the in-process test can time
    // that (test/integration/test-command.test.ts). Here every request fails with 500 for a while: the
    // REST versions prefetch (retried) and the refresh (not retried).
    const f = await fixture(ctx);
    f.emulator.setFault('serverError', 10);
    const r = await cli(f, ['test', '--json']);
    f.emulator.setFault('serverError', 0);
    expect(r.code, r.stderr).toBe(3);
    expect(statusOf(report(r), 'refresh')).toBe('fail');
  });

  it('invalid config file: `test` and `status` exit 2, name the file, and leave its bytes unchanged', async (ctx) => {
    const f = await fixture(ctx);
    const file = join(f.configDir, 'config.json');
    const corrupt = Buffer.from('{"version": 1, "profiles": {"default": ');
    await writeFile(file, corrupt);

    const t = await cli(f, ['test']);
    expect(t.code, t.stderr).toBe(2);
    expect(t.stdout).toContain(file); // the configuration check's finding, in the report
    const s = await cli(f, ['status']);
    expect(s.code, s.stderr).toBe(2);
    expect(s.stderr).toContain(file);
    expect(await readFile(file)).toEqual(corrupt);
  });

  it('sandbox org under a production profile: environment warning, exit 0', async (ctx) => {
    const f = await fixture(ctx, { sandbox: true, env: 'production' });
    const r = await cli(f, ['test']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('! Environment and host agree: the profile says production, but the org is a sandbox org');
    expect(r.stdout).toContain('--env sandbox');
  });
});

describe.concurrent('sfoauth token / status / logout / export (built binary)', { timeout: 30_000 }, () => {
  it('token prints only the access token, and it works against the REST API', async (ctx) => {
    const f = await fixture(ctx);
    const r = await cli(f, ['token'], { stdoutHasSecrets: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^00D[A-Za-z0-9]{12}!AR[A-Za-z0-9._]+\n$/);
    const accessToken = r.stdout.trim();
    f.secretsSeen.push(accessToken);
    const res = await fetch(`${f.emulator.instanceUrl}/services/data/v66.0/`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(200);
  });

  it('token with rotation saves the new refresh token; with a revoked token it exits 1 and prints nothing on stdout', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.updateApp(f.app.clientId, { rotateRefreshTokens: true });
    const before = webServer(await f.store.get(f.profileName)).refreshToken!;
    const ok = await cli(f, ['token'], { stdoutHasSecrets: true });
    expect(ok.code, ok.stderr).toBe(0);
    f.secretsSeen.push(ok.stdout.trim());
    const after = webServer(await f.store.get(f.profileName)).refreshToken!;
    f.secretsSeen.push(after);
    expect(after).not.toBe(before);

    f.emulator.revokeAll();
    const bad = await cli(f, ['token']);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('invalid_grant');
  });

  it('status lists every profile from the file alone (the emulator is stopped), and --json has no secrets', async (ctx) => {
    const f = await fixture(ctx);
    const p = webServer(await f.store.get(f.profileName));
    await f.store.save('other', { ...p, env: 'sandbox' });
    await f.emulator.close(); // no network from here on

    const r = await cli(f, ['status']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Profiles in ${join(f.configDir, 'config.json')}`);
    expect(r.stdout).toMatch(/^default \(default\)$/m);
    expect(r.stdout).toMatch(/^other$/m);
    expect(r.stdout).toContain(`  - instance URL: ${p.instanceUrl!}`);
    expect(r.stdout).toContain(`  - user: ${f.emulator.user.username}`);
    expect(r.stdout).toContain('  - environment: sandbox');

    const j = await cli(f, ['status', '--json']);
    expect(j.code, j.stderr).toBe(0);
    const doc = JSON.parse(j.stdout) as { defaultProfile: string; profiles: Record<string, unknown>[] };
    expect(doc.defaultProfile).toBe('default');
    expect(doc.profiles.map((x) => x.name)).toEqual(['default', 'other']);
    for (const x of doc.profiles) {
      expect(x).not.toHaveProperty('clientSecret');
      expect(x).not.toHaveProperty('refreshToken');
    }
  });

  it('logout --revoke revokes the refresh token at Salesforce, then removes the profile', async (ctx) => {
    const f = await fixture(ctx);
    const rt = webServer(await f.store.get(f.profileName)).refreshToken!;
    const r = await cli(f, ['logout', '--revoke', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Revoked the refresh token');
    expect(r.stderr).toContain(`Removed profile "default" from ${join(f.configDir, 'config.json')}`);
    expect(await f.store.get(f.profileName)).toBeUndefined();
    expect(await refreshWorks(f, rt)).toBe(false);
  });

  it('logout without --yes and no terminal refuses (exit 2) and keeps the profile', async (ctx) => {
    const f = await fixture(ctx);
    const r = await cli(f, ['logout']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(await f.store.get(f.profileName)).toBeDefined();
  });

  it('logout --revoke: a refused revoke keeps the profile (exit 1) unless --force', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.revokeAll(); // the revoke endpoint now answers 400 invalid_token
    const kept = await cli(f, ['logout', '--revoke', '--yes']);
    expect(kept.code, kept.stderr).toBe(1);
    expect(kept.stderr).toContain('invalid_token');
    expect(kept.stderr).toContain('Profile "default" was kept. Pass --force to remove it anyway.');
    expect(await f.store.get(f.profileName)).toBeDefined();

    const forced = await cli(f, ['logout', '--revoke', '--yes', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('Revoking failed');
    expect(forced.stderr).toContain('removing the profile anyway (--force)');
    expect(await f.store.get(f.profileName)).toBeUndefined();
  });

  it('logout --revoke with Salesforce unreachable keeps the profile (exit 3)', async (ctx) => {
    const f = await fixture(ctx);
    await f.emulator.close();
    const r = await cli(f, ['logout', '--revoke', '--yes']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('was kept');
    expect(await f.store.get(f.profileName)).toBeDefined();
  });

  it('export --format env|json|nango masks the secret and refresh token', async (ctx) => {
    const f = await fixture(ctx);
    const p = webServer(await f.store.get(f.profileName));
    const secret = p.clientSecret!;
    const rt = p.refreshToken!;

    const env = await cli(f, ['export']);
    expect(env.code, env.stderr).toBe(0);
    expect(env.stdout.split('\n')[0]).toBe('# secrets masked; pass --include-secrets to print them');
    expect(env.stdout).toContain(`SFOAUTH_CLIENT_ID=${p.clientId}\n`);
    expect(env.stdout).toContain(`SFOAUTH_LOGIN_URL=${f.emulator.loginUrl}\n`);
    expect(env.stdout).toContain(`SFOAUTH_CLIENT_SECRET='${mask(secret)}'\n`);
    expect(env.stdout).toContain(`SFOAUTH_REFRESH_TOKEN='${mask(rt)}'\n`);

    const json = await cli(f, ['export', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ profile: 'default', clientId: p.clientId, clientSecret: mask(secret), refreshToken: mask(rt), instanceUrl: p.instanceUrl });

    const nango = await cli(f, ['export', '--format', 'nango']);
    expect(nango.code, nango.stderr).toBe(0);
    expect(JSON.parse(nango.stdout)).toMatchObject({
      integration: 'salesforce',
      clientId: p.clientId,
      clientSecret: mask(secret),
      scopes: ['api', 'refresh_token'],
      connectionConfig: { instance_url: p.instanceUrl },
    });
    // Nango gets the refresh token through its own OAuth flow: the export has none, masked or not.
    expect(JSON.parse(nango.stdout)).not.toHaveProperty('refreshToken');

    const bad = await cli(f, ['export', '--format', 'xml']);
    expect(bad.code, bad.stderr).toBe(2);
  });

  it('export --include-secrets prints them in clear, and the env lines drive `sfoauth test` in env-var mode', async (ctx) => {
    const f = await fixture(ctx);
    const p = webServer(await f.store.get(f.profileName));

    const json = await cli(f, ['export', '--format', 'json', '--include-secrets'], { stdoutHasSecrets: true });
    expect(JSON.parse(json.stdout)).toMatchObject({ clientSecret: p.clientSecret, refreshToken: p.refreshToken });
    const nango = await cli(f, ['export', '--format', 'nango', '--include-secrets'], { stdoutHasSecrets: true });
    expect(JSON.parse(nango.stdout)).toMatchObject({ clientSecret: p.clientSecret });

    const env = await cli(f, ['export', '--format', 'env', '--include-secrets'], { stdoutHasSecrets: true });
    expect(env.code, env.stderr).toBe(0);
    expect(env.stdout).not.toContain('masked');
    const vars = Object.fromEntries(
      env.stdout
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    ) as Record<string, string>;
    expect(vars).toMatchObject({ SFOAUTH_CLIENT_SECRET: p.clientSecret, SFOAUTH_REFRESH_TOKEN: p.refreshToken });

    const t = await cli(join(f.configDir, 'elsewhere'), ['test', '--json'], { env: vars });
    expect(t.code, t.stderr).toBe(0);
    expect(report(t).source).toBe('env');
  });

  it('export --format sfdx-url: only with --include-secrets; --output writes any format to a 0600 file and never through a symlink', async (ctx) => {
    const f = await fixture(ctx);
    const p = webServer(await f.store.get(f.profileName));
    const host = new URL(p.instanceUrl!).host;

    const refused = await cli(f, ['export', '--format', 'sfdx-url']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('only printed with --include-secrets');

    const url = await cli(f, ['export', '--format', 'sfdx-url', '--include-secrets'], { stdoutHasSecrets: true });
    expect(url.code, url.stderr).toBe(0);
    expect(url.stdout).toBe(`force://${p.clientId}:${p.clientSecret}:${p.refreshToken}@${host}\n`);
    // The Salesforce CLI's own parser (sfdx-core AuthInfo.parseSfdxAuthUrl) reads it back.
    const m = /^force:\/\/([a-zA-Z0-9._-]+={0,2}):([a-zA-Z0-9._-]*={0,2}):([a-zA-Z0-9._-]+={0,2})@([a-zA-Z0-9:._-]+)/.exec(url.stdout);
    expect(m?.slice(1)).toEqual([p.clientId, p.clientSecret, p.refreshToken, host]);
    expect(url.stderr).toContain('over https only');

    const file = join(f.configDir, 'auth-url.txt');
    await writeFile(file, 'old\n', { mode: 0o644 });
    const out = await cli(f, ['export', '--format', 'sfdx-url', '--include-secrets', '--output', file]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    expect(await readFile(file, 'utf8')).toBe(url.stdout);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const masked = join(f.configDir, 'env.txt');
    expect((await cli(f, ['export', '--output', masked])).code).toBe(0);
    expect(await readFile(masked, 'utf8')).toContain('# secrets masked');
    expect((await stat(masked)).mode & 0o777).toBe(0o600);

    const target = join(f.configDir, 'target.txt');
    await writeFile(target, 'untouched\n');
    const link = join(f.configDir, 'link.txt');
    await symlink(target, link);
    const viaLink = await cli(f, ['export', '--format', 'env', '--include-secrets', '--output', link]);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain('is a symbolic link');
    expect(await readFile(target, 'utf8')).toBe('untouched\n');
  });

});

// Runs after both concurrent suites have finished, so every fixture's secrets are in allSecrets.
describe('secret scan', () => {
  it('no captured stdout or stderr contains the client secret or a token (except where a flag asked)', () => {
    expect(captured.length).toBeGreaterThan(40);
    expect(allSecrets.length).toBeGreaterThan(40);
    expectNoSecrets(captured, allSecrets);
  });
});
