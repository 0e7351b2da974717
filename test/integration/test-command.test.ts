/**
 * `sfoauth test` in-process against the emulator, through main() so the exit codes are the ones users
 * get. Real fetch (recorded), real clock, the real conf store in a temporary directory; only the
 * terminal is a buffer. Every captured stdout/stderr is scanned for secrets at the end.
 */
import { readFile, writeFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import type { Env } from '../../src/deps.js';
import { createTestDeps, refusingBrowser } from '../support/test-deps.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import { createEmulatorProfile, freePort, otherSecret, recordingFetch, type EmulatorProfile, type EmulatorProfileOptions, type RecordingFetch } from '../support/emulator-profile.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { webServer } from '../support/web-server-profile.js';

interface JsonReport {
  ok: boolean;
  profile: string;
  source: 'profile' | 'env';
  instanceUrl: string | null;
  org: { id: string | null; edition: string | null; isSandbox: boolean; trialExpirationDate: string | null } | null;
  checks: { id: string; status: 'pass' | 'warn' | 'fail' | 'skip'; summary: string; fix: string | null }[];
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  report: JsonReport;
}

const CHECK_IDS = ['config', 'login-host', 'refresh', 'signature', 'userinfo', 'rest-api', 'introspection', 'organization', 'environment', 'pkce', 'refresh-posture'];

// Everything printed by every run, and every secret any fixture learned, for the final scan.
const captured: string[] = [];
const allSecrets: string[] = [];
const open: EmulatorProfile[] = [];

async function fixture(opts: EmulatorProfileOptions = {}): Promise<EmulatorProfile> {
  const f = await createEmulatorProfile(opts);
  open.push(f);
  captured.push(...f.initOutput);
  return f;
}

afterEach(async () => {
  for (const f of open.splice(0)) {
    allSecrets.push(...f.secretsSeen, ...(await storedSecrets(f)));
    await f.close();
  }
});

async function storedSecrets(f: EmulatorProfile): Promise<string[]> {
  try {
    const p = await f.store.get(f.profileName);
    return [p?.clientSecret, p?.flow === 'web-server' ? p.refreshToken : undefined].filter((s): s is string => typeof s === 'string');
  } catch {
    return []; // the test corrupted the file on purpose
  }
}

/** Deps as createDeps builds them, with a buffer terminal and the fixture's config directory. */
function depsFor(configDir: string, fetch: RecordingFetch, extraEnv: Env = {}) {
  const env: Env = { SFOAUTH_CONFIG_DIR: configDir, NO_COLOR: '1', CI: 'true', ...extraEnv };
  return createTestDeps({ env, fetch, openBrowser: refusingBrowser('sfoauth test'), openStore: (dir) => openConfStore({ configDir: dir, env }) });
}

/** `sfoauth test --json …` through main(): one JSON document on stdout, nothing else. */
async function runTestCommand(
  configDir: string,
  fetch: RecordingFetch,
  opts: { args?: string[]; env?: Env } = {},
): Promise<Run> {
  const { deps, t } = depsFor(configDir, fetch, opts.env);
  const code = await main(['test', '--json', '--timeout', '10', ...(opts.args ?? [])], deps);
  const stdout = t.stdout();
  const stderr = t.stderr();
  captured.push(stdout, stderr);
  return { code, stdout, stderr, report: JSON.parse(stdout) as JsonReport };
}

/** `sfoauth test …` without --json: the human report, which goes to stdout. */
async function runHumanTest(configDir: string, fetch: RecordingFetch, opts: { env?: Env } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { deps, t } = depsFor(configDir, fetch, opts.env);
  const code = await main(['test', '--timeout', '10'], deps);
  captured.push(t.stdout(), t.stderr());
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

function check(run: Run, id: string) {
  const c = run.report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check "${id}" in the report`);
  return c;
}

function statuses(run: Run): Record<string, string> {
  return Object.fromEntries(run.report.checks.map((c) => [c.id, c.status]));
}

describe('sfoauth test against the emulator (in-process)', () => {
  it('healthy profile: every check passes, exit 0, and lastVerifiedAt is updated', async () => {
    const f = await fixture();
    await f.store.update(f.profileName, { lastVerifiedAt: '2020-01-01T00:00:00.000Z' });
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(0);
    expect(run.report.ok).toBe(true);
    expect(run.report.source).toBe('profile');
    expect(run.report.profile).toBe('default');
    expect(run.report.instanceUrl).toBe(f.emulator.instanceUrl);
    expect(run.report.checks.map((c) => c.id)).toEqual(CHECK_IDS);
    expect(run.report.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(check(run, 'signature').summary).toContain('signature verifies');
    expect(check(run, 'userinfo').summary).toContain(f.emulator.user.username);
    expect(run.stderr).toBe('');
    const human = await runHumanTest(f.configDir, f.fetch);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toBe(`sfoauth test — profile "default" (${join(f.configDir, 'config.json')})`);
    expect(human.stdout).toMatch(/OK: 11 passed, 0 warnings, 0 failed, 0 skipped/);
    expect(human.stderr).toBe('');
    expect(run.report.org).toMatchObject({ id: f.emulator.org.id, edition: 'Enterprise Edition', isSandbox: false });

    const saved = await f.store.get(f.profileName);
    expect(saved?.lastVerifiedAt).not.toBe('2020-01-01T00:00:00.000Z');
    expect(Date.parse(saved!.lastVerifiedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('revoked refresh token: the refresh check fails with invalid_grant, later checks are skipped, exit 1', async () => {
    const f = await fixture();
    await f.store.update(f.profileName, { lastVerifiedAt: '2020-01-01T00:00:00.000Z' });
    f.emulator.revokeAll();
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(1);
    expect(run.report.ok).toBe(false);
    expect(statuses(run)).toEqual({
      config: 'pass',
      'login-host': 'pass',
      refresh: 'fail',
      signature: 'skip',
      userinfo: 'skip',
      'rest-api': 'skip',
      introspection: 'skip',
      organization: 'skip',
      environment: 'skip',
      pkce: 'pass',
      'refresh-posture': 'skip',
    });
    expect(check(run, 'refresh').summary).toBe('Salesforce said invalid_grant (expired access/refresh token)');
    expect(check(run, 'refresh').fix).toBeTruthy();
    const human = await runHumanTest(f.configDir, f.fetch);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/FAILED: 3 passed, 0 warnings, 1 failed, 7 skipped/);
    // A failed run does not claim the profile was verified.
    expect((await f.store.get(f.profileName))?.lastVerifiedAt).toBe('2020-01-01T00:00:00.000Z');
  });

  it('wrong client secret: Salesforce answers invalid_client on refresh (the app requires the secret), exit 1', async () => {
    const f = await fixture();
    const wrong = otherSecret(f.app.clientSecret);
    f.secretsSeen.push(wrong);
    await f.store.update(f.profileName, { clientSecret: wrong });
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(1);
    expect(check(run, 'refresh').status).toBe('fail');
    expect(check(run, 'refresh').summary).toBe('Salesforce said invalid_client (invalid client credentials)');
    expect(check(run, 'signature').status).toBe('skip');
  });

  it('wrong client secret when the app does not require one for refresh: a sent secret is still checked → invalid_client, exit 1', async () => {
    // docs/salesforce.md §4.1: a secret that is sent is still checked, even when the app does not require one.
    // So the refresh fails before any signature exists to verify: the signature check is skipped, not failed.
    const f = await fixture();
    f.emulator.updateApp(f.app.clientId, { requireSecretRefresh: false });
    const wrong = otherSecret(f.app.clientSecret);
    f.secretsSeen.push(wrong);
    await f.store.update(f.profileName, { clientSecret: wrong });
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(1);
    expect(check(run, 'refresh').summary).toBe('Salesforce said invalid_client (invalid client credentials)');
    expect(check(run, 'signature').status).toBe('skip');
  });

  it("token without the api scope: REST answers 401 'This session is not valid for use with the REST API', exit 1", async () => {
    const f = await fixture();
    f.emulator.setFault('noApiScope', true);
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(1);
    expect(statuses(run)).toMatchObject({ refresh: 'pass', signature: 'pass', userinfo: 'pass', 'rest-api': 'fail', introspection: 'pass' });
    expect(check(run, 'refresh').summary).toContain('scopes: refresh_token');
    expect(check(run, 'refresh').summary).not.toMatch(/\bapi\b/);
    expect(check(run, 'rest-api').summary).toContain('This session is not valid for use with the REST API');
    expect(check(run, 'rest-api').summary).toContain('INVALID_SESSION_ID');
  });

  it('introspection not allowed (the app may not see the token: {"active":false}): a warning with the fix, exit 0', async () => {
    const f = await fixture();
    f.emulator.setFault('introspectionDenied', true);
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(0);
    expect(run.report.ok).toBe(true);
    expect(statuses(run)).toMatchObject({ refresh: 'pass', signature: 'pass', 'rest-api': 'pass', introspection: 'warn', environment: 'pass' });
    expect(check(run, 'introspection').summary).toBe(
      'introspection reports the access token inactive: the app may not be allowed to introspect tokens',
    );
    expect(check(run, 'introspection').fix).toContain('Introspect All Tokens');
    expect((await runHumanTest(f.configDir, f.fetch)).stdout).toMatch(/OK: 10 passed, 1 warning, 0 failed, 0 skipped/);
  });

  it('introspection refused (the emulator refuses a caller without a secret: 401 invalid_client): a warning, exit 0', async () => {
    // Client authentication at /introspect: a public-client profile (no secret stored) on an app that
    // does not require the secret for refresh. Refresh works; introspection is refused; the check warns.
    const f = await fixture();
    f.emulator.updateApp(f.app.clientId, { requireSecretRefresh: false });
    const { clientSecret: _dropped, ...withoutSecret } = webServer(await f.store.get(f.profileName));
    await f.store.save(f.profileName, withoutSecret);
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(0);
    expect(statuses(run)).toMatchObject({ refresh: 'pass', signature: 'skip', 'rest-api': 'pass', introspection: 'warn' });
    expect(check(run, 'introspection').summary).toBe('introspection refused: Salesforce said invalid_client (invalid client credentials)');
    expect(check(run, 'introspection').fix).toBeTruthy();
    expect((await runHumanTest(f.configDir, f.fetch)).stdout).toMatch(/OK: 9 passed, 1 warning, 0 failed, 1 skipped/);
  });

  it('refresh token rotation: two runs in a row both pass, and each saves a new refresh token', async () => {
    const f = await fixture();
    f.emulator.updateApp(f.app.clientId, { rotateRefreshTokens: true });
    const rt0 = webServer(await f.store.get(f.profileName)).refreshToken!;

    const first = await runTestCommand(f.configDir, f.fetch);
    expect(first.code).toBe(0);
    const rt1 = webServer(await f.store.get(f.profileName)).refreshToken!;
    expect(rt1).not.toBe(rt0);
    expect(check(first, 'refresh').summary).toContain(`the app rotated the refresh token and the new one was saved to ${join(f.configDir, 'config.json')}`);

    const second = await runTestCommand(f.configDir, f.fetch);
    expect(second.code).toBe(0);
    const rt2 = webServer(await f.store.get(f.profileName)).refreshToken!;
    expect(rt2).not.toBe(rt1);
    expect(f.secretsSeen).toEqual(expect.arrayContaining([rt1, rt2]));
  });

  it('env-var mode: SFOAUTH_* variables win over the file, which is left untouched; exit 0', async () => {
    const f = await fixture();
    const profile = webServer(await f.store.get(f.profileName));
    const file = join(f.configDir, 'config.json');
    const before = await readFile(file);
    const env = {
      SFOAUTH_CLIENT_ID: profile.clientId,
      SFOAUTH_CLIENT_SECRET: profile.clientSecret!,
      SFOAUTH_REFRESH_TOKEN: profile.refreshToken!,
      SFOAUTH_LOGIN_URL: f.emulator.loginUrl,
      SFOAUTH_ENV: 'production',
    };
    // The saved profile is made useless: only the variables can make this run pass.
    await f.store.update(f.profileName, { refreshToken: 'not-the-token' });
    const afterEdit = await readFile(file);
    const run = await runTestCommand(f.configDir, f.fetch, { env });

    expect(run.code).toBe(0);
    expect(run.report.source).toBe('env');
    // Only the PKCE probe needs a registered callback URL, which SFOAUTH_* variables do not name.
    expect(run.report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status}`)).toEqual(['pkce: skip']);
    expect((await runHumanTest(f.configDir, f.fetch, { env })).stdout).toContain('sfoauth test — credentials from SFOAUTH_* environment variables');
    expect(check(run, 'config').summary).toContain('SFOAUTH_* environment variables');
    expect(await readFile(file)).toEqual(afterEdit);
    expect(afterEdit).not.toEqual(before);
  });

  it('env-var mode with rotation: --rotated-token-file receives the new token (0600); without it the refresh check fails', async () => {
    const f = await fixture();
    f.emulator.updateApp(f.app.clientId, { rotateRefreshTokens: true });
    const profile = webServer(await f.store.get(f.profileName));
    const out = await mkdtemp(join(tmpdir(), 'sfoauth-rotated-'));
    try {
      const tokenFile = join(out, 'refresh-token');
      const env = {
        SFOAUTH_CLIENT_ID: profile.clientId,
        SFOAUTH_CLIENT_SECRET: profile.clientSecret!,
        SFOAUTH_REFRESH_TOKEN: profile.refreshToken!,
        SFOAUTH_LOGIN_URL: f.emulator.loginUrl,
      };
      const withFile = await runTestCommand(f.configDir, f.fetch, { env, args: ['--rotated-token-file', tokenFile] });
      expect(withFile.code).toBe(0);
      const rotated = (await readFile(tokenFile, 'utf8')).trim();
      expect(rotated).not.toBe(profile.refreshToken);
      expect(f.secretsSeen).toContain(rotated);
      expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);

      const without = await runTestCommand(f.configDir, f.fetch, { env: { ...env, SFOAUTH_REFRESH_TOKEN: rotated } });
      expect(without.code).toBe(1);
      expect(check(without, 'refresh').status).toBe('fail');
      expect(check(without, 'refresh').summary).toContain('The app rotates refresh tokens: Salesforce issued a new one and the one in SFOAUTH_REFRESH_TOKEN no longer works');
      const kept = /The new refresh token is in (\S+) \(mode 0600; it is not shown\)/.exec(check(without, 'refresh').summary)?.[1];
      expect(kept).toBeDefined();
      try {
        expect((await stat(kept!)).mode & 0o777).toBe(0o600);
        expect(f.secretsSeen).toContain((await readFile(kept!, 'utf8')).trim());
      } finally {
        await rm(dirname(kept!), { recursive: true, force: true });
      }
      expect(check(without, 'refresh').fix).toContain('--rotated-token-file');
      expect(check(without, 'refresh').fix).toContain('SFOAUTH_ROTATED_TOKEN_FILE');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  describe('security posture', () => {
    it('rotation on is observed and remembered in the profile; turned off later, the next run warns', async () => {
      const f = await fixture();
      f.emulator.updateApp(f.app.clientId, { rotateRefreshTokens: true });
      const on = await runTestCommand(f.configDir, f.fetch);
      expect(on.code).toBe(0);
      expect(check(on, 'refresh-posture')).toMatchObject({ status: 'pass', summary: expect.stringContaining('rotation on') });
      expect(webServer(await f.store.get(f.profileName)).refreshTokenRotation).toBe(true);

      f.emulator.updateApp(f.app.clientId, { rotateRefreshTokens: false });
      const off = await runTestCommand(f.configDir, f.fetch);
      expect(off.code).toBe(0);
      expect(check(off, 'refresh-posture').status).toBe('warn');
      expect(check(off, 'refresh-posture').summary).toContain('rotation off');
      expect(check(off, 'refresh-posture').fix).toContain('Enable Refresh Token Rotation');
      expect(webServer(await f.store.get(f.profileName)).refreshTokenRotation).toBe(false);
    });

    it('a refresh flow that does not require the secret is a warning naming the Setup box; no real token is spent', async () => {
      const f = await fixture();
      f.emulator.updateApp(f.app.clientId, { requireSecretRefresh: false });
      const run = await runTestCommand(f.configDir, f.fetch);
      expect(run.code).toBe(0);
      const posture = check(run, 'refresh-posture');
      expect(posture.status).toBe('warn');
      expect(posture.summary).toContain('the secret seems NOT required for refresh (a refresh grant without it was refused for its token, not for the missing secret)');
      expect(posture.fix).toContain('Require secret for Refresh Token Flow');
      expect(posture.fix).toContain('External Client App Manager');
      // The saved refresh token still works: the probe used a made-up one.
      expect((await runTestCommand(f.configDir, f.fetch)).code).toBe(0);
    });

    it('an app that does not require PKCE: a warning with the requirement and the Connected App screen', async () => {
      const f = await fixture({ app: { appType: 'connected-app' } });
      const run = await runTestCommand(f.configDir, f.fetch);
      expect(run.code).toBe(0);
      const pkce = check(run, 'pkce');
      expect(pkce.status).toBe('warn');
      expect(pkce.summary).toContain('PKCE is not required by the app: an authorize request without code_challenge was accepted');
      expect(pkce.fix).toContain('App Manager');
      expect(pkce.fix).toContain('Require Proof Key for Code Exchange');
    });
  });

  it('unreachable login host: the login-host and refresh checks fail as network errors, exit 3', async () => {
    const f = await fixture();
    const dead = `http://127.0.0.1:${await freePort()}`;
    await f.store.update(f.profileName, { loginUrl: dead });
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(3);
    expect(check(run, 'login-host').status).toBe('fail');
    expect(check(run, 'login-host').summary).toContain(`${new URL(dead).host} refused the connection`);
    expect(check(run, 'refresh').status).toBe('fail');
    expect(check(run, 'signature').status).toBe('skip');
  });

  it('--timeout bounds the whole run, except a refresh in flight: it finishes and is kept; exit 3', async () => {
    const f = await fixture();
    f.emulator.setFault('slowMs', 3000);
    const started = Date.now();
    const { deps, t } = depsFor(f.configDir, f.fetch);
    const code = await main(['test', '--json', '--timeout', '0.5'], deps);
    captured.push(t.stdout(), t.stderr());
    const report = JSON.parse(t.stdout()) as JsonReport;

    expect(code).toBe(3);
    // The refresh grant (sent at once) is not cut off: it ends after the emulator's 3 s, not at 0.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(report.checks.find((c) => c.id === 'login-host')?.summary).toBe('sfoauth test did not finish within --timeout 0.5s');
    expect(report.checks.find((c) => c.id === 'refresh')?.status).toBe('pass');
    f.emulator.setFault('slowMs', 0); // let close() finish at once
  });

  it('every failed check carries a one-line fix (SPEC "test (CI)"), network failures of the refresh grant included', async () => {
    // Unreachable host, then a 5xx on the refresh: in both the refresh check fails with a NetworkError.
    const f = await fixture();
    const good = webServer(await f.store.get(f.profileName)).loginUrl;
    await f.store.update(f.profileName, { loginUrl: `http://127.0.0.1:${await freePort()}` });
    const unreachable = await runTestCommand(f.configDir, f.fetch);
    await f.store.update(f.profileName, { loginUrl: good });
    // Enough 500s for the REST versions prefetch (which runs alongside the refresh) and the refresh.
    f.emulator.setFault('serverError', 10);
    const serverError = await runTestCommand(f.configDir, f.fetch);
    f.emulator.setFault('serverError', 0);

    expect([unreachable.code, serverError.code]).toEqual([3, 3]);
    const withoutFix = [unreachable, serverError].flatMap((run) =>
      run.report.checks.filter((c) => c.status === 'fail' && !c.fix).map((c) => `${c.id}: ${c.summary}`),
    );
    expect(withoutFix).toEqual([]);
    expect(serverError.report.checks.find((c) => c.id === 'refresh')?.fix).toContain('status.salesforce.com');
    expect(unreachable.report.checks.find((c) => c.id === 'refresh')?.fix).toContain('sfoauth doctor');
  });

  it('5xx then success: a 500 on the REST versions list (idempotent GET) is retried and the run passes, exit 0', async () => {
    const f = await fixture();
    // The emulator's serverError fault hits the next token or /services/data request. Switch it on the
    // moment the refresh has succeeded, so it lands on the REST check's first GET, not on the refresh.
    f.fetch.onResponse = (call) => {
      if (call.url.pathname === '/services/oauth2/token' && call.status === 200) {
        f.emulator.setFault('serverError', 1);
        f.fetch.onResponse = undefined;
      }
    };
    const mark = f.fetch.calls.length;
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(0);
    expect(check(run, 'rest-api').status).toBe('pass');
    // The 500 lands on whichever REST GET comes next (the versions list is prefetched while the refresh
    // is in flight, so it may already be done): that GET is retried and answered.
    const restCalls = f.fetch.calls.slice(mark).filter((c) => c.url.pathname.startsWith('/services/data/'));
    const failed = restCalls.findIndex((c) => c.status === 500);
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(restCalls.slice(failed + 1).some((c) => c.url.pathname === restCalls[failed]!.url.pathname && c.status === 200)).toBe(true);
    expect(f.emulator.faults.serverError).toBe(0);
  });

  it('5xx on the refresh grant: not retried (refresh is not idempotent), the run fails as a network error, exit 3', async () => {
    const f = await fixture();
    // Enough 500s for the REST versions prefetch (retried, idempotent) and the refresh (not retried).
    f.emulator.setFault('serverError', 10);
    const mark = f.fetch.calls.length;
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(3);
    expect(check(run, 'refresh').status).toBe('fail');
    expect(check(run, 'signature').status).toBe('skip');
    const tokenCalls = f.fetch.calls.slice(mark).filter((c) => c.url.pathname === '/services/oauth2/token');
    expect(tokenCalls.map((c) => c.status)).toEqual([500]);
    f.emulator.setFault('serverError', 0);
  });

  it('invalid config file: the config check fails, exit 2, and the file is not touched', async () => {
    const f = await fixture();
    const file = join(f.configDir, 'config.json');
    const corrupt = Buffer.from('{"version": 1, "profiles": {"default": {"env": "production",\n');
    await writeFile(file, corrupt);
    const mark = f.fetch.calls.length;
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(2);
    expect(run.report.ok).toBe(false);
    expect(check(run, 'config').status).toBe('fail');
    expect(check(run, 'config').summary).toContain(file);
    expect(run.report.checks.filter((c) => c.id !== 'config').every((c) => c.status === 'skip')).toBe(true);
    expect(await readFile(file)).toEqual(corrupt);
    // Without a configuration nothing is sent anywhere.
    expect(f.fetch.calls.slice(mark)).toEqual([]);
  });

  it('a Developer Edition org under a sandbox profile: the org record says it is no sandbox, and the warning names salesforce', async () => {
    const f = await fixture({ orgType: 'developer', env: 'sandbox' });
    const run = await runTestCommand(f.configDir, f.fetch);
    expect(run.code).toBe(0);
    expect(run.report.org).toMatchObject({ edition: 'Developer Edition', isSandbox: false, trialExpirationDate: null });
    const env = check(run, 'environment');
    expect(env.summary).toBe(
      `the profile says sandbox, but the org is a Developer Edition org (IsSandbox = false), and a Developer Edition org is not a sandbox (${new URL(f.emulator.instanceUrl).host})`,
    );
    expect(env.fix).toBe('run `sfoauth init --profile default --env production`; in Nango use the salesforce integration');
  });

  it('a scratch org under a production profile: a sandbox by its Organization record', async () => {
    const f = await fixture({ orgType: 'scratch', env: 'production' });
    const run = await runTestCommand(f.configDir, f.fetch);
    expect(run.code).toBe(0);
    expect(run.report.org).toMatchObject({ edition: 'Developer Edition', isSandbox: true });
    expect(run.report.org?.trialExpirationDate).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(check(run, 'environment').summary).toContain('the org is a scratch org (IsSandbox = true)');
    expect(check(run, 'environment').fix).toContain('salesforce-sandbox');
  });

  it('sandbox org under a production profile: the environment check warns with the fix, exit 0', async () => {
    const f = await fixture({ sandbox: true, env: 'production' });
    const run = await runTestCommand(f.configDir, f.fetch);

    expect(run.code).toBe(0);
    expect(check(run, 'environment').status).toBe('warn');
    expect(check(run, 'environment').summary).toBe(
      `the profile says production, but the org is a sandbox org (Enterprise Edition; IsSandbox = true) (${new URL(f.emulator.instanceUrl).host})`,
    );
    expect(check(run, 'environment').fix).toContain('--env sandbox');
    expect(check(run, 'environment').fix).toContain('salesforce-sandbox');
  });

  it('the secret collector learns the tokens a run is issued (so the scan below can look for them)', async () => {
    const f = await fixture();
    const learned: string[] = [];
    const run = await runTestCommand(f.configDir, recordingFetch(learned));
    expect(run.code).toBe(0);
    expect(learned.some((s) => /^00D[A-Za-z0-9]{12}!AR/.test(s))).toBe(true);
    f.secretsSeen.push(...learned);
  });

  // Last in the file: every earlier test's afterEach has added its fixture's secrets by now.
  it('no captured stdout or stderr contains the client secret, a refresh token, an access token or a code', () => {
    expect(captured.length).toBeGreaterThan(20);
    expect(allSecrets.length).toBeGreaterThan(20);
    expectNoSecrets(captured, allSecrets);
  });
});
