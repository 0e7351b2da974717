/** `sfoauth doctor` as a command: no profile, env-var mode, --json, annotations, and the report's shape. */
import { readdir, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/app/doctor.js';
import { verdictOf } from '../../src/core/doctor/verdict.js';
import { renderDoctorReport } from '../../src/cli/render/doctor.js';
import { plainColors } from '../../src/cli/io.js';
import { realClock } from '../../src/deps.js';
import { openConfStore } from '../../src/platform/conf-store.js';
import type { CheckResult } from '../../src/core/checks/check.js';
import { firstProblem, runDoctorCommand, setup, tempConfigDir, type Fixture } from './harness.js';

let fixture: Fixture | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function emptyDir(): Promise<string> {
  const d = await tempConfigDir();
  dirs.push(d);
  return d;
}

describe('sfoauth doctor with nothing configured', () => {
  it('checks the machine, says how to start, exits 0 and creates nothing', async () => {
    const dir = await emptyDir();
    const run = await runDoctorCommand([], { configDir: dir });
    expect(run.code).toBe(0);
    expect(run.lines[0]).toContain('no profile yet');
    expect(run.stdout).toContain('✓ Node.js version');
    expect(run.stdout).toContain('no profile and no SFOAUTH_* variables: nothing to check beyond this machine');
    const verdict = run.lines.filter(Boolean).at(-1)!;
    expect(verdict).toContain('only this machine was checked');
    expect(verdict).toContain('`sfoauth init`');
    expect(verdict).toContain('`sfoauth steps`');
    expect(verdict).toContain('`sfoauth demo`');
    expect(await readdir(dir)).toEqual([]);
  });

  it('--json says so too', async () => {
    const run = await runDoctorCommand(['--json'], { configDir: await emptyDir() });
    const doc = JSON.parse(run.stdout) as { ok: boolean; profile: string | null; source: string; firstFix: string };
    expect(doc).toMatchObject({ ok: true, profile: null, source: 'none', firstFix: 'sfoauth init' });
  });

  it('a profile name that does not exist, when others do, is a configuration error with the names', async () => {
    const f = (fixture = await setup());
    const run = await runDoctorCommand(['--profile', 'ci', '--offline'], { configDir: f.dir });
    expect(run.code).toBe(2);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Profile: no profile "ci"');
    expect(p.fix).toContain('default');
  });
});

describe('sfoauth doctor --json and CI output', () => {
  it('writes one JSON document with every check, its group and the verdict', async () => {
    const f = (fixture = await setup());
    f.emu.revokeAll();
    const run = await runDoctorCommand(['--json'], { configDir: f.dir });
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as {
      ok: boolean;
      profile: string;
      source: string;
      verdict: string;
      firstFix: string;
      checks: { id: string; group: string; status: string; summary: string; detail: string[]; fix: string | null; durationMs: number }[];
    };
    expect(Object.keys(doc)).toEqual(['ok', 'profile', 'source', 'verdict', 'firstFix', 'checks']);
    expect(doc).toMatchObject({ ok: false, profile: 'default', source: 'profile' });
    expect(doc.verdict).toBe(`Doctor found 1 problem. First fix: ${doc.firstFix}`);
    const refresh = doc.checks.find((c) => c.id === 'refresh')!;
    expect(refresh).toMatchObject({ group: 'token', status: 'fail', fix: doc.firstFix });
    expect(Object.keys(refresh)).toEqual(['id', 'group', 'status', 'summary', 'detail', 'fix', 'durationMs']);
    expect(new Set(doc.checks.map((c) => c.group))).toEqual(new Set(['machine', 'profile', 'network', 'app', 'token']));
    // --json: the document (parsed whole above) is all there is; no human report on either stream.
    expect(run.stdout).not.toContain('sfoauth doctor —');
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain(f.app.clientSecret);
  });

  it('writes ::error:: annotations for failures under GitHub Actions', async () => {
    const f = (fixture = await setup());
    f.emu.setFault('userInactive', true);
    const run = await runDoctorCommand([], { configDir: f.dir, env: { GITHUB_ACTIONS: 'true' } });
    // Annotations go to stdout, where GitHub reads workflow commands, after the report.
    expect(run.lines.filter((l) => l.startsWith('::error title=sfoauth doctor%3A Refresh token grant::'))).toHaveLength(1);
    expect(run.lines.findIndex((l) => l.startsWith('::error'))).toBeGreaterThan(run.lines.findIndex((l) => l.startsWith('Doctor found')));
    expect(run.stderr).not.toContain('::error');
  });

  it('--json under GitHub Actions: one document, no annotations (they would break it)', async () => {
    const f = (fixture = await setup());
    f.emu.setFault('userInactive', true);
    const run = await runDoctorCommand(['--json'], { configDir: f.dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false });
    expect(run.stdout + run.stderr).not.toContain('::error');
  });

  it('runs on SFOAUTH_* variables, with no callback checks', async () => {
    const f = (fixture = await setup());
    const env = {
      SFOAUTH_CLIENT_ID: f.app.clientId,
      SFOAUTH_CLIENT_SECRET: f.app.clientSecret,
      SFOAUTH_REFRESH_TOKEN: f.profile.refreshToken!,
      SFOAUTH_LOGIN_URL: f.emu.loginUrl,
      SFOAUTH_INSTANCE_URL: f.emu.instanceUrl,
    };
    const run = await runDoctorCommand([], { configDir: await emptyDir(), env });
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe('sfoauth doctor — credentials from SFOAUTH_* environment variables');
    expect(run.stdout).toContain('✓ Profile: SFOAUTH_* environment variables');
    expect(run.stdout).toContain('- Callback URL and port: SFOAUTH_* variables name no callback URL');
    // The CI secret's refresh token is never spent by doctor (a rotating app would kill it).
    expect(run.stdout).toContain('- doctor does not spend SFOAUTH_REFRESH_TOKEN');
    expect(run.stdout + run.stderr).not.toContain(f.app.clientSecret);
  });
});

describe('runDoctor', () => {
  it('reports an unsupported Node.js first', async () => {
    const dir = await emptyDir();
    const env = {};
    const report = await runDoctor(
      { configDir: dir, offline: true, fix: false, nodeVersion: 'v18.19.0' },
      {
        env,
        fetch: globalThis.fetch,
        clock: realClock,
        random: (n) => new Uint8Array(n).fill(7),
        openStore: (d) => openConfStore({ configDir: d, env }),
        signal: new AbortController().signal,
      },
    );
    expect(report.exitCode).toBe(1);
    expect(report.checks[0]).toMatchObject({ id: 'node-version', status: 'fail' });
    expect(report.verdict).toContain('First fix: install a current Node.js LTS');
    const lines = renderDoctorReport(report, plainColors);
    expect(lines.find((l) => l.includes('✗'))).toContain('Node.js v18.19.0 is too old');
  });
});

describe('verdictOf', () => {
  const r = (id: string, status: CheckResult['status'], fix?: string): CheckResult => ({
    id,
    title: id.toUpperCase(),
    status,
    summary: `${id} summary`,
    durationMs: 0,
    ...(fix ? { fix } : {}),
  });

  it('leads with the first failure in report order', () => {
    const v = verdictOf([r('a', 'warn', 'fix a'), r('b', 'fail', 'fix b'), r('c', 'fail', 'fix c')], { nothingConfigured: false, offline: false });
    expect(v).toEqual({ verdict: 'Doctor found 2 problems. First fix: fix b', firstFix: 'fix b' });
  });

  it('with only warnings, names the first one', () => {
    const v = verdictOf([r('refresh', 'pass'), r('b', 'warn', 'fix b')], { nothingConfigured: false, offline: false });
    expect(v.verdict).toBe('No problems found, 1 warning. First: B: fix b');
  });

  it('falls back to the summary when a failure has no fix', () => {
    expect(verdictOf([r('a', 'fail')], { nothingConfigured: false, offline: false }).firstFix).toBe('a summary');
  });

  it('says what --offline left out', () => {
    expect(verdictOf([r('a', 'pass')], { nothingConfigured: false, offline: true }).verdict).toBe(
      'No problems found. (--offline: the network, the app and the token were not checked)',
    );
  });
});

describe('sfoauth doctor with half the SFOAUTH_* variables', () => {
  it('is a configuration error that names the missing variable, not a blank slate', async () => {
    const run = await runDoctorCommand(['--offline'], { configDir: await emptyDir(), env: { SFOAUTH_CLIENT_ID: `3MVG9${'z'.repeat(80)}` } });
    expect(run.code).toBe(2);
    const p = firstProblem(run)!;
    expect(p.line).toContain('✗ Profile: no profile "default"');
    expect(p.fix).toContain('SFOAUTH_REFRESH_TOKEN');
  });
});
