/**
 * Fixes that do not guess, and the smaller things a newcomer meets (issue 12, items 8 and 13), as the
 * user sees them: the built binary, spawned against an in-process emulator with a profile saved by the
 * real init code. Reports are read from `--json` where there is one (the document is the contract; the
 * human report's stream is not this file's concern). Needs `npm run build` first.
 */
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { assertBuilt, REPO_ROOT, runCli, type CliResult, type RunCliOptions } from '../support/run-cli.js';
import { emulatorProfileForTest, otherSecret, type EmulatorProfile, type EmulatorProfileOptions } from '../support/emulator-profile.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { webServer } from '../support/web-server-profile.js';

interface Check {
  id: string;
  status: string;
  summary: string;
  detail?: string[];
  fix: string | null;
}
interface Report {
  ok: boolean;
  verdict?: string;
  firstFix?: string | null;
  checks: Check[];
}

const captured: string[] = [];
const secrets: string[] = [];

beforeAll(() => assertBuilt());

function fixture(ctx: Pick<TestContext, 'onTestFinished'>, opts: EmulatorProfileOptions = {}): Promise<EmulatorProfile> {
  return emulatorProfileForTest(ctx, { secrets: secrets }, opts);
}

async function cli(configDir: string, args: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const r = await runCli(args, { configDir, timeoutMs: 15_000, ...opts });
  if (r.timedOut) throw new Error(`sfoauth ${args.join(' ')} did not finish in time; stderr:\n${r.stderr}`);
  captured.push(r.stdout, r.stderr);
  return r;
}

