import { describe, expect, it } from 'vitest';
import { DOCTOR_CHECKS, doctorChecks } from './checks.js';
import { DOCTOR_GROUPS } from './context.js';
import { VERIFY_CHECKS } from '../verify/checks.js';

describe('the doctor check list', () => {
  it('has unique ids, needs only earlier checks, and keeps the groups in report order', () => {
    const ids = DOCTOR_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    DOCTOR_CHECKS.forEach((c, i) => {
      for (const need of c.needs ?? []) expect(ids.indexOf(need), `${c.id} needs ${need}`).toBeGreaterThanOrEqual(0);
      for (const need of c.needs ?? []) expect(ids.indexOf(need), `${c.id} needs ${need}`).toBeLessThan(i);
    });
    const groupIndex = DOCTOR_CHECKS.map((c) => DOCTOR_GROUPS.indexOf(c.group));
    expect([...groupIndex].sort((a, b) => a - b)).toEqual(groupIndex);
  });

  it('an id names one check across test and doctor: a doctor id shared with test is test\'s own check', () => {
    for (const c of DOCTOR_CHECKS) {
      const same = VERIFY_CHECKS.find((v) => v.id === c.id);
      if (same) expect(c.title, `doctor's "${c.id}" is not test's "${c.id}"`).toBe(same.title);
    }
    const ids = VERIFY_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('includes every check of `sfoauth test` in the token group except the two doctor covers itself', () => {
    const token = DOCTOR_CHECKS.filter((c) => c.group === 'token').map((c) => c.id);
    expect(token).toEqual(['refresh', 'signature', 'userinfo', 'rest-api', 'introspection', 'organization', 'environment', 'refresh-posture', 'app-metadata']);
    // The token group does not wait for the app group.
    const refresh = DOCTOR_CHECKS.find((c) => c.id === 'refresh')!;
    expect(refresh.needs).toEqual(['profile', 'tcp-tls']);
  });

  it('with --offline, everything in the network, app and token groups is a skip that needs nothing', async () => {
    const offline = doctorChecks({ offline: true });
    for (const c of offline.filter((c) => c.group === 'network' || c.group === 'app' || c.group === 'token')) {
      expect(c.needs ?? []).toEqual([]);
      expect(await c.run(undefined as never)).toEqual({ status: 'skip', summary: 'skipped: --offline' });
    }
    expect(offline.filter((c) => c.group === 'machine')).toEqual(DOCTOR_CHECKS.filter((c) => c.group === 'machine'));
  });
});
