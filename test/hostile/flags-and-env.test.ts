/**
 * Proxy and numeric mistakes, through the built CLI: exit 2 naming what was wrong (never "This is a
 * bug"), and a proxy that refuses is reported as the proxy's fault (docs/hostile-input.md).
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, runCli } from '../support/run-cli.js';

beforeAll(() => assertBuilt());

const ENV_MODE = { SFOAUTH_REFRESH_TOKEN: 'refresh-token-value', SFOAUTH_CLIENT_ID: 'client-id', SFOAUTH_LOGIN_URL: 'https://login.salesforce.com' };

/** A loopback port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('proxy variables', () => {
  test.each([
    ['HTTPS_PROXY', '127.0.0.1:3128', /HTTPS_PROXY=127\.0\.0\.1:3128 has no scheme/],
    ['https_proxy', 'ftp://127.0.0.1:21', /https_proxy=ftp:\/\/127\.0\.0\.1 uses the scheme ftp/],
    ['HTTP_PROXY', 'http://', /HTTP_PROXY=http:\/\/ is not a valid URL/],
  ])('%s=%s is exit 2 naming the variable, before any request', async (name, value, message) => {
    const r = await runCli(['test'], { env: { ...ENV_MODE, NO_PROXY: undefined, [name]: value } });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stdout + r.stderr).not.toMatch(/This is a bug|Invalid URL/);
  });

  test('a proxy that refuses the connection is named as the culprit, not Salesforce', async () => {
    const port = await closedPort();
    const r = await runCli(['test'], { env: { ...ENV_MODE, NO_PROXY: undefined, HTTPS_PROXY: `http://127.0.0.1:${port}` } });
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toContain(`The proxy HTTPS_PROXY=http://127.0.0.1:${port} could not be used on the way to login.salesforce.com`);
    expect(r.stdout + r.stderr).not.toMatch(/login\.salesforce\.com refused the connection|emulator is running/);
  });
});

describe('numeric flags', () => {
  test.each([
    [['test', '--timeout', '2147484'], /--timeout 2147484: use a number greater than 0, at most 2147483 seconds/],
    [['test', '--timeout', '0x10'], /--timeout 0x10: use a number/],
    [['test', '--timeout', '5e-324'], /--timeout 5e-324: use a number/],
    [['init', '--timeout', '99999999', '--client-id', 'x', '--yes'], /--timeout 99999999: use a number greater than 0, at most 2147483 seconds/],
    [['init', '--wait', '', '--client-id', 'x', '--yes'], /--wait '': use a number from 0 to 35791 minutes/],
    [['emulator', '--propagation-delay', '1e9'], /--propagation-delay 1e9: use a number/],
    [['emulator', '--fault', 'slowMs=3000000000'], /slowMs.*use 0 to 600000/],
  ])('sfoauth %j is exit 2 with the range', async (args, message) => {
    const r = await runCli(args, { env: ENV_MODE });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/TimeoutOverflowWarning|This is a bug/);
  });
});

describe('env-var mode names the variable that is wrong', () => {
  test.each([
    ['SFOAUTH_LOGIN_URL', 'a\nb', /SFOAUTH_LOGIN_URL is not a valid URL or host name: it contains spaces or control characters/],
    ['SFOAUTH_LOGIN_URL', '../../etc', /SFOAUTH_LOGIN_URL \.\.\/\.\.\/etc: "\.\." has an empty label/],
    ['SFOAUTH_INSTANCE_URL', '-', /SFOAUTH_INSTANCE_URL -: "-" is not a host name/],
  ])('%s=%j: test and doctor exit 2 with the reason', async (name, value, message) => {
    for (const command of ['test', 'doctor']) {
      const r = await runCli([command], { env: { ...ENV_MODE, [name]: value } });
      expect(r.code, command).toBe(2);
      expect(r.stdout + r.stderr).toMatch(message);
    }
  });
});
