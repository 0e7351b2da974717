/**
 * `init --client-secret <value>`: refused with the reason and what to use instead (a flag lands in shell
 * history and `ps`), exit 2, and the value itself is never printed back.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

describe('init --client-secret', () => {
  it('is refused with the reason and the alternatives, without echoing the secret', async () => {
    const secret = 'F00DCAFE1234567890SECRETVALUE';
    const r = await runCli(['init', '--client-id', '3MVG9abc', '--client-secret', secret, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('never takes the Consumer Secret as a flag');
    expect(r.stderr).toContain('--client-secret-stdin');
    expect(r.stderr).toContain('SFOAUTH_CLIENT_SECRET');
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stderr).not.toMatch(/unknown option/);
  });

  it('is not listed in --help (it exists only to be refused)', async () => {
    const r = await runCli(['init', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--client-secret-stdin');
    expect(r.stdout).not.toMatch(/--client-secret </);
  });
});
