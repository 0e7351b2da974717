import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeDoctorContext } from '../../../../test/doctor/harness.js';
import * as certificate from '../../../platform/certificate.js';
import type { ClientCredentialsProfile, JwtBearerProfile } from '../../config/profile.js';
import { serverFlowCheck } from './server-flow.js';

const base = { env: 'production' as const, appType: 'external-client-app' as const, clientId: `3MVG9${'k'.repeat(80)}`, scopes: [], createdAt: '2026-01-01T00:00:00.000Z' };
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const clock = { now: () => NOW, sleep: () => Promise.resolve() };
let dir: string;
let keyFile: string;
let certificateFile: string;
let otherCertificate: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-server-flow-'));
  ({ keyFile, certificateFile } = certificate.writeKeyAndCertificate(join(dir, 'a.key'), await certificate.generateKeyAndCertificate({ commonName: 'a', now: NOW })));
  otherCertificate = certificate.writeKeyAndCertificate(join(dir, 'b.key'), await certificate.generateKeyAndCertificate({ commonName: 'b', now: NOW })).certificateFile;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function jwt(over: Partial<JwtBearerProfile> = {}): JwtBearerProfile {
  return { ...base, flow: 'jwt-bearer', loginUrl: 'https://login.salesforce.com', username: 'ci@acme.example', audience: 'https://login.salesforce.com', privateKeyFile: keyFile, certificateFile, ...over };
}
const run = (profile: JwtBearerProfile | ClientCredentialsProfile, now = clock) => serverFlowCheck.run(fakeDoctorContext({ profile, keyFiles: certificate, clock: now }));

describe('server-to-server credentials (doctor)', () => {
  it('client credentials: a My Domain passes, login.salesforce.com fails with the fix, before anything is sent', async () => {
    const cc: ClientCredentialsProfile = { ...base, flow: 'client-credentials', clientSecret: 'F'.repeat(64), loginUrl: 'https://acme.my.salesforce.com' };
    expect(await run(cc)).toMatchObject({ status: 'pass' });
    const generic = await run({ ...cc, loginUrl: 'https://login.salesforce.com' });
    expect(generic).toMatchObject({ status: 'fail' });
    expect(generic.summary).toContain("only works on the org's My Domain");
    expect(generic.fix).toContain('.my.salesforce.com');
  });

  it('JWT bearer: key 0600, matching certificate, aud for the environment', async () => {
    const o = await run(jwt());
    expect(o.status).toBe('pass');
    expect(o.summary).toContain('certificate matches');
    expect(o.summary).not.toContain('PRIVATE KEY');
  });

  it('JWT bearer: a key others can read, a certificate of another key, an expired certificate, a wrong aud', async () => {
    await chmod(keyFile, 0o640);
    expect(await run(jwt())).toMatchObject({ status: 'fail', fix: `chmod 600 ${keyFile}` });
    await chmod(keyFile, 0o600);
    expect((await run(jwt({ certificateFile: otherCertificate }))).summary).toContain('does not belong to the private key');
    const later = { now: () => NOW + 800 * 86_400_000, sleep: () => Promise.resolve() };
    expect((await run(jwt(), later)).summary).toMatch(/the certificate expired on/);
    const wrongAud = await run(jwt({ audience: 'https://test.salesforce.com' }));
    expect(wrongAud).toMatchObject({ status: 'fail' });
    expect(wrongAud.summary).toContain('audience is invalid');
    expect((await run(jwt({ privateKeyFile: join(dir, 'missing.key') }))).status).toBe('fail');
  });
});
