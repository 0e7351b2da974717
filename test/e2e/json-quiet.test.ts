/**
 * `--json` keeps stderr quiet on success (README.md "JSON output"), command by command, through the built
 * binary against an in-process emulator: each run exits 0, stdout parses as exactly one JSON document, and
 * stderr is empty. The one exception is what the person must act on for the run to go on: with
 * --no-browser, the login URL (init, and create's web-server verification). The shapes of the documents
 * are json-output.test.ts's business; this file is about the quiet.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { findFreePort } from '../../src/platform/port.js';
import { generateKeyAndCertificate, writeKeyAndCertificate } from '../../src/platform/certificate.js';
import { login } from '../emulator/helpers.js';
import { assertBuilt, REPO_ROOT, runCli, type CliResult } from '../support/run-cli.js';

const RUN_AS = 'integration@sfoauth.example';
const JWT_USER = 'emulator.user@sfoauth.example';
const LOGIN_LINES = /^Open this URL to log in and allow access:\n(http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/authorize\?\S+)\n$/;

let emu: RunningEmulator;
let dir: string;
let config: string;
let cb: string;
let keyFile: string;
let adminToken: string;

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sfoauth-json-quiet-'));
  config = join(dir, 'config');
  cb = `http://127.0.0.1:${await findFreePort()}/OauthRedirect`;
  const material = await generateKeyAndCertificate({ commonName: 'json-quiet', now: Date.now() });
  keyFile = writeKeyAndCertificate(join(dir, 'keys', 'jwt.key'), material).keyFile;
  emu = await startEmulator({
    autoApprove: true,
    deployMs: 100,
    deployedAppPropagationMs: 500,
    apps: [
      { callbackUrls: [cb] },
      { clientCredentials: { enabled: true, runAsUsername: RUN_AS } },
      { certificate: material.certificatePem, permittedUsers: 'admin-approved-pre-authorized', preAuthorizedUsers: [JWT_USER] },
    ],
  });
  adminToken = (await login(emu)).access_token;
});

afterAll(async () => {
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Exit 0, exactly one JSON document on stdout, and (unless `stderr` says otherwise) nothing on stderr. */
function expectQuiet(r: CliResult, stderr: RegExp | '' = ''): Record<string, unknown> {
  expect(r.code, `exit ${String(r.code)}; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
  let doc: unknown;
  expect(() => (doc = JSON.parse(r.stdout)), `stdout is not one JSON document:\n${r.stdout}`).not.toThrow();
  expect(typeof doc === 'object' && doc !== null && !Array.isArray(doc)).toBe(true);
  if (stderr === '') expect(r.stderr).toBe('');
  else expect(r.stderr).toMatch(stderr);
  return doc as Record<string, unknown>;
}

const cli = (args: string[], o: { stdin?: string; env?: Record<string, string> } = {}) =>
  runCli(['--json', ...args], { configDir: config, timeoutMs: 30_000, ...o });

/** Spawns the CLI; when its stderr shows the login URL, plays the browser (auto-approve) once. */
function withBrowser(args: string[], stdin: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '', HOME: dir, SFOAUTH_CONFIG_DIR: config, NO_COLOR: '1', CI: 'true', NO_PROXY: '127.0.0.1,localhost,::1' };
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sfoauth.js'), '--json', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    let stdout = '';
    let stderr = '';
    let approved = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      const url = /(http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/authorize\?\S+)\n/.exec(stderr)?.[1];
      if (url && !approved) {
        approved = true;
        void (async () => {
          const res = await fetch(url, { redirect: 'manual' });
          await (await fetch(res.headers.get('location')!)).text();
        })();
      }
    });
    child.stdin.end(stdin);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, timedOut: false });
    });
  });
}

describe('--json: one document on stdout, nothing on stderr (spawned)', () => {
  it('init with each flow; then status, use, token, test, doctor, export, logout on what it saved', async () => {
    const web = emu.apps[0]!;
    // The login URL is what the run waits for: the only lines on stderr, said once.
    const r = await withBrowser(['init', '--login-url', emu.loginUrl, '--client-id', web.clientId, '--client-secret-stdin', '--callback-url', cb, '--no-browser', '--yes', '--timeout', '20'], web.clientSecret);
    expect(expectQuiet(r, LOGIN_LINES)).toMatchObject({ ok: true, profile: 'default', warnings: [] });

    const cc = emu.apps[1]!;
    expectQuiet(await cli(['init', '--flow', 'client-credentials', '--login-url', emu.instanceUrl, '--client-id', cc.clientId, '--client-secret-stdin', '--profile', 'cc'], { stdin: cc.clientSecret }));
    const jwt = emu.apps[2]!;
    // Without --private-key: a key pair is generated and nothing saved yet; the document names the files.
    const generated = await cli(['init', '--flow', 'jwt-bearer', '--env', 'production', '--login-url', emu.loginUrl, '--client-id', jwt.clientId, '--username', JWT_USER, '--profile', 'gen']);
    expect(expectQuiet(generated)).toMatchObject({ ok: true, saved: false, keyFile: join(config, 'keys', 'gen.key') });
    expectQuiet(await cli(['init', '--flow', 'jwt-bearer', '--env', 'production', '--login-url', emu.loginUrl, '--client-id', jwt.clientId, '--username', JWT_USER, '--private-key', keyFile, '--profile', 'jwt']));

    expectQuiet(await cli(['status']));
    expectQuiet(await cli(['use', 'cc']));
    // SFOAUTH_PROFILE overriding the new default: said in the document, not on stderr.
    expect(expectQuiet(await cli(['use', 'default'], { env: { SFOAUTH_PROFILE: 'jwt' } }))).toMatchObject({ warnings: [expect.stringContaining('SFOAUTH_PROFILE=jwt')] });
    for (const profile of ['default', 'cc', 'jwt']) {
      expectQuiet(await cli(['--profile', profile, 'token']));
      expectQuiet(await cli(['--profile', profile, 'test']));
      expectQuiet(await cli(['--profile', profile, 'doctor']));
    }
    expectQuiet(await cli(['export']));
    expectQuiet(await cli(['export', '--output', join(dir, 'export.env')]));
    expectQuiet(await cli(['logout', '--yes', '--profile', 'cc']));
    expectQuiet(await cli(['logout', '--yes', '--revoke', '--profile', 'default']));
    // A JWT profile's key is never deleted by logout (it may be the only copy): the document names it,
    // and without --json a line says where it stays.
    expect(expectQuiet(await cli(['logout', '--yes', '--profile', 'jwt']))).toMatchObject({ removed: 'jwt', keptKeyFile: keyFile });
    expect(existsSync(keyFile)).toBe(true);
    expectQuiet(await cli(['init', '--flow', 'jwt-bearer', '--env', 'production', '--login-url', emu.loginUrl, '--client-id', jwt.clientId, '--username', JWT_USER, '--private-key', keyFile, '--profile', 'jwt2']));
    const human = await runCli(['logout', '--yes', '--profile', 'jwt2'], { configDir: config, timeoutMs: 30_000 });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toContain(`The private key ${keyFile} stays: its certificate is on the app.`);
    expect(existsSync(keyFile)).toBe(true);
  }, 120_000);

  it('create with each flow, and with --no-verify', async () => {
    const base = (name: string) => ['create', '--name', name, '--contact-email', 'dev@example.com', '--access-token-stdin', '--instance-url', emu.instanceUrl, '--yes', '--poll-interval', '1'];
    const local = `http://127.0.0.1:${await findFreePort()}/OauthRedirect`;
    const web = await withBrowser(['--profile', 'c-web', ...base('Quiet_Web'), '--callback-url', local, '--no-browser', '--timeout', '20'], `${adminToken}\n`);
    expect(expectQuiet(web, LOGIN_LINES)).toMatchObject({ name: 'Quiet_Web', flow: 'web-server', warnings: [] });
    expectQuiet(await cli(['--profile', 'c-cc', ...base('Quiet_Cc'), '--flow', 'client-credentials', '--run-as', RUN_AS], { stdin: `${adminToken}\n` }));
    const jwt = expectQuiet(await cli(['--profile', 'c-jwt', ...base('Quiet_Jwt'), '--flow', 'jwt-bearer', '--username', JWT_USER], { stdin: `${adminToken}\n` }));
    expect(jwt).toMatchObject({ flow: 'jwt-bearer', generatedKey: { keyFile: join(config, 'keys', 'c-jwt.key') } });
    expectQuiet(await cli([...base('Quiet_NoVerify'), '--no-verify'], { stdin: `${adminToken}\n` }));
    expectQuiet(await cli(['create', '--name', 'Quiet_Dry', '--contact-email', 'dev@example.com', '--dry-run', '--output-dir', join(dir, 'md')]));
  }, 120_000);

  it('steps, explain, demo, and the emulator\'s ready document', async () => {
    expectQuiet(await cli(['steps', '--env', 'sandbox']));
    expectQuiet(await cli(['explain', 'invalid_client_id']));
    expectQuiet(await cli(['demo'], { env: {} }));
    const ready = await new Promise<CliResult>((resolve) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sfoauth.js'), '--json', 'emulator', '--port', '0'], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        if (stdout.includes('\n')) child.kill('SIGINT');
      });
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('close', (code) => {
        clearTimeout(killer);
        resolve({ code, stdout, stderr, timedOut: false });
      });
    });
    // Ctrl-C is how the emulator ends; it stops cleanly (0) and says nothing more.
    expectQuiet(ready);
  }, 90_000);
});
