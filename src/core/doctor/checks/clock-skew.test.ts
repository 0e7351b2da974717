import { describe, expect, it } from 'vitest';
import { fakeDoctorContext, scriptedHttp } from '../../../../test/doctor/harness.js';
import { clockSkewCheck, describeSkew } from './clock-skew.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const fixedClock = { now: () => NOW, sleep: () => Promise.resolve() };

function run(serverDate: string | undefined) {
  const http = scriptedHttp(() => ({ status: 200, body: '{}', headers: serverDate ? { date: serverDate } : ({} as Record<string, string>) }));
  return { http, result: clockSkewCheck.run(fakeDoctorContext({ http, clock: fixedClock })) };
}

describe('clock skew', () => {
  it('reads the Date header of a GET to the login host', async () => {
    const { http, result } = run(new Date(NOW).toUTCString());
    expect(await result).toMatchObject({ status: 'pass', summary: 'agrees with login.salesforce.com to the second' });
    expect(http.requests[0]).toMatchObject({ method: 'GET', url: 'https://login.salesforce.com/.well-known/openid-configuration' });
  });

  it('warns when this machine is more than 2 minutes behind, with the time sync fix', async () => {
    const o = await run(new Date(NOW + 5 * 60_000).toUTCString()).result;
    expect(o.status).toBe('warn');
    expect(o.summary).toContain("this machine's clock is 5 min behind Salesforce's");
    expect(o.fix).toContain('timedatectl set-ntp true');
  });

  it('passes a small difference and says so', async () => {
    const o = await run(new Date(NOW - 30_000).toUTCString()).result;
    expect(o).toMatchObject({ status: 'pass' });
    expect(o.summary).toContain('30 s ahead of');
  });

  it('skips when there is no Date header', async () => {
    expect((await run(undefined).result).status).toBe('skip');
  });

  it('describes both directions', () => {
    expect(describeSkew(185_000)).toBe('3 min 5 s behind');
    expect(describeSkew(-12_000)).toBe('12 s ahead of');
  });
});
