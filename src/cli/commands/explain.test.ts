import { describe, it, expect } from 'vitest';
import { Command } from 'commander';
import { registerExplain } from './explain.js';
import { createTestIO, type TestIO } from '../../../test/support/test-io.js';
import { SilentError, UsageError } from '../../errors.js';
import type { Deps } from '../../deps.js';

/** A program with the real global --json, running `explain` with only the IO it uses. */
async function run(args: string[], opts: { stdin?: string } = {}): Promise<{ t: TestIO; error?: unknown }> {
  const t = createTestIO();
  const deps = { io: t.io } as Partial<Deps> as Deps;
  const program = new Command('sfoauth').option('--json').exitOverride();
  program.configureOutput({ writeOut: (s) => void t.io.stdout.write(s), writeErr: (s) => void t.io.stderr.write(s) });
  registerExplain(program, { deps });
  for (const cmd of program.commands) cmd.exitOverride();
  if (opts.stdin !== undefined) t.stdin.end(opts.stdin);
  try {
    await program.parseAsync(args, { from: 'user' });
    return { t };
  } catch (error) {
    return { t, error };
  }
}

describe('sfoauth explain', () => {
  it('explains a code with cause, fix and both Setup screens', async () => {
    const { t, error } = await run(['explain', 'invalid_grant:', 'expired', 'access/refresh', 'token']);
    expect(error).toBeUndefined();
    const out = t.stdout();
    expect(out).toContain('invalid_grant: expired access/refresh token\n  The refresh token no longer works\n');
    expect(out).toContain('  Cause: Salesforce no longer accepts this refresh token.');
    expect(out).toContain('  Fix:   Re-run `sfoauth init --profile <name>`');
    expect(out).toMatch(/ {2}Setup: External Client App: .*Policies tab → Edit → OAuth Policies → App Authorization → Refresh Token Policy\n/);
    expect(out).toMatch(/\n {9}Connected App: .*Manage Connected Apps.*OAuth Policies → Refresh Token Policy\n/);
    expect(t.stderr()).toBe('');
  });

  it('joins the words of an unquoted paste and reads a redirected URL', async () => {
    const { t } = await run([
      'explain',
      'http://localhost:1717/OauthRedirect?error=invalid_request&error_description=missing+required+code+challenge&state=x',
    ]);
    expect(t.stdout()).toContain('invalid_request: missing required code challenge\n  The app requires PKCE');
  });

  it('--app-type keeps only that app type\'s Setup screen', async () => {
    const { t } = await run(['explain', '--app-type', 'connected-app', 'invalid_client_id']);
    expect(t.stdout()).toContain('Setup: Setup → Quick Find "App Manager" → ▾ next to <app> → View → Manage Consumer Details');
    expect(t.stdout()).not.toContain('External Client App:');
  });

  it('reads the paste from stdin with "-"', async () => {
    const page = '<html><body><pre>error=invalid_client_id&amp;error_description=client%20identifier%20invalid</pre></body></html>';
    const { t, error } = await run(['explain', '-'], { stdin: page });
    expect(error).toBeUndefined();
    expect(t.stdout()).toContain('invalid_client_id: client identifier invalid\n');
    expect(t.stdout()).toContain('`sfoauth init --wait 10`');
  });

  it('explains each error of a multi-error paste', async () => {
    const { t } = await run(['explain', '-'], {
      stdin: '{"error":"invalid_client","error_description":"invalid client credentials"}\n[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]',
    });
    expect(t.stdout()).toContain('invalid_client: invalid client credentials');
    expect(t.stdout()).toContain('\n\nINVALID_SESSION_ID: Session expired or invalid');
  });

  it('says so for an unknown error, suggests the closest codes, and exits 1', async () => {
    const { t, error } = await run(['explain', 'invalid_client_idd']);
    expect(error).toBeInstanceOf(SilentError);
    expect((error as SilentError).exitCode).toBe(1);
    expect(t.stdout()).toContain('sfoauth does not know this error: invalid_client_idd\n');
    expect(t.stdout()).toContain('  Input: invalid_client_idd\n');
    expect(t.stdout()).toMatch(/Closest known: invalid_client_id, \w+, \w+\n/);
    expect(t.stdout()).toContain('sfoauth doctor');
  });

  it('--json writes one document with every match', async () => {
    const { t, error } = await run(['explain', '--json', 'OAUTH_APP_BLOCKED']);
    expect(error).toBeUndefined();
    const doc = JSON.parse(t.stdout()) as { input: string; matches: Record<string, unknown>[] };
    expect(doc.input).toBe('OAUTH_APP_BLOCKED');
    expect(doc.matches).toHaveLength(1);
    expect(doc.matches[0]).toMatchObject({ code: 'OAUTH_APP_BLOCKED', description: null, known: true, title: 'An admin blocked this app in the org' });
    expect(doc.matches[0]!.setup).toContain('OAuth Usage');
  });

  it('--json after the text, unknown: known false, closest codes, exit 1', async () => {
    const { t, error } = await run(['explain', 'brand_new_error', '--json']);
    expect(error).toBeInstanceOf(SilentError);
    const doc = JSON.parse(t.stdout()) as { matches: Record<string, unknown>[] };
    expect(doc.matches[0]).toMatchObject({ code: 'brand_new_error', known: false, setup: null });
    expect(doc.matches[0]!.closest).toHaveLength(3);
  });

  it('a URL with no error is a usage error that shows it sanitized, never echoing its authorization code', async () => {
    const { t, error } = await run(['explain', 'http://localhost:1717/OauthRedirect?code=aPrxSECRET%3D%3D&state=s']);
    expect(error).toBeInstanceOf(UsageError);
    const e = error as UsageError;
    expect(e.message).toBe('No OAuth error in this URL: http://localhost:1717/OauthRedirect?code=********&state=s');
    expect(e.hint).toContain('the login itself worked');
    expect(`${e.message} ${e.hint ?? ''} ${t.stdout()} ${t.stderr()}`).not.toContain('aPrxSECRET');
  });

  it('an authorize URL with no error says where Salesforce puts one', async () => {
    const { error } = await run(['explain', 'https://acme.my.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVGabc&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect']);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/^No OAuth error in this URL: https:\/\/acme\.my\.salesforce\.com\/services\/oauth2\/authorize\?/);
    expect((error as UsageError).hint).toContain('error and error_description parameters');
  });

  it('redirect_uri_mismatch with the authorize URL pasted names the callback URL that was sent', async () => {
    const page = 'https://acme.my.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVGabc&redirect_uri=http%3A%2F%2Flocalhost%3A1818%2Fcb\nerror=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration';
    const { t } = await run(['explain', page]);
    expect(t.stdout()).toContain('Fix:   Add http://localhost:1818/cb (the callback URL sent as redirect_uri) to the app\'s Callback URL list');
  });

  it('refuses empty stdin as a usage error', async () => {
    const { error } = await run(['explain', '-'], { stdin: '  \n' });
    expect(error).toBeInstanceOf(UsageError);
  });

  it('shows examples in its help', async () => {
    const { t } = await run(['explain', '--help']);
    expect(t.stdout()).toContain('Usage: sfoauth explain [options] <text...>');
    expect(t.stdout()).toContain('$ sfoauth explain invalid_client_id');
  });
});
