import { describe, expect, it } from 'vitest';
import { describeOrg, environmentMismatch, orgSummary } from './org-kind.js';

const developer = { isSandbox: false, edition: 'Developer Edition' };
const production = { isSandbox: false, edition: 'Enterprise Edition' };
const sandbox = { isSandbox: true, edition: 'Enterprise Edition' };
const scratch = { isSandbox: true, edition: 'Developer Edition', trialExpirationDate: '2026-12-08T00:00:00.000+0000' };

describe('org kinds from the Organization record', () => {
  it('IsSandbox decides; TrialExpirationDate tells a scratch org from a sandbox; the edition tells Developer Edition', () => {
    expect([developer, production, sandbox, scratch].map(describeOrg)).toEqual(['a Developer Edition org', 'a production org', 'a sandbox org', 'a scratch org']);
    expect(orgSummary({ ...developer, instanceName: 'USA570' })).toBe('Developer Edition, not a sandbox, instance USA570');
    expect(orgSummary({ isSandbox: true })).toBe('unknown edition, sandbox');
  });

  it('no warning when the chosen environment is the org’s', () => {
    expect(environmentMismatch('production', developer)).toBeUndefined();
    expect(environmentMismatch('production', production)).toBeUndefined();
    expect(environmentMismatch('sandbox', sandbox)).toBeUndefined();
    expect(environmentMismatch('sandbox', scratch)).toBeUndefined();
  });

  it('sandbox chosen for a Developer Edition or production org names salesforce; production for a sandbox names salesforce-sandbox', () => {
    expect(environmentMismatch('sandbox', developer)).toEqual({
      what: 'a Developer Edition org (IsSandbox = false), and a Developer Edition org is not a sandbox',
      env: 'production',
      fix: '--env production; in Nango use the salesforce integration',
    });
    expect(environmentMismatch('sandbox', production)?.what).toBe('a production org (Enterprise Edition; IsSandbox = false)');
    expect(environmentMismatch('production', sandbox)).toEqual({
      what: 'a sandbox org (Enterprise Edition; IsSandbox = true)',
      env: 'sandbox',
      fix: '--env sandbox; in Nango use the salesforce-sandbox integration',
    });
    expect(environmentMismatch('production', scratch)?.what).toBe('a scratch org (IsSandbox = true)');
  });
});
