import { describe, expect, it } from 'vitest';
import { displayProxy, proxyEnvOutcome, proxyFor, proxyValueProblem, proxyVariable } from './proxy-env.js';

describe('proxy variables', () => {
  it('passes when none are set', () => {
    expect(proxyEnvOutcome({})).toMatchObject({ status: 'pass', summary: 'no proxy variables set; connections go direct' });
  });

  it('fails a proxy without a scheme and suggests http://, exit 2', () => {
    const o = proxyEnvOutcome({ HTTPS_PROXY: 'proxy.corp:8080' });
    expect(o).toMatchObject({ status: 'fail', exitCode: 2, summary: 'HTTPS_PROXY=proxy.corp:8080 has no scheme, so every request through it fails' });
    expect(o.fix).toMatch(/^export HTTPS_PROXY=http:\/\/proxy\.corp:8080 /);
  });

  it('never shows a proxy password, with or without a scheme', () => {
    expect(displayProxy('http://me:s3cret@proxy:3128')).toBe('http://me:****@proxy:3128');
    expect(displayProxy('me:s3cret@proxy:3128')).toBe('me:****@proxy:3128');
    const o = proxyEnvOutcome({ https_proxy: 'me:s3cret@proxy:3128' });
    expect(JSON.stringify(o)).not.toContain('s3cret');
  });

  it('refuses schemes Node cannot speak', () => {
    expect(proxyValueProblem('HTTPS_PROXY', 'ftp://proxy:21')?.summary).toContain('uses the scheme ftp');
    expect(proxyValueProblem('HTTPS_PROXY', 'socks5://proxy:1080')).toBeUndefined();
    expect(proxyValueProblem('HTTPS_PROXY', 'http://proxy.corp:8080')).toBeUndefined();
  });

  it('reads the lower-case variable first, as undici does, and warns when they differ', () => {
    const env = { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' };
    expect(proxyVariable(env, 'https')).toEqual({ name: 'https_proxy', value: 'http://a:1' });
    expect(proxyEnvOutcome(env)).toMatchObject({ status: 'warn', summary: 'https_proxy and HTTPS_PROXY differ; https_proxy is the one used' });
    // An empty lower-case value switches the proxy off even when the upper-case one is set.
    expect(proxyVariable({ https_proxy: '', HTTPS_PROXY: 'http://b:2' }, 'https')).toBeUndefined();
  });

  it('applies NO_PROXY like undici: exact host, subdomains, ports and *', () => {
    const env = { HTTPS_PROXY: 'http://proxy:8080', NO_PROXY: '.my.salesforce.com,localhost:9999' };
    expect(proxyFor(env, new URL('https://acme.my.salesforce.com'))).toBeUndefined();
    expect(proxyFor(env, new URL('https://login.salesforce.com'))?.value).toBe('http://proxy:8080');
    expect(proxyFor(env, new URL('http://localhost:9999'))).toBeUndefined();
    expect(proxyFor({ ...env, NO_PROXY: '*' }, new URL('https://login.salesforce.com'))).toBeUndefined();
    // https falls back to HTTP_PROXY.
    expect(proxyFor({ HTTP_PROXY: 'http://p:1' }, new URL('https://login.salesforce.com'))?.name).toBe('HTTP_PROXY');
  });

  it('says where requests to the login host go', () => {
    const o = proxyEnvOutcome({ HTTPS_PROXY: 'http://proxy:8080' }, 'https://login.salesforce.com');
    expect(o).toMatchObject({ status: 'pass', detail: ['requests to login.salesforce.com go through http://proxy:8080'] });
  });

  it('warns about NO_PROXY entries Node does not understand', () => {
    expect(proxyEnvOutcome({ NO_PROXY: '10.0.0.0/8' }).summary).toContain('address range');
    expect(proxyEnvOutcome({ NO_PROXY: 'https://internal.example.com' }).summary).toContain('is a URL');
  });
});
