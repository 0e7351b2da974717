/**
 * The built binary, as a newcomer meets it: choosing profiles (`sfoauth use`, SFOAUTH_PROFILE,
 * `status --profile`), SFOAUTH_* variables set but empty (a missing CI secret), flags (`--env prod`, the
 * "did you mean" for an unknown flag), and, on a pseudo-terminal, secrets typed at a terminal and
 * cancelling (Ctrl-C, or No to a question). Needs `npm run build` first (`npm test` does it).
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { HAS_SCRIPT, runOnPty } from '../support/pty.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { webServerProfile } from '../support/web-server-profile.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-e2e-input-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SECRET = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';

const profile = (instance: string) =>
  webServerProfile({
    clientId: `3MVG9${instance}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
    clientSecret: SECRET,
    refreshToken: `5Aep861${instance}.refresh.token.value.that.is.long`,
    instanceUrl: `https://${instance}.my.salesforce.com`,
    username: `${instance}@acme.example`,
    createdAt: '2025-01-01T00:00:00.000Z',
  });

/** Three profiles; `default` is the default. */
async function writeConfig(defaultProfile = 'default'): Promise<void> {
  const config = { version: 2, defaultProfile, profiles: { default: profile('acme'), sandbox: profile('sbx'), ci: profile('ci') } };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
}

const configOnDisk = async () => JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { defaultProfile?: string; profiles: Record<string, unknown> };

interface StatusDoc {
  defaultProfile: string;
  activeProfile: string;
  profiles: { name: string }[];
}

