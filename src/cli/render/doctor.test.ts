import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../core/checks/check.js';
import type { DoctorGroup } from '../../core/doctor/context.js';
import type { DoctorReport, DoctorResult } from '../../app/doctor.js';
import { plainColors } from '../io.js';
import { DoctorPrinter, renderDoctorReport, skipReason } from './doctor.js';

const result = (id: string, title: string, status: CheckResult['status'], summary: string, blockedBy?: string): CheckResult => ({
  id,
  title,
  status,
  summary,
  durationMs: 0,
  ...(blockedBy ? { blockedBy } : {}),
});

describe('skipReason', () => {
  it('follows blockedBy (ids, not the summary text) back to the check that started the skips', () => {
    const all = [
      result('profile', 'Profile', 'fail', 'no profile "ci"'),
      result('login-url', 'Login host', 'skip', 'not checked', 'profile'),
      result('dns', 'DNS', 'skip', 'not checked', 'login-url'),
    ];
    expect(skipReason(all[2]!, all)).toBe('skipped: "Profile" did not pass');
  });

  it('a skip the check decided itself (e.g. --offline) is its own reason', () => {
    const offline = result('dns', 'DNS', 'skip', 'skipped: --offline');
    expect(skipReason(offline, [offline])).toBe('skipped: --offline');
    const all = [offline, result('tcp-tls', 'TCP and TLS', 'skip', 'skipped: "DNS" did not pass', 'dns')];
    expect(skipReason(all[1]!, all)).toBe('skipped: --offline');
  });
});

describe('DoctorPrinter (the report as checks land)', () => {
  const r = (id: string, group: DoctorGroup, status: CheckResult['status'], summary = `${id} summary`, blockedBy?: string): DoctorResult => ({
    ...result(id, id.toUpperCase(), status, summary, blockedBy),
    group,
  });
  const results = [
    r('node', 'machine', 'pass'),
    r('profile', 'profile', 'fail', 'no profile "ci"'),
    r('dns', 'network', 'skip', 'not checked', 'profile'),
    r('tcp', 'network', 'skip', 'not checked', 'dns'),
    r('refresh', 'token', 'skip', 'not checked', 'profile'),
    r('posture', 'token', 'pass'),
  ];
  const report: DoctorReport = {
    ok: false,
    exitCode: 2,
    profile: 'ci',
    source: 'profile',
    sourceDetail: '/cfg/config.json',
    configFile: '/cfg/config.json',
    offline: false,
    nothingConfigured: false,
    checks: results,
    verdict: 'Doctor found 1 problem. First fix: x',
    firstFix: 'x',
  };

  it('prints each group title as the group comes up, each check as it lands, and says what is in flight', () => {
    const p = new DoctorPrinter({ ...report, checks: results }, plainColors);
    expect(p.start()).toEqual(['sfoauth doctor — profile "ci" (/cfg/config.json)', '', 'This machine']);
    expect(p.inFlight()).toBe('NODE');
    expect(p.add(results[0]!)).toEqual(['  ✓ NODE: node summary (0 ms)', '', 'Profile']);
    expect(p.add(results[1]!)).toEqual(['  ✗ PROFILE: no profile "ci" (0 ms)', '', 'Network']);
    // A skip is held until its group shows more than skips…
    expect(p.add(results[2]!)).toEqual([]);
    // …and a group of nothing but skips takes one line, with the reason traced to its start.
    expect(p.add(results[3]!)).toEqual(['  - skipped: "PROFILE" did not pass', '', 'The saved token']);
    expect(p.inFlight()).toBe('REFRESH');
    expect(p.add(results[4]!)).toEqual([]);
    // A group with a real result shows its held skips too, in order.
    expect(p.add(results[5]!)).toEqual(['  - REFRESH: not checked (0 ms)', '  ✓ POSTURE: posture summary (0 ms)']);
    expect(p.inFlight()).toBeUndefined();
  });

  it('renderDoctorReport is the same report printed at once, then the verdict', () => {
    const lines = renderDoctorReport(report, plainColors);
    const p = new DoctorPrinter({ ...report, checks: results }, plainColors);
    expect(lines).toEqual([...p.start(), ...results.flatMap((x) => p.add(x)), '', '2 passed, 0 warnings, 1 failed, 3 skipped', report.verdict]);
  });
});
