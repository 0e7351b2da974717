import { describe, it, expect } from 'vitest';
import { Command } from 'commander';
import { guideFromFlags, registerSteps } from './steps.js';
import { createTestIO, type TestIO } from '../../../test/support/test-io.js';
import { UsageError } from '../../errors.js';
import { buildSetupGuide } from '../../core/salesforce/setup-steps.js';
import type { Deps } from '../../deps.js';

/** A program with the real global --json, running `steps` with only the IO it uses. */
async function run(args: string[]): Promise<{ t: TestIO; error?: unknown }> {
  const t = createTestIO();
  const deps = { io: t.io } as Partial<Deps> as Deps;
  const program = new Command('sfoauth').option('--json').exitOverride();
  program.configureOutput({ writeOut: (s) => void t.io.stdout.write(s), writeErr: (s) => void t.io.stderr.write(s) });
  registerSteps(program, { deps });
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(args, { from: 'user' });
    return { t };
  } catch (error) {
    return { t, error };
  }
}

const lines = (t: TestIO) => t.stdout().split('\n');

describe('sfoauth steps', () => {
  it('defaults to a production External Client App with the sfoauth callback and api refresh_token', async () => {
    const { t, error } = await run(['steps']);
    expect(error).toBeUndefined();
    const out = lines(t);
    expect(out[0]).toBe('Create an External Client App for sfoauth (production)');
    expect(out.map((l) => l.trim())).toContain('http://localhost:1717/OauthRedirect');
    expect(out.map((l) => l.trim())).toContain('Access and manage your data (api)');
    expect(out.map((l) => l.trim())).toContain('Perform requests on your behalf at any time (refresh_token, offline_access)');
    expect(out).toContain('Then run: sfoauth init --env production --app-type external-client-app');
    expect(t.stdout()).not.toMatch(/\u001b\[/);
    expect(t.stderr()).toBe('');
  });

  it('prints a sandbox Connected App guide with every callback URL on its own line', async () => {
    const { t, error } = await run([
      'steps',
      '--env',
      'salesforce-sandbox',
      '--app-type',
      'connected-app',
      '--extra-callback-url',
      'https://api.nango.dev/oauth/callback',
      '--extra-callback-url',
      'https://app.example.com/oauth/callback',
    ]);
    expect(error).toBeUndefined();
    const out = t.stdout();
    expect(out.split('\n')[0]).toBe('Create a Connected App for sfoauth (sandbox)');
    expect(out).toContain('Warning: Connected Apps are being retired.');
    expect(out).toMatch(
      /\n {12}http:\/\/localhost:1717\/OauthRedirect\n {12}https:\/\/api\.nango\.dev\/oauth\/callback\n {12}https:\/\/app\.example\.com\/oauth\/callback\n/,
    );
    expect(out).toContain('"salesforce-sandbox" integration');
    expect(out).toContain(
      'Then run: sfoauth init --env sandbox --app-type connected-app --extra-callback-url https://api.nango.dev/oauth/callback ' +
        '--extra-callback-url https://app.example.com/oauth/callback',
    );
  });

  it('prints the migration steps with --migrate', async () => {
    const { t } = await run(['steps', '--env', 'sandbox', '--migrate']);
    expect(t.stdout().split('\n')[0]).toBe('Migrate a Connected App to an External Client App (sandbox)');
    expect(t.stdout()).toContain('Click "Migrate to External Client App".');
  });

  it('takes the environment from a sandbox --login-url when --env is not given', async () => {
    const { t, error } = await run(['steps', '--login-url', 'acme--dev.sandbox.my.salesforce.com', '--scopes', 'api,refresh_token,openid']);
    expect(error).toBeUndefined();
    expect(t.stdout()).toContain('(sandbox)');
    expect(t.stdout()).toContain('https://acme--dev.sandbox.my.salesforce.com/lightning/setup/ManageExternalClientApplication/home');
    expect(t.stdout()).toContain("--scopes 'api refresh_token openid'");
    expect(t.stderr()).toBe('');
  });

  it('warns on stderr, not stdout, when --login-url and --env disagree', async () => {
    const { t, error } = await run(['steps', '--env', 'production', '--login-url', 'https://test.salesforce.com']);
    expect(error).toBeUndefined();
    expect(t.stderr()).toContain('test.salesforce.com is the sandbox login host');
    expect(t.stdout()).not.toContain('is the sandbox login host');
  });

  it('--json prints the guide object and nothing else', async () => {
    const { t, error } = await run(['--json', 'steps', '--env', 'sandbox', '--extra-callback-url', 'https://api.nango.dev/oauth/callback']);
    expect(error).toBeUndefined();
    expect(JSON.parse(t.stdout())).toEqual(
      buildSetupGuide({
        env: 'sandbox',
        appType: 'external-client-app',
        callbackUrls: ['http://localhost:1717/OauthRedirect', 'https://api.nango.dev/oauth/callback'],
        scopes: ['api', 'refresh_token'],
        migrate: false,
      }),
    );
    expect(t.stderr()).toBe('');
  });

  it('shows examples in --help', async () => {
    const { t } = await run(['steps', '--help']);
    expect(t.stdout()).toContain('Examples:');
    expect(t.stdout()).toContain('$ sfoauth steps --env sandbox');
    expect(t.stdout()).toContain('--extra-callback-url <url>');
  });

  const bad: [string, string[], RegExp][] = [
    ['an unknown environment', ['--env', 'staging'], /production.*sandbox/],
    ['an unknown app type', ['--app-type', 'lightning-app'], /external-client-app.*connected-app/],
    ['a callback sfoauth cannot listen on', ['--callback-url', 'https://example.com/cb'], /localhost/],
    ['an extra callback without https', ['--extra-callback-url', 'http://example.com/cb'], /https/],
    ['a Lightning host as login URL', ['--login-url', 'https://acme.lightning.force.com'], /acme\.my\.salesforce\.com/],
    ['an unknown scope', ['--scopes', 'api refresh_tokn'], /refresh_token/],
  ];
  for (const [what, flags, accepted] of bad) {
    it(`refuses ${what} with a UsageError naming what is accepted`, async () => {
      const { t, error } = await run(['steps', ...flags]);
      expect(error).toBeInstanceOf(UsageError);
      const e = error as UsageError;
      expect(`${e.message} ${e.hint ?? ''}`).toMatch(accepted);
      expect(t.stdout()).toBe('');
    });
  }
});

describe('steps --flow', () => {
  it('client credentials: the Run As user for each app type, and the My Domain', async () => {
    const eca = await guideFromFlags({ flow: 'client-credentials', loginUrl: 'https://acme.my.salesforce.com' });
    const text = JSON.stringify(eca.guide);
    expect(eca.guide.title).toBe('Client credentials flow on an External Client App (production)');
    expect(text).toContain('Enable Client Credentials Flow');
    expect(text).toContain('Run As (Username)');
    expect(text).toContain('https://acme.my.salesforce.com');
    expect(eca.warnings).toEqual([]);
    const ca = await guideFromFlags({ flow: 'client-credentials', appType: 'ca' });
    expect(JSON.stringify(ca.guide)).toContain('Edit Policies');
    expect(ca.warnings[0]).toContain("only works on the org's My Domain");
  });

  it('JWT bearer: upload the certificate, pre-authorize the user, the aud of the environment', async () => {
    const { guide } = await guideFromFlags({ flow: 'jwt-bearer', env: 'sandbox' });
    const text = JSON.stringify(guide);
    expect(text).toContain('Enable JWT Bearer Flow');
    expect(text).toContain('Admin approved users are pre-authorized');
    expect(text).toContain("aud is https://test.salesforce.com");
    await expect(guideFromFlags({ flow: 'password' })).rejects.toThrow(/unknown flow/);
  });
});