function report(r: CliResult): Report {
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${String(r.code)}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

const check = (r: Report, id: string): Check => {
  const found = r.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no "${id}" check in ${JSON.stringify(r.checks.map((c) => c.id))}`);
  return found;
};

/** SFOAUTH_* variables for the fixture's app and token; the config directory does not exist. */
async function envVars(f: EmulatorProfile): Promise<Record<string, string>> {
  const p = webServer(await f.store.get(f.profileName));
  return { SFOAUTH_CLIENT_ID: p.clientId, SFOAUTH_CLIENT_SECRET: p.clientSecret!, SFOAUTH_REFRESH_TOKEN: p.refreshToken!, SFOAUTH_LOGIN_URL: f.emulator.loginUrl };
}

describe.concurrent('fixes name what the user has (built binary)', { timeout: 30_000 }, () => {
  it('token: the fix names the real profile, never --profile <name>', async (ctx) => {
    const f = await fixture(ctx, { profileName: 'ci.main' });
    f.emulator.revokeAll();
    const r = await cli(f.configDir, ['token', '--profile', 'ci.main']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('Fix:   Re-run `sfoauth init --profile ci.main` for a new refresh token.');
    expect(r.stderr).not.toContain('<name>');
  });

  it('env-var mode: a refused refresh token says to update SFOAUTH_REFRESH_TOKEN, not to re-run init for a profile', async (ctx) => {
    const f = await fixture(ctx);
    const env = await envVars(f);
    f.emulator.revokeAll();
    const r = await cli(join(f.configDir, 'nowhere'), ['test', '--json'], { env });
    expect(r.code, r.stderr).toBe(1);
    const refresh = check(report(r), 'refresh');
    expect(refresh.fix).toContain('update the SFOAUTH_REFRESH_TOKEN secret');
    expect(refresh.fix).not.toContain('--profile');
  });

  it('env-var mode: a wrong secret says to update SFOAUTH_CLIENT_SECRET; the app type is unknown, so both Setup screens', async (ctx) => {
    const f = await fixture(ctx);
    const wrong = otherSecret(f.app.clientSecret);
    secrets.push(wrong);
    const env = { ...(await envVars(f)), SFOAUTH_CLIENT_SECRET: wrong };
    const r = await cli(join(f.configDir, 'nowhere'), ['test', '--json'], { env });
    expect(r.code, r.stderr).toBe(1);
    const refresh = check(report(r), 'refresh');
    expect(refresh.fix).toContain('Copy the Consumer Secret again and update the SFOAUTH_CLIENT_SECRET secret with it.');
    expect(refresh.fix).not.toContain('sfoauth init');
    // The Setup screens are in the human report (whichever stream carries it).
    const human = await cli(join(f.configDir, 'nowhere'), ['test'], { env });
    expect(human.stdout + human.stderr).toContain('Setup: External Client App: ');
    expect(human.stdout + human.stderr).toContain('Connected App: ');
  });

  it('a saved profile shows only its own app type\'s Setup screens', async (ctx) => {
    const f = await fixture(ctx, { app: { appType: 'connected-app' } });
    const wrong = otherSecret(f.app.clientSecret);
    secrets.push(wrong);
    await f.store.update(f.profileName, { clientSecret: wrong });
    const r = await cli(f.configDir, ['test']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toContain('Manage Consumer Details');
    expect(r.stdout + r.stderr).not.toContain('"External Client App Manager"');
  });

  it('env-var mode: SFOAUTH_ENV that disagrees with the org is fixed by setting the variable, not by init', async (ctx) => {
    const f = await fixture(ctx);
    const r = await cli(join(f.configDir, 'nowhere'), ['test', '--json'], { env: { ...(await envVars(f)), SFOAUTH_ENV: 'sandbox' } });
    expect(r.code, r.stderr).toBe(0);
    const env = check(report(r), 'environment');
    expect(env.status).toBe('warn');
    expect(env.fix).toMatch(/^set SFOAUTH_ENV=production; in Nango use the salesforce integration/);
  });

  it('introspection off on a Connected App profile: the fix names the Connected App screen only', async (ctx) => {
    const f = await fixture(ctx, { app: { appType: 'connected-app' } });
    f.emulator.setFault('introspectionDenied', true);
    const r = await cli(f.configDir, ['test', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const fix = check(report(r), 'introspection').fix ?? '';
    expect(fix).toContain('Introspect All Tokens');
    expect(fix).not.toContain('External Client App');
  });

  it('SFOAUTH_ENV with a wrong value: the fix names the variable and its values, not the --env flag test lacks', async (ctx) => {
    const f = await fixture(ctx);
    const r = await cli(join(f.configDir, 'nowhere'), ['test', '--json'], { env: { ...(await envVars(f)), SFOAUTH_ENV: 'staging' } });
    expect(r.code, r.stderr).toBe(2);
    const config = check(report(r), 'config');
    expect(config.summary).toContain('SFOAUTH_ENV is "staging"');
    expect(config.fix).toContain('Set SFOAUTH_ENV to production (Nango: salesforce) or sandbox (Nango: salesforce-sandbox)');
    expect(config.fix).not.toContain('--env');

    const lightning = await cli(join(f.configDir, 'nowhere'), ['test', '--json'], { env: { ...(await envVars(f)), SFOAUTH_LOGIN_URL: 'https://acme.lightning.force.com' } });
    expect(lightning.code, lightning.stderr).toBe(2);
    expect(check(report(lightning), 'config').fix).toBe('Use your My Domain login host: SFOAUTH_LOGIN_URL=https://acme.my.salesforce.com');

    const flow = await cli(join(f.configDir, 'nowhere'), ['test', '--json'], { env: { ...(await envVars(f)), SFOAUTH_FLOW: 'bogus' } });
    expect(flow.code, flow.stderr).toBe(2);
    expect(check(report(flow), 'config').fix).not.toMatch(/SFOAUTH_ENV|SFOAUTH_LOGIN_URL/);
  });
});

describe.concurrent('doctor says what it saw (built binary)', { timeout: 30_000 }, () => {
  it("a Salesforce 5xx is Salesforce's side: status.salesforce.com, not 'check your network'", async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('serverError', 1000);
    const r = await cli(f.configDir, ['doctor', '--json']);
    f.emulator.setFault('serverError', 0);
    expect(r.code, r.stderr).toBe(3);
    const app = check(report(r), 'app-credentials');
    expect(app.status).toBe('fail');
    expect(app.fix).toContain("failing on Salesforce's side (HTTP 500), not on your network");
    expect(app.fix).toContain('https://status.salesforce.com');
    expect(report(r).firstFix).not.toMatch(/check your network/);
  });

  it('with nothing wrong but no login to see by (env-var mode), the verdict says what it could not check and what to run', async (ctx) => {
    const f = await fixture(ctx);
    const r = await cli(join(f.configDir, 'nowhere'), ['doctor', '--json'], { env: await envVars(f) });
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r);
    expect(doc.verdict).toMatch(/^No problems found(, \d+ warnings?\. First: .*)? ?(in what doctor can check\.)?/);
    expect(doc.verdict).toContain('cannot see what Salesforce decides after a login');
    expect(doc.verdict).toContain('run `sfoauth test`');
  });
});

describe.concurrent('smaller things (built binary)', { timeout: 30_000 }, () => {
  it('explain <a URL with no error>: exit 2, "no OAuth error", the URL shown with its code masked', async () => {
    const r = await cli('/nonexistent', ['explain', 'http://localhost:1717/OauthRedirect?code=aPrxE2ESECRET%3D%3D&state=xyz']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('No OAuth error in this URL: http://localhost:1717/OauthRedirect?code=********&state=xyz');
    expect(r.stderr).not.toContain('aPrxE2ESECRET');
  });

  it('export to a pipe with masked secrets warns on stderr and names the flag; with --include-secrets it does not', async (ctx) => {
    const f = await fixture(ctx);
    const masked = await cli(f.configDir, ['export']);
    expect(masked.code, masked.stderr).toBe(0);
    expect(masked.stderr).toMatch(/masked \(\*+\), not usable values\. Pass --include-secrets/);
    const clear = await runCli(['export', '--include-secrets'], { configDir: f.configDir });
    expect(clear.code, clear.stderr).toBe(0);
    captured.push(clear.stderr);
    expect(clear.stderr).not.toContain('masked');
  });

  it('logout without --revoke says the token stays valid at Salesforce and how to revoke; with --revoke it does not', async (ctx) => {
    const f = await fixture(ctx);
    const r = await cli(f.configDir, ['logout', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Its refresh token is still valid at Salesforce');
    expect(r.stderr).toContain('sfoauth logout --revoke');
    expect(r.stderr).toContain('External Client Apps OAuth Usage');

    const g = await fixture(ctx);
    const revoked = await cli(g.configDir, ['logout', '--yes', '--revoke']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).not.toContain('still valid');
  });
});

/** Runs the binary under a pseudo-terminal `columns` wide (util-linux `script`), output as the terminal got it. */
function underPty(args: string[], columns: number): Promise<string> {
  const command = `stty cols ${columns} rows 50; exec ${JSON.stringify(process.execPath)} bin/sfoauth.js ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', TERM: 'xterm' }, timeout: 15_000 }, (err, stdout) =>
      // `script -e` exits with the command's code: a non-zero exit is a result here, not a failure to run.
      err && typeof err.code !== 'number' ? reject(err) : resolve(stdout.replace(/\r\n/g, '\n')),
    );
  });
}
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

