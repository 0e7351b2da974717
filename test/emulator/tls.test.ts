/** `tls: true`: both hosts on https with a certificate from a throwaway CA that clients can trust. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { httpsCall } from '../support/https-login.js';

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('emulator over https', () => {
  it('serves both hosts on https with a certificate for 127.0.0.1 signed by the CA in caFile; close() removes the file', async () => {
    const e = (emu = await startEmulator({ tls: true, autoApprove: true }));
    expect(e.loginUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(e.instanceUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const caFile = e.caFile!;
    const ca = await readFile(caFile, 'utf8');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const versions = await httpsCall(`${e.instanceUrl}/services/data/`, ca);
    expect(versions.status).toBe(200);
    expect((await httpsCall(`${e.loginUrl}/.well-known/openid-configuration`, ca)).status).toBe(200);
    // Without the CA the certificate is not trusted: it is not a public one.
    await expect(httpsCall(`${e.instanceUrl}/services/data/`, undefined)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    await e.close();
    emu = undefined;
    expect(existsSync(caFile)).toBe(false);
  });

  it('localhost works too (the certificate names localhost and ::1)', async () => {
    const e = (emu = await startEmulator({ tls: true, host: 'localhost' }));
    const ca = await readFile(e.caFile!, 'utf8');
    expect(e.instanceUrl).toMatch(/^https:\/\/localhost:\d+$/);
    expect((await httpsCall(`${e.instanceUrl}/services/data/`, ca)).status).toBe(200);
  });

  it('without tls there is no caFile', async () => {
    const e = (emu = await startEmulator());
    expect(e.caFile).toBeUndefined();
    expect(e.loginUrl.startsWith('http://')).toBe(true);
  });
});
