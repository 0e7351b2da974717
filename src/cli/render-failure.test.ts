/**
 * One failure, every command's path: main (token, init and any uncaught error), the checks of test and
 * doctor, and explain show the same cause, the same fix (with the real profile name) and the same Setup
 * screens (the profile's app type only).
 */
import { describe, expect, it } from 'vitest';
import { SalesforceError } from '../errors.js';
import { explainFailure, failureOf, inFailureContext, type FailureContext } from '../core/salesforce/explain-failure.js';
import { outcomeFromCallError } from '../core/verify/explain-outcome.js';
import { failureContextFor, type VerifyContext } from '../core/verify/context.js';
import { renderCheck } from './render-checks.js';
import { failureLines } from './render-failure.js';
import { reportError } from './report-error.js';
import { plainColors } from './io.js';
import { createTestIO } from '../../test/support/test-io.js';

const revoked = () => new SalesforceError('token', 'invalid_grant', 'expired access/refresh token', { status: 400 });
const ctx: FailureContext = { input: { mode: 'profile', profile: 'ci' }, appType: 'connected-app' };
const expected = explainFailure(failureOf(revoked()), ctx);

/** The text after each label, whatever the indentation and the check renderer's arrow. */
function parts(lines: string[]): { cause?: string; fix?: string; setup: string[] } {
  const text = lines.map((l) => l.trim());
  const after = (label: string) => text.find((l) => l.replace(/^→ /, '').startsWith(label))?.replace(/^→ /, '').slice(label.length).trim();
  const setupAt = text.findIndex((l) => l.startsWith('Setup:'));
  const setup = setupAt < 0 ? [] : [text[setupAt]!.slice('Setup:'.length).trim(), ...text.slice(setupAt + 1).filter((l) => l.startsWith('Setup →'))];
  return { cause: after('Cause:'), fix: after('Fix:'), setup };
}

describe('a failure reads the same in every command', () => {
  it('the explanation is concrete: the real profile name, the Connected App screens only', () => {
    expect(expected.fix).toContain('sfoauth init --profile ci');
    expect(expected.fix).not.toContain('<name>');
    expect(expected.setup.length).toBeGreaterThan(0);
    expect(expected.setup.join('\n')).not.toMatch(/External Client App/);
  });

  it('main (token, init, any command) and the checks of test and doctor show the same cause, fix and Setup', async () => {
    const t = createTestIO();
    const err = await inFailureContext(ctx, () => Promise.reject(revoked())).catch((e: unknown) => e);
    await reportError(err, t.io);
    const fromMain = parts(t.stderr().split('\n'));

    const outcome = outcomeFromCallError(revoked(), ctx);
    const fromCheck = parts(renderCheck({ id: 'refresh', title: 'Refresh token grant', durationMs: 1, ...outcome }, plainColors));

    const want = { cause: expected.cause, fix: expected.fix, setup: expected.setup };
    expect(fromMain).toEqual(want);
    expect(fromCheck).toEqual(want);
  });

  it('test and doctor build that context from where the credentials came from', () => {
    const profile = { appType: 'connected-app' } as VerifyContext['profile'];
    expect(failureContextFor({ source: 'profile', profileName: 'ci', profile } as VerifyContext)).toEqual(ctx);
    const env = explainFailure(failureOf(revoked()), failureContextFor({ source: 'env', profileName: 'default', profile } as VerifyContext));
    expect(env.fix).toContain('SFOAUTH_REFRESH_TOKEN');
    expect(env.fix).not.toContain('--profile');
  });
});

describe('failure and check lines on a narrow terminal', () => {
  it('wrap under the label\'s text, keep every word, and stay one line each without a width', () => {
    const lines = failureLines(expected, plainColors, '  ', 50);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
    const cont = lines.filter((l) => !/^ {2}(Cause|Fix|Setup):/.test(l));
    expect(cont.length).toBeGreaterThan(0);
    for (const l of cont) expect(l.startsWith(' '.repeat(9))).toBe(true);
    expect(failureLines(expected, plainColors)).toHaveLength(2 + expected.setup.length);
  });

  it('a check\'s fix wraps under "→ Fix:"', () => {
    const out = renderCheck({ id: 'refresh', title: 'Refresh token grant', status: 'fail', summary: 'refused', durationMs: 1, fix: expected.fix }, plainColors, 60);
    const at = out.findIndex((l) => l.startsWith('      → Fix: '));
    expect(out[at + 1]!.startsWith(' '.repeat(13))).toBe(true);
    for (const l of out.slice(at)) expect(l.length).toBeLessThanOrEqual(60);
  });

  it("a check's result line wraps under its title; without a width it stays one line", () => {
    const summary = 'login 127.0.0.1:40111: TCP 9 ms; plain http on this machine (the emulator), so TLS is not used; instance 127.0.0.1:41537: TCP 9 ms';
    const r = { id: 'tcp', title: 'TCP and TLS', status: 'pass' as const, summary, durationMs: 10 };
    const out = renderCheck(r, plainColors, 60);
    expect(out.length).toBeGreaterThan(1);
    expect(out[0]!.startsWith('  ✓ TCP and TLS: ')).toBe(true);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(60);
    for (const l of out.slice(1)) expect(l).toMatch(/^ {4}\S/);
    expect(out.join(' ').replace(/ +/g, ' ').trim()).toBe(`✓ TCP and TLS: ${summary} (10 ms)`);
    expect(renderCheck(r, plainColors)).toEqual([`  ✓ TCP and TLS: ${summary} (10 ms)`]);
  });
});