describe('profiles: sfoauth use, SFOAUTH_PROFILE, status --profile', () => {
  it('use makes a profile the default, keeps every profile as it was, and commands follow it', async () => {
    await writeConfig();
    const before = await configOnDisk();
    const r = await runCli(['use', 'sandbox'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('"sandbox" is now the default profile (was "default")');
    const after = await configOnDisk();
    expect(after.defaultProfile).toBe('sandbox');
    expect(after.profiles).toEqual(before.profiles);
    const status = await runCli(['--json', 'status'], { configDir: dir });
    expect(JSON.parse(status.stdout)).toMatchObject({ defaultProfile: 'sandbox', activeProfile: 'sandbox' });
    expectNoSecrets([r.stdout, r.stderr, status.stdout, status.stderr], [SECRET]);
  });

  it('use with an unknown profile exits 2 listing the known ones, and changes nothing', async () => {
    await writeConfig();
    const before = await readFile(join(dir, 'config.json'), 'utf8');
    const r = await runCli(['use', 'staging'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No profile "staging"');
    expect(r.stderr).toMatch(/default, sandbox, ci|default, ci, sandbox|ci, default, sandbox/);
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  it('use on a machine without profiles creates nothing', async () => {
    const fresh = join(dir, 'fresh');
    const r = await runCli(['use', 'sandbox'], { configDir: fresh });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No profile "sandbox"');
    expect(existsSync(fresh)).toBe(false);
  });

  it('use without a name exits 2 listing the saved profiles and the current default', async () => {
    await writeConfig();
    const r = await runCli(['use'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sfoauth use <profile>');
    expect(r.stderr).toMatch(/Saved profiles: .*sandbox.*\(default now: default\)/);
  });

  it('use --json prints one document', async () => {
    await writeConfig();
    const r = await runCli(['--json', 'use', 'ci'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, defaultProfile: 'ci', previousDefault: 'default' });
  });

  it('precedence: --profile, else SFOAUTH_PROFILE, else the config default', async () => {
    await writeConfig();
    const active = async (args: string[], env: Record<string, string> = {}) => {
      const r = await runCli(['--json', ...args, 'status'], { configDir: dir, env });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as StatusDoc;
    };
    expect((await active([])).activeProfile).toBe('default');
    const fromEnv = await active([], { SFOAUTH_PROFILE: 'ci' });
    expect(fromEnv.activeProfile).toBe('ci');
    // SFOAUTH_PROFILE marks the one in use; the list stays whole.
    expect(fromEnv.profiles.map((p) => p.name).sort()).toEqual(['ci', 'default', 'sandbox']);
    const fromFlag = await active(['--profile', 'sandbox'], { SFOAUTH_PROFILE: 'ci' });
    expect(fromFlag.activeProfile).toBe('sandbox');
    expect(fromFlag.profiles.map((p) => p.name)).toEqual(['sandbox']);
  });

  it('status (human) marks the profile SFOAUTH_PROFILE picks; status --profile shows only that one', async () => {
    await writeConfig();
    const marked = await runCli(['status'], { configDir: dir, env: { SFOAUTH_PROFILE: 'ci' } });
    expect(marked.code, marked.stderr).toBe(0);
    expect(marked.stdout).toMatch(/^ci \(in use: SFOAUTH_PROFILE\)$/m);
    expect(marked.stdout).toMatch(/^default \(default\)$/m);
    const one = await runCli(['status', '--profile', 'sandbox'], { configDir: dir });
    expect(one.stdout).toContain('sbx@acme.example');
    expect(one.stdout).not.toContain('acme@acme.example');
  });

  it('SFOAUTH_PROFILE naming no profile: token exits 2 naming it', async () => {
    await writeConfig();
    const r = await runCli(['token'], { configDir: dir, env: { SFOAUTH_PROFILE: 'nope' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No profile "nope"');
    expect(r.stdout).toBe('');
  });
});

describe('SFOAUTH_* set but empty (a CI secret that does not exist)', () => {
  let server: Server;
  let hits: number;
  let url: string;
  beforeEach(async () => {
    hits = 0;
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    url = `http://127.0.0.1:${address.port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['SFOAUTH_CLIENT_SECRET', { SFOAUTH_CLIENT_ID: '3MVG9abc', SFOAUTH_CLIENT_SECRET: '', SFOAUTH_REFRESH_TOKEN: '5Aep861xyz' }],
    ['SFOAUTH_REFRESH_TOKEN', { SFOAUTH_CLIENT_ID: '3MVG9abc', SFOAUTH_CLIENT_SECRET: SECRET, SFOAUTH_REFRESH_TOKEN: '' }],
    ['SFOAUTH_CLIENT_ID', { SFOAUTH_CLIENT_ID: '  ', SFOAUTH_CLIENT_SECRET: SECRET, SFOAUTH_REFRESH_TOKEN: '5Aep861xyz' }],
  ])('test with %s="" exits 2 naming it, and sends nothing', async (name, vars) => {
    await writeConfig(); // a saved profile must not be used instead
    const r = await runCli(['test'], { configDir: dir, env: { ...vars, SFOAUTH_LOGIN_URL: url, SFOAUTH_INSTANCE_URL: url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${name} is set but empty`);
    expect(r.stderr).toMatch(/GitHub Actions a secret that does not exist/);
    expect(r.stdout).toBe('');
    expect(hits).toBe(0);
    expectNoSecrets([r.stdout, r.stderr], [SECRET]);
  });

  it('names every empty variable at once, for init and token too', async () => {
    const init = await runCli(['init', '--env', 'production', '--client-id', '3MVG9abc', '--login-url', url], {
      configDir: dir,
      env: { SFOAUTH_CLIENT_SECRET: '', SFOAUTH_USERNAME: '' },
    });
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('SFOAUTH_CLIENT_SECRET, SFOAUTH_USERNAME are set but empty');
    const token = await runCli(['token'], { configDir: dir, env: { SFOAUTH_PROFILE: '' } });
    expect(token.code).toBe(2);
    expect(token.stderr).toContain('SFOAUTH_PROFILE is set but empty');
    expect(hits).toBe(0);
  });
});

describe('flags', () => {
  it('--env prod is production', async () => {
    const r = await runCli(['--json', 'steps', '--env', 'prod']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('login.salesforce.com');
    expect(r.stdout).not.toContain('test.salesforce.com');
  });

  it('init --nope suggests nothing (commander guessed --scopes); a typo or a prefix is suggested', async () => {
    const nope = await runCli(['init', '--nope']);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toContain("unknown option '--nope'");
    expect(nope.stderr).not.toContain('Did you mean');
    const typo = await runCli(['init', '--scope', 'api']);
    expect(typo.stderr).toContain('(Did you mean --scopes?)');
    const prefix = await runCli(['init', '--callback', 'x']);
    expect(prefix.stderr).toContain('(Did you mean --callback-url?)');
    const env = await runCli(['init', '--sandbox']);
    expect(env.stderr).toContain('(Did you mean --env sandbox?)');
  });
});

describe.skipIf(!HAS_SCRIPT)('at a terminal (pseudo-terminal via util-linux script)', () => {
  const env = () => ({ SFOAUTH_CONFIG_DIR: dir, HOME: dir });

  it('--client-secret-stdin on a terminal asks with the masked prompt (no echo); Ctrl-C cancels at once', async () => {
    const run = runOnPty(['init', '--env', 'production', '--client-id', '3MVG9abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz012345', '--client-secret-stdin'], { env: env() });
    await run.waitFor(/Consumer Secret \(hidden\):/);
    run.type(SECRET.slice(0, 20));
    await run.waitFor(/\*{20}/);
    run.type('\x03');
    const code = await run.done;
    const screen = run.screen();
    expect(code, screen).toBe(130);
    expect(screen).not.toContain(SECRET.slice(0, 20));
    expect(screen.match(/Cancelled\./g)).toHaveLength(1);
    expect(screen).not.toContain('Error:');
  });

  it('an answered secret prompt keeps a fixed mask, not one star per character of the secret', async () => {
    const run = runOnPty(['init', '--env', 'production', '--login-url', 'http://127.0.0.1:9', '--client-id', '3MVG9abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz012345', '--client-secret-stdin'], { env: env() });
    await run.waitFor(/Consumer Secret \(hidden\):/);
    run.type(`${SECRET}\r`);
    await run.waitFor(/✔ Consumer Secret \(hidden\): \*{8}(?!\*)/);
    run.type('\x03');
    await run.done;
    expect(run.screen()).not.toContain(SECRET);
  });

  it('create --access-token-stdin on a terminal asks with the masked prompt too', async () => {
    const run = runOnPty(['create', '--access-token-stdin', '--instance-url', 'https://acme.my.salesforce.com'], { env: env() });
    await run.waitFor(/Salesforce access token \(hidden\):/);
    run.type('00Dxx0000000001!AQ');
    await run.waitFor(/\*{18}/);
    run.type('\x03');
    expect(await run.done, run.screen()).toBe(130);
    expect(run.screen()).not.toContain('00Dxx0000000001');
    expect(run.screen().match(/Cancelled\./g)).toHaveLength(1);
  });

  it('explain - on a terminal ends on the first Ctrl-C: exit 130, Cancelled. once', async () => {
    const run = runOnPty(['explain', '-'], { env: env() });
    await run.waitFor(/Ctrl-D/);
    run.type('invalid_gr');
    run.type('\x03');
    const code = await run.done;
    expect(code, run.screen()).toBe(130);
    expect(run.screen().match(/Cancelled\./g)).toHaveLength(1);
    expect(run.screen()).not.toContain('Error:');
  });

  it('a Consumer Secret pasted into the Consumer Key prompt is refused, never shown, and the question is asked again', async () => {
    const run = runOnPty(
      [
        'init', '--flow', 'web-server', '--env', 'production', '--app-type', 'external-client-app', '--login-url', 'https://login.salesforce.com',
        '--callback-url', 'http://localhost:1717/OauthRedirect', '--extra-callback-url', 'https://api.nango.dev/oauth/callback', '--scopes', 'api refresh_token',
      ],
      { env: env() },
    );
    await run.waitFor(/Open Salesforce Setup in your browser now\?/);
    run.type('n\r');
    await run.waitFor(/Consumer Key:/);
    run.type(`${SECRET}\r`);
    await run.waitFor(/looks like the Consumer Secret \(it was not kept\)/);
    // Asked again, empty: a Consumer Key typed now is accepted.
    run.type('\x03');
    const code = await run.done;
    const screen = run.screen();
    expect(code, screen).toBe(130);
    expect(screen).not.toContain(SECRET.slice(0, 12));
    expect(screen.match(/Cancelled\./g)).toHaveLength(1);
  });

  it('No to "replace the profile?" prints Cancelled. once (no Error:) and exits 130, the file untouched', async () => {
    await writeConfig();
    const before = await readFile(join(dir, 'config.json'), 'utf8');
    const run = runOnPty(['init'], { env: env() });
    await run.waitFor(/\(y\/N\)/); // the question wraps at 80 columns
    run.type('n\r');
    const code = await run.done;
    const screen = run.screen();
    expect(code, screen).toBe(130);
    expect(screen.match(/Cancelled\./g)).toHaveLength(1);
    expect(screen).not.toContain('Error:');
    expect(screen).toContain('Nothing changed');
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(before);
  });
});
