/**
 * `sfoauth create` end to end (docs/create.md): the built binary deploys an External Client App to an
 * in-process emulator with an admin token on stdin, reads the minted key and secret, waits out the
 * propagation, plays init's login (the test is the browser: it fetches the printed authorize URL and
 * delivers the redirect), saves a profile, and `sfoauth test` then passes with it. No manual step.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { findFreePort } from '../../src/platform/port.js';
import { METADATA_NAMESPACE } from '../../src/core/salesforce/eca-metadata.js';
import { generateKeyAndCertificate, writeKeyAndCertificate } from '../../src/platform/certificate.js';
import { login } from '../emulator/helpers.js';
import { assertBuilt, REPO_ROOT, runCli } from '../support/run-cli.js';
import { expectNoSecrets } from '../support/no-secrets.js';

const BIN = join(REPO_ROOT, 'bin', 'sfoauth.js');
const AUTHORIZE = /^(http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/authorize\?\S+)$/m;

let emu: RunningEmulator;
let adminToken: string;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  emu = await startEmulator({ autoApprove: true, deployMs: 200, deployedAppPropagationMs: 1500 });
  adminToken = (await login(emu)).access_token;
});
afterAll(async () => emu.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-e2e-create-'));
});
afterEach(async () => {
  for (const f of ['consumerSecretApiOff', 'noModifyMetadata', 'noEcaCreate', 'noEcaDeveloper', 'noViewClientSecret', 'noCustomizeApplication', 'noViewSetup'] as const) emu.setFault(f, false);
  await rm(dir, { recursive: true, force: true });
});

const createArgs = (name: string, extra: string[] = []) => [
  'create', '--name', name, '--contact-email', 'dev@example.com',
  '--access-token-stdin', '--instance-url', emu.instanceUrl, '--yes', ...extra,
];

/** Spawns create; when it prints an authorize URL, plays the browser once. Ends within 40 s. */
function createWithBrowser(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '', HOME: dir, SFOAUTH_CONFIG_DIR: dir, NO_COLOR: '1', CI: 'true', NO_PROXY: '127.0.0.1,localhost,::1' };
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    let out = '';
    let err = '';
    let approved = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      const m = AUTHORIZE.exec(err);
      if (m && !approved) {
        approved = true;
        void (async () => {
          const res = await fetch(m[1]!, { redirect: 'manual' });
          await (await fetch(res.headers.get('location')!)).text();
        })();
      }
    });
    child.stdin.end(`${adminToken}\n`);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout: out, stderr: err });
    });
  });
}