describe('long lines on a terminal (built binary)', { timeout: 30_000 }, () => {
  it.runIf(hasScript)('steps wraps its prose to the terminal\'s width, never a URL or value; piped, one line per step', async () => {
    const screen = await underPty(['steps'], 60);
    const lines = screen.split('\n');
    expect(lines.some((l) => l.startsWith('        ') && !l.trim().startsWith('http'))).toBe(true); // a continuation
    // Values to paste (indented past the step text) are never wrapped; everything else fits.
    for (const l of lines) if (!/^ {11}/.test(l) && !l.startsWith('Then run:') && !/\S{45,}/.test(l)) expect(l.length, l).toBeLessThanOrEqual(60);
    expect(screen).toContain('https://login.salesforce.com/lightning/setup/ManageExternalClientApplication/home');

    const piped = await cli('/nonexistent', ['steps']);
    expect(piped.stdout.split('\n').some((l) => l.length > 60)).toBe(true);
  });

  it.runIf(hasScript)('an error\'s hint wraps under its arrow', async () => {
    const screen = await underPty(['explain', "'https://acme.my.salesforce.com/services/oauth2/authorize?client_id=abc'"], 60);
    const hint = screen.split('\n').filter((l) => l.startsWith('→ ') || l.startsWith('  '));
    expect(hint.length).toBeGreaterThan(1);
    expect(hint[0]).toMatch(/^→ Salesforce puts an error/);
    for (const l of hint) expect(l.length, l).toBeLessThanOrEqual(60);
  });
});

describe('secret scan', () => {
  it('no captured output holds a secret', () => {
    expectNoSecrets(captured, secrets);
  });
});
