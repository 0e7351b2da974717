import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../errors.js';
import { networkFailureFix } from './network-fix.js';

describe('networkFailureFix', () => {
  it("a 5xx is Salesforce's side: status.salesforce.com and a retry, not the network", () => {
    const fix = networkFailureFix(new NetworkError('server', 'login.salesforce.com', 'answered 503', { status: 503 }), 'check your network and proxy settings');
    expect(fix).toContain("login.salesforce.com is failing on Salesforce's side (HTTP 503)");
    expect(fix).toContain('https://status.salesforce.com');
    expect(fix).not.toContain('check your network');
  });

  it('other failures keep their own hint, else the check\'s fallback', () => {
    expect(networkFailureFix(new NetworkError('refused', 'h', 'refused', { hint: 'start the emulator' }), 'fallback')).toBe('start the emulator');
    expect(networkFailureFix(new NetworkError('dns', 'h', 'no such host'), 'check your network')).toBe('check your network');
  });
});
