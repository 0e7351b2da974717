/**
 * `sfoauth create` end to end (docs/create.md): the built binary deploys an External Client App to an
 * in-process emulator with an admin token on stdin, reads the minted key and secret, waits out the
 * propagation, plays init's login (the test is the browser: it fetches the printed authorize URL and
 * delivers the redirect), saves a profile, and `sfoauth test` then passes with it. No manual step.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { findFreePort } from '../../src/platform/port.js';
import { METADATA_NAMESPACE } from '../../src/core/salesforce/eca-metadata.js';
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
  for (const f of ['consumerSecretApiOff', 'noModifyMetadata', 'noEcaCreate', 'noEcaDeveloper', 'noViewClientSecret'] as const) emu.setFault(f, false);
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

  it('--target-org borrows the token from `sf org display --json`; a missing sf is a clear exit 2', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin);
    const answer = JSON.stringify({ status: 0, result: { accessToken: adminToken, instanceUrl: emu.instanceUrl, username: 'admin@example.com' } });
    await writeFile(join(bin, 'sf'), `#!/bin/sh\n[ "$4" = "my-org" ] || exit 1\ncat <<'JSON'\n${answer}\nJSON\n`, { mode: 0o755 });
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
