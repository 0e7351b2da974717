import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../checks/check.js';
import { verdictOf } from './verdict.js';

const r = (id: string, status: CheckResult['status'], fix?: string): CheckResult => ({ id, title: id.toUpperCase(), status, summary: `${id} summary`, durationMs: 0, ...(fix ? { fix } : {}) });
const base = { nothingConfigured: false, offline: false } as const;

describe('verdictOf: "No problems found" claims only what doctor saw', () => {
  it('without a refresh that worked, says doctor cannot see post-login refusals and names init for the profile', () => {
    const v = verdictOf([r('authorize', 'pass'), r('refresh', 'skip')], { ...base, source: 'profile', profile: 'ci' });
    expect(v.verdict).toMatch(/^No problems found in what doctor can check\. /);
    expect(v.verdict).toContain('cannot see what Salesforce decides after a login (the app blocked, not installed');
    expect(v.verdict).toContain('`sfoauth init --profile ci`');
    expect(v.verdict).not.toBe('No problems found.');
    expect(v.firstFix).toBeUndefined(); // no problem, so no fix: the JSON field stays honest too
  });

  it('in env-var mode (doctor never spends the token), points at sfoauth test', () => {
    const v = verdictOf([r('refresh', 'skip')], { ...base, source: 'env', profile: 'env' });
    expect(v.verdict).toContain('run `sfoauth test`');
    expect(v.verdict).not.toContain('sfoauth init');
  });

  it('with warnings only, keeps the first warning and adds what was not seen', () => {
    const v = verdictOf([r('pkce', 'warn', 'tick PKCE'), r('refresh', 'skip')], { ...base, source: 'profile', profile: 'ci' });
    expect(v.verdict).toMatch(/^No problems found, 1 warning\. First: PKCE: tick PKCE Doctor does not log in/);
    expect(v.firstFix).toBe('tick PKCE');
  });

  it('a refresh that worked proves the app is accepted for the user: a plain "No problems found."', () => {
    expect(verdictOf([r('authorize', 'pass'), r('refresh', 'pass')], { ...base, source: 'profile', profile: 'ci' }).verdict).toBe('No problems found.');
  });
});
