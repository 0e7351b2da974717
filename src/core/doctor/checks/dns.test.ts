import { describe, expect, it } from 'vitest';
import { fakeDoctorContext } from '../../../../test/doctor/harness.js';
import { dnsCheck } from './dns.js';

// `.invalid` is reserved (RFC 2606): it never resolves, with or without a network.
const withHosts = (loginUrl: string, instanceUrl?: string) => {
  const base = fakeDoctorContext();
  return { ...base, profile: { ...base.profile!, loginUrl, instanceUrl } };
};

describe('DNS', () => {
  it('needs no lookup for an address', async () => {
    const o = await dnsCheck.run(withHosts('http://127.0.0.1:8080', 'http://127.0.0.1:8081'));
    expect(o).toEqual({ status: 'pass', summary: '127.0.0.1 is an address (no lookup needed)' });
  });

  it('a My Domain that does not resolve: check the name, exit 3', async () => {
    const o = await dnsCheck.run(withHosts('http://127.0.0.1:8080', 'https://acme.my.salesforce.invalid'));
    expect(o).toMatchObject({ status: 'fail', exitCode: 3 });
    expect(o.summary).toContain('cannot resolve the instance host (instance_url) acme.my.salesforce.invalid');
    expect(o.fix).toMatch(/^check the instance host/);
  });

  it('nothing resolves: it is the network, not the names', async () => {
    const o = await dnsCheck.run(withHosts('https://login.salesforce.invalid', 'https://acme.my.salesforce.invalid'));
    expect(o.fix).toContain('this machine resolves no Salesforce host');
  });

  it('behind a proxy a failed lookup is only a warning: the proxy resolves names', async () => {
    const base = withHosts('https://acme.my.salesforce.invalid');
    const o = await dnsCheck.run({ ...base, env: { HTTPS_PROXY: 'http://proxy.example:8080' } });
    expect(o.status).toBe('warn');
    expect(o.summary).toContain('requests go through http://proxy.example:8080');
  });
});