describe('sfoauth create (spawned, against the emulator)', () => {
  it('creates the app, reads its credentials, waits for it, verifies, saves a profile that `sfoauth test` accepts', async () => {
    const cb = `http://127.0.0.1:${await findFreePort()}/OauthRedirect`;
    const r = await createWithBrowser(createArgs('E2E_App', ['--callback-url', cb, '--callback-url', 'https://api.nango.dev/oauth/callback', '--no-browser', '--poll-interval', '1', '--timeout', '20']));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Deploying as the access token from stdin');
    expect(r.stderr).toMatch(/Deploy 0Af\w+ started/);
    expect(r.stderr).toContain('Deployed "E2E_App"');
    // Progress on stderr, the result (init's summary) on stdout.
    expect(r.stdout).toContain('Saved profile "default"');
    const deployed = emu.apps.find((a) => a.clientId.startsWith('3MVG9') && a.callbackUrls.includes(cb));
    expect(deployed).toBeDefined();
    expectNoSecrets([r.stderr, r.stdout], [deployed!.clientSecret, adminToken]);
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, { clientId: string; clientSecret: string; refreshToken?: string }> };
    expect(config.profiles.default!.clientId).toBe(deployed!.clientId);
    expect(config.profiles.default!.refreshToken).toBeTruthy();

    const t = await runCli(['test'], { configDir: dir, env: { HOME: dir } });
    expect(t.code, t.stderr).toBe(0);

    // The new profile has the api scope: it can deploy the next app (its token through the locked refresh path).
    const two = await runCli(['create', '--name', 'E2E_Two', '--contact-email', 'dev@example.com', '--from-profile', 'default', '--no-verify'], { configDir: dir, env: { HOME: dir } });
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toContain('Deploying as sfoauth profile "default"');
    expect(two.stdout).toContain('No profile saved (--no-verify)');
  }, 60_000);

  it('--target-org borrows the token from sf (`org display --json`, then `org auth show-access-token --json` when display hides it); a missing sf is a clear exit 2', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin);
    // As sf 2.150 answers: display hides the token; show-access-token gives it.
    const display = JSON.stringify({ status: 0, result: { accessToken: "[hidden] use 'sf org auth show-access-token'", instanceUrl: `${emu.instanceUrl}/`, username: 'admin@example.com' } });
    const token = JSON.stringify({ status: 0, result: { accessToken: adminToken } });
    await writeFile(
      join(bin, 'sf'),
      `#!/bin/sh\nif [ "$1 $2" = "org display" ] && [ "$4" = "my-org" ]; then cat <<'JSON'\n${display}\nJSON\n` +
        `elif [ "$1 $2 $3" = "org auth show-access-token" ] && [ "$5" = "my-org" ]; then cat <<'JSON'\n${token}\nJSON\nelse exit 1; fi\n`,
      { mode: 0o755 },
    );
    const args = ['create', '--name', 'E2E_Sf', '--contact-email', 'dev@example.com', '--target-org', 'my-org', '--no-verify'];
    const r = await runCli(args, { configDir: dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Deploying as the Salesforce CLI\'s login "my-org" (admin@example.com)');
    expectNoSecrets([r.stderr, r.stdout], [adminToken]);

    const none = await runCli(args, { configDir: dir, env: { PATH: join(dir, 'empty') } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('not on the PATH');
  });

  it('--verbose traces the deploy and the read-back without the token, the key\'s secret or the zip', async () => {
    const r = await runCli(['--verbose', ...createArgs('E2E_Verbose', ['--no-verify'])], { configDir: dir, stdin: `${adminToken}\n`, timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('deployRequest');
    const app = emu.apps.find((a) => a.clientId === /Consumer Key (3MVG9\S+)\. No profile saved/.exec(r.stdout)?.[1]);
    expect(app).toBeDefined();
    expectNoSecrets([r.stderr, r.stdout], [adminToken, app!.clientSecret]);
  }, 40_000);

  it('--flow client-credentials --run-as: the app gets the flow and its Run As user; the verification runs the grant and saves a client-credentials profile', async () => {
    const r = await runCli(createArgs('E2E_Cc', ['--flow', 'client-credentials', '--run-as', 'ci.bot@sfoauth.example', '--poll-interval', '1']), {
      configDir: dir, stdin: `${adminToken}\n`, timeoutMs: 30_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Verifying the new app with the client-credentials flow');
    const app = emu.apps.find((a) => a.name === 'E2E_Cc')!;
    expect(app.clientCredentials).toEqual({ enabled: true, runAsUsername: 'ci.bot@sfoauth.example' });
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, { flow: string; clientId: string; username?: string; loginUrl: string }> };
    expect(config.profiles.default).toMatchObject({ flow: 'client-credentials', clientId: app.clientId, username: 'ci.bot@sfoauth.example', loginUrl: emu.instanceUrl });
    expectNoSecrets([r.stderr, r.stdout], [app.clientSecret, adminToken]);
    const t = await runCli(['test'], { configDir: dir, env: { HOME: dir } });
    expect(t.code, t.stderr).toBe(0);
    // doctor would read the deployed app back with the Run As user's token, which may not read metadata: a skip saying why.
    const d = await runCli(['doctor'], { configDir: dir, env: { HOME: dir }, timeoutMs: 30_000 });
    expect(d.stdout).toContain("The app's settings as deployed: skipped: this token may not read the app's metadata (INSUFFICIENT_ACCESS");
  }, 40_000);

  it('a server-flow verification waits while the new app propagates (invalid_client_id), then saves the profile', async () => {
    const slow = await startEmulator({ autoApprove: true, deployMs: 50, deployedAppPropagationMs: 4000 });
    try {
      const token = (await login(slow)).access_token;
      const args = ['create', '--name', 'Slow_Cc', '--contact-email', 'dev@example.com', '--access-token-stdin', '--instance-url', slow.instanceUrl, '--yes',
        '--flow', 'client-credentials', '--run-as', 'ci.bot@sfoauth.example', '--poll-interval', '1'];
      const r = await runCli(args, { configDir: dir, stdin: `${token}\n`, timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('Salesforce does not know the new app yet (invalid_client_id); trying again in 1 s');
      expect(r.stdout).toContain('Saved profile "default"');
    } finally {
      await slow.close();
    }
  }, 40_000);

  it('--flow jwt-bearer: a key pair is generated (0600) before the deploy, its certificate goes into the app, the pre-authorized admin gets a token; a jwt-bearer profile is saved', async () => {
    const r = await runCli(createArgs('E2E_Jwt', ['--flow', 'jwt-bearer', '--username', emu.user.username, '--poll-interval', '1']), {
      configDir: dir, stdin: `${adminToken}\n`, timeoutMs: 30_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const keyFile = join(dir, 'keys', 'default.key');
    expect(r.stderr).toContain(`Generated the private key ${keyFile} (0600)`);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const app = emu.apps.find((a) => a.name === 'E2E_Jwt')!;
    expect(app.certificate?.trim()).toBe((await readFile(join(dir, 'keys', 'default.crt'), 'utf8')).trim());
    expect([app.permittedUsers, app.preAuthorizedUsers]).toEqual(['admin-approved-pre-authorized', [emu.user.username]]);
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, { flow: string; privateKeyFile: string; username: string }> };
    expect(config.profiles.default).toMatchObject({ flow: 'jwt-bearer', privateKeyFile: keyFile, username: emu.user.username });
    expectNoSecrets([r.stderr, r.stdout], [app.clientSecret, adminToken, await readFile(keyFile, 'utf8')]);
    const t = await runCli(['test'], { configDir: dir, env: { HOME: dir } });
    expect(t.code, t.stderr).toBe(0);

    // The same key again: --private-key reuses it (its certificate next to it); a certificate of another key is refused before any deploy.
    const again = await runCli(['--profile', 'jwt2', ...createArgs('E2E_Jwt2', ['--flow', 'jwt-bearer', '--no-verify', '--private-key', keyFile])], { configDir: dir, stdin: `${adminToken}\n`, timeoutMs: 30_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(emu.apps.find((a) => a.name === 'E2E_Jwt2')?.certificate).toBe(app.certificate);
    const other = join(dir, 'other.crt');
    await writeFile(other, (await generateKeyAndCertificate({ commonName: 'other', now: Date.now() })).certificatePem);
    const before = emu.apps.length;
    const mismatch = await runCli(['--profile', 'jwt3', ...createArgs('E2E_Jwt3', ['--flow', 'jwt-bearer', '--username', emu.user.username, '--private-key', keyFile, '--certificate', other])], {
      configDir: dir, stdin: `${adminToken}\n`,
    });
    expect(mismatch.code, mismatch.stderr).toBe(2);
    expect(mismatch.stderr).toContain(`${other} does not belong to the private key ${keyFile}`);
    expect(emu.apps.length).toBe(before);
  }, 60_000);

  it('--flow jwt-bearer with a given key other users can read: the chmod warning appears once, in the --json document and in the human output', async () => {
    const keys = join(dir, 'given');
    const { keyFile } = writeKeyAndCertificate(join(keys, 'ci.key'), await generateKeyAndCertificate({ commonName: 'ci', now: Date.now() }));
    await chmod(keyFile, 0o644);
    const run = (profile: string, name: string, json: string[]) =>
      runCli([...json, '--profile', profile, ...createArgs(name, ['--flow', 'jwt-bearer', '--username', emu.user.username, '--private-key', keyFile, '--poll-interval', '1'])], {
        configDir: dir, stdin: `${adminToken}\n`, timeoutMs: 30_000,
      });
    const times = (text: string) => text.split(`${keyFile} can be read by other users`).length - 1;

    const j = await run('open1', 'E2E_Open1', ['--json']);
    expect(j.code, j.stderr).toBe(0);
    const doc = JSON.parse(j.stdout) as { consumerKey: string; warnings: string[]; init: { warnings: string[] } };
    expect(times([...doc.warnings, ...doc.init.warnings].join('\n'))).toBe(1);
    // init alone, with the same key for the same app, still says it once.
    const i = await runCli(['init', '--json', '--flow', 'jwt-bearer', '--profile', 'open3', '--env', 'production', '--login-url', emu.instanceUrl, '--client-id', doc.consumerKey,
      '--username', emu.user.username, '--private-key', keyFile, '--yes'], { configDir: dir, timeoutMs: 30_000 });
    expect(i.code, i.stderr).toBe(0);
    expect(times((JSON.parse(i.stdout) as { warnings: string[] }).warnings.join('\n'))).toBe(1);

    const h = await run('open2', 'E2E_Open2', []);
    expect(h.code, h.stderr).toBe(0);
    expect(h.stdout).toContain('Saved profile "open2"');
    expect(times(h.stdout + h.stderr)).toBe(1);
  }, 60_000);

  it('--dry-run deploys nothing and shows the package', async () => {
    const before = emu.apps.length;
    const r = await runCli(['create', '--name', 'Dry_App', '--contact-email', 'dev@example.com', '--dry-run'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing deployed');
    expect(r.stdout).toContain('externalClientApps/Dry_App.eca');
    expect(r.stdout).toContain('<ExternalClientApplication');
    expect(emu.apps.length).toBe(before);
    const state = (await (await fetch(`${emu.loginUrl}/__emulator/state`)).json()) as { externalClientApps?: { name: string }[] };
    expect((state.externalClientApps ?? []).some((a) => a.name === 'Dry_App')).toBe(false);
  });

  it('--output-dir writes source-format XML with the right roots and namespace; global settings only on request', async () => {
    const out = join(dir, 'md');
    const r = await runCli(['create', '--name', 'Src_App', '--contact-email', 'dev@example.com', '--dry-run', '--output-dir', out], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    const roots: Record<string, string> = {};
    for (const folder of await readdir(out)) {
      for (const f of await readdir(join(out, folder))) {
        const doc = new XMLParser({ ignoreAttributes: false }).parse(await readFile(join(out, folder, f), 'utf8')) as Record<string, Record<string, string>>;
        const root = Object.keys(doc).find((k) => k !== '?xml')!;
        expect(doc[root]!['@_xmlns']).toBe(METADATA_NAMESPACE);
        roots[`${folder}/${f}`] = root;
      }
    }
    expect(roots).toEqual({
      'externalClientApps/Src_App.eca-meta.xml': 'ExternalClientApplication',
      'extlClntAppOauthSettings/Src_App_oauth.ecaOauth-meta.xml': 'ExtlClntAppOauthSettings',
    });
    // Without --dry-run and without anyone to deploy, --output-dir only writes the files.
    const before = emu.apps.length;
    const only = await runCli(['create', '--name', 'Src_Only', '--contact-email', 'dev@example.com', '--output-dir', join(dir, 'only')], { configDir: dir });
    expect(only.code, only.stderr).toBe(0);
    expect(only.stdout).toContain('Nothing deployed: only the files were written');
    expect(await readdir(join(dir, 'only', 'externalClientApps'))).toEqual(['Src_Only.eca-meta.xml']);
    expect(emu.apps.length).toBe(before);
    // Existing files are never overwritten.
    const again = await runCli(['create', '--name', 'Src_Only', '--contact-email', 'dev@example.com', '--output-dir', join(dir, 'only')], { configDir: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    const out2 = join(dir, 'md2');
    const r2 = await runCli(['create', '--name', 'Src_App', '--contact-email', 'dev@example.com', '--dry-run', '--output-dir', out2, '--output-global-settings'], { configDir: dir });
    expect(r2.code, r2.stderr).toBe(0);
    const glbl = await readFile(join(out2, 'extlClntAppGlobalOauthSets', 'Src_App_glbl.ecaGlblOauth-meta.xml'), 'utf8');
    expect(glbl).toContain('<ExtlClntAppGlobalOauthSettings');
    expect(glbl).not.toMatch(/consumerKey|consumerSecret/);
  });

  it('--flow jwt-bearer --no-verify with --output-dir --output-global-settings: the global settings file holds the generated certificate (written after it), never the key or secret; the next command is JWT\'s', async () => {
    const out = join(dir, 'md-jwt');
    const r = await runCli(createArgs('E2E_JwtSrc', ['--flow', 'jwt-bearer', '--no-verify', '--output-dir', out, '--output-global-settings']), { configDir: dir, stdin: `${adminToken}\n`, timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const keyFile = join(dir, 'keys', 'E2E_JwtSrc.key');
    const key = await readFile(keyFile, 'utf8');
    const lf = (pem: string | undefined) => pem?.replace(/\r\n/g, '\n').trim();
    const certificate = lf(await readFile(join(dir, 'keys', 'E2E_JwtSrc.crt'), 'utf8'));
    const glbl = await readFile(join(out, 'extlClntAppGlobalOauthSets', 'E2E_JwtSrc_glbl.ecaGlblOauth-meta.xml'), 'utf8');
    const parsed = new XMLParser().parse(glbl) as { ExtlClntAppGlobalOauthSettings: { certificate: string } };
    expect(lf(parsed.ExtlClntAppGlobalOauthSettings.certificate)).toBe(certificate);
    expect(lf(emu.apps.find((a) => a.name === 'E2E_JwtSrc')?.certificate)).toBe(certificate);
    expect(glbl).not.toMatch(/PRIVATE KEY|consumerKey|consumerSecret/);
    const app = emu.apps.find((a) => a.name === 'E2E_JwtSrc')!;
    expectNoSecrets([glbl, r.stdout, r.stderr], [app.clientSecret, key, ...key.split('\n').filter((l) => l.length > 40)]);
    // Not --client-secret-stdin (JWT has no secret on the wire): the key whose certificate is on the app.
    expect(r.stdout).toContain(`Log in later with: sfoauth init --flow jwt-bearer --login-url ${emu.instanceUrl} --client-id ${app.clientId} --username <username> --private-key ${keyFile}`);
  }, 40_000);

  it('--refresh-token-policy 90d and --introspect-all-tokens reach the deployed app; the expiring tokens are a warning in the document', async () => {
    const r = await runCli(
      ['create', '--name', 'Policy_App', '--contact-email', 'dev@example.com', '--access-token-stdin', '--instance-url', emu.instanceUrl,
        '--refresh-token-policy', '90d', '--introspect-all-tokens', '--no-verify', '--json'],
      { configDir: dir, stdin: `${adminToken}\n` },
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { warnings: string[] };
    expect(doc.warnings.join('\n')).toContain("the app's refresh tokens expire 90 days after they are issued");
    const app = emu.apps.find((a) => a.name === 'Policy_App');
    expect(app).toMatchObject({ introspectAllTokens: true, refreshTokenPolicy: { kind: 'lifetime', ms: 90 * 86_400_000 } });
  });

  it('--refresh-token-policy immediately while verifying a web-server app is refused before anything is deployed', async () => {
    const before = emu.apps.length;
    const r = await runCli([...createArgs('Never_App'), '--refresh-token-policy', 'immediately'], { configDir: dir, stdin: `${adminToken}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('could never refresh');
    expect(r.stderr).toContain('--no-verify');
    expect(emu.apps.length).toBe(before);
  });

  it('--json prints one document on stdout', async () => {
    const r = await runCli(['create', '--name', 'Json_App', '--contact-email', 'dev@example.com', '--dry-run', '--json'], { configDir: dir });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { name: string; dryRun: boolean; files: string[]; deployId: string | null };
    expect(doc).toMatchObject({ name: 'Json_App', dryRun: true, deployId: null });
    expect(doc.files).toContain('package.xml');
    // The document is all: no package listing on either stream.
    expect(r.stderr).toBe('');
  });

  it('an existing profile is refused before anything is deployed (exit 2), and left as it was', async () => {
    const previous = JSON.stringify({
      version: 1,
      defaultProfile: 'default',
      profiles: {
        default: {
          env: 'production', appType: 'external-client-app', loginUrl: 'https://login.salesforce.com',
          callbackUrl: 'http://localhost:1717/OauthRedirect', extraCallbackUrls: [], clientId: '3MVG9previousPreviousPrevious',
          scopes: ['api', 'refresh_token'], createdAt: '2025-01-01T00:00:00.000Z',
        },
      },
    });
    await writeFile(join(dir, 'config.json'), previous, { mode: 0o600 });
    const before = emu.apps.length;
    const r = await runCli(['--profile', 'default', ...createArgs('E2E_Kept').filter((a) => a !== '--yes')], { configDir: dir, stdin: `${adminToken}\n` });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('Profile "default" already exists');
    expect(emu.apps.length).toBe(before);
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(previous);
  });

  it('without a terminal, missing values end with exit 2 listing the flags', async () => {
    const r = await runCli(['create'], { configDir: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name <API name>');
    expect(r.stderr).toContain('--contact-email <address>');
    expect(r.stderr).toContain('--target-org');
  });

  const gaps: [string, 'consumerSecretApiOff' | 'noModifyMetadata' | 'noEcaCreate' | 'noEcaDeveloper' | 'noViewClientSecret', RegExp][] = [
    ['the secret REST setting off', 'consumerSecretApiOff', /Allow access to External Client App consumer secrets via REST API/],
    ['no Modify Metadata', 'noModifyMetadata', /ModifyAllData|Modify Metadata/],
    ['a component failure', 'noEcaCreate', /E2E_Gap/],
    ['no External Client App Developer', 'noEcaDeveloper', /External Client App Developer/],
    ['no View Client Secret', 'noViewClientSecret', /View Client Secret/],
  ];
  it('the permission pre-check: a missing Modify Metadata refuses before any deploy; a missing Customize Application warns; a refused check is said, and the deploy goes on', async () => {
    const deploys = async () => ((await (await fetch(`${emu.loginUrl}/__emulator/state`)).json()) as { externalClientApps: unknown[] }).externalClientApps.length;
    const before = await deploys();
    emu.setFault('noModifyMetadata', true);
    const refused = await runCli(createArgs('E2E_Perm_Meta', ['--no-verify']), { configDir: dir, stdin: `${adminToken}\n` });
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('the access token from stdin may not deploy the app: the user lacks');
    expect(refused.stderr).toContain('Modify Metadata Through Metadata API Functions (or Modify All Data)');
    expect(refused.stderr).toContain('Permission Set Assignments');
    expect(refused.stderr).not.toMatch(/Deploy 0Af/);
    expect(await deploys()).toBe(before);
    emu.setFault('noModifyMetadata', false);

    emu.setFault('noCustomizeApplication', true);
    const warned = await runCli(createArgs('E2E_Perm_Cust', ['--no-verify']), { configDir: dir, stdin: `${adminToken}\n`, timeoutMs: 30_000 });
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain('Warning: the user lacks "Customize Application"');
    emu.setFault('noCustomizeApplication', false);

    emu.setFault('noViewSetup', true);
    const unchecked = await runCli(createArgs('E2E_Perm_View', ['--no-verify']), { configDir: dir, stdin: `${adminToken}\n`, timeoutMs: 30_000 });
    expect(unchecked.code, unchecked.stderr).toBe(0);
    expect(unchecked.stderr).toContain('Could not check the permissions of the access token from stdin before the deploy (Salesforce refused the permission query: INVALID_TYPE');
    expect(unchecked.stderr).toContain('deploying anyway');
    expect(unchecked.stderr).toMatch(/Deploy 0Af\w+ started/);
  }, 60_000);

  it.each(gaps)('%s ends with a clear fix and a non-zero exit', async (_what, fault, fix) => {
    emu.setFault(fault, true);
    const r = await runCli(createArgs(`E2E_Gap_${fault}`, ['--no-verify']), { configDir: dir, stdin: `${adminToken}\n`, timeoutMs: 30_000 });
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(fix);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expectNoSecrets([r.stderr], [adminToken]);
  }, 40_000);
});

describe('sfoauth create against an org on an older API (spawned; the emulator\'s maxApiVersion)', () => {
  async function withOldOrg(maxApiVersion: number, run: (old: RunningEmulator, token: string) => Promise<void>): Promise<void> {
    const old = await startEmulator({ autoApprove: true, deployMs: 50, maxApiVersion });
    try {
      await run(old, (await login(old)).access_token);
    } finally {
      await old.close();
    }
  }
  const args = (old: RunningEmulator, name: string) => ['create', '--name', name, '--contact-email', 'dev@example.com', '--access-token-stdin', '--instance-url', old.instanceUrl, '--yes'];

  it('58.0 (before External Client App metadata): exit 2 with the fix, nothing deployed', async () => {
    await withOldOrg(58, async (old, token) => {
      const before = old.apps.length;
      const r = await runCli(args(old, 'Old_58'), { configDir: dir, stdin: `${token}\n` });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("This org's newest API version is 58.0; deploying an External Client App needs 59.0");
      expect(r.stderr).toContain('External Client App Manager');
      expect(r.stderr).not.toMatch(/Deploy 0Af/);
      expect(old.apps.length).toBe(before);
    });
  });

  it('59.0 (no credentials API): the app is deployed, then the key and secret are to be copied by hand, with the command to run', async () => {
    await withOldOrg(59, async (old, token) => {
      const r = await runCli(args(old, 'Old_59'), { configDir: dir, stdin: `${token}\n`, timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/Deploy 0Af\w+ started/);
      expect(r.stderr).toContain("This org's API 59.0 has no credentials API (it needs 60.0)");
      expect(r.stderr).toContain('Setup → External Client App Manager → Old_59 → Settings → OAuth Settings');
      expect(r.stderr).toContain('sfoauth init --client-id <key> --client-secret-stdin');
      expect(old.apps.some((a) => a.name === 'Old_59')).toBe(true);
      expectNoSecrets([r.stderr, r.stdout], [token]);
    });
  }, 40_000);
});
