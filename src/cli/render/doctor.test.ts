import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../core/checks/check.js';
import { skipReason } from './doctor.js';

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
