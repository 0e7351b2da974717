/**
 * Progress at the waits a terminal user meets outside `test` and `doctor` (docs/architecture.md "Progress
 * and output streams"): `token`'s refresh, `logout --revoke`, another sfoauth's config lock, `explain -`
 * on a terminal, and the colours of Inquirer's prompts. Spawned from the build, in pipes and under a
 * pseudo-terminal (util-linux `script`), against an emulator slowed down on purpose. Needs `npm run
 * build` first (`npm test` does it). Every child is killed after 30 s.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { shellQuote } from '../../src/core/shell-quote.js';
import { startEmulator } from '../../src/emulator/index.js';
import { acquireFileLock } from '../../src/platform/file-lock.js';
import { emulatorProfileForTest, freePort, type EmulatorProfile, type EmulatorProfileOptions } from '../support/emulator-profile.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { HAS_SCRIPT, runOnPty } from '../support/pty.js';
import { assertBuilt, REPO_ROOT } from '../support/run-cli.js';
import { webServer } from '../support/web-server-profile.js';

const BIN = fileURLToPath(new URL('../../bin/sfoauth.js', import.meta.url));
const SPINNER_FRAME = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
/** SGR sequences (colour, bold, dim); cursor movement is not colour. */
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/;
const KILL_AFTER_MS = 30_000;

const captured: string[] = [];
const allSecrets: string[] = [];

beforeAll(() => assertBuilt());

function fixture(ctx: Pick<TestContext, 'onTestFinished'>, opts: EmulatorProfileOptions = {}): Promise<EmulatorProfile> {
  return emulatorProfileForTest(ctx, { secrets: allSecrets }, opts);
}

/** Not a terminal (pipes), CI unset: what a script run from a terminal gets. */
function pipeEnv(configDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: configDir, NO_COLOR: '1', NO_PROXY: '127.0.0.1,localhost,::1', SFOAUTH_CONFIG_DIR: configDir, ...extra };
}

function terminalEnv(configDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: configDir, TERM: 'xterm', SFOAUTH_CONFIG_DIR: configDir, ...extra };
}

function spawnPiped(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      captured.push(stderr); // stdout: the access token, printed on purpose
      resolve({ code, stdout, stderr });
    });
  });
}

/** `sfoauth <args> > file` on a terminal, as in `curl -H "…$(sfoauth token)"`: stderr is the terminal, stdout is not. */
function inTerminalStdoutTo(file: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = `${[process.execPath, BIN, ...args].map(shellQuote).join(' ')} > ${shellQuote(file)}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1,localhost,::1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (screen += s));
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      captured.push(screen);
      resolve({ code, screen });
    });
  });
}

/** Holds the config lock as another sfoauth would, for `ms`, then releases it (`released`). */
async function holdConfigLock(f: EmulatorProfile, ms: number): Promise<{ released: Promise<void> }> {
  const file = join(f.configDir, 'config.json');
  const release = await acquireFileLock(`${file}.lock`, { waitMs: 1000, notice: () => undefined, what: file });
  return { released: new Promise((resolve) => setTimeout(() => void release().then(resolve), ms)) };
}

const cursorBack = (screen: string) => screen.lastIndexOf('\x1b[?25h') > screen.lastIndexOf('\x1b[?25l');

describe.concurrent('sfoauth token: a spinner while the refresh is slow, on a terminal only', { timeout: 40_000 }, () => {
  it.runIf(HAS_SCRIPT)('stdout redirected, stderr a terminal: a spinner frame on the screen, the file holds only the token, the cursor is back', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('slowMs', 700);
    const out = join(f.configDir, 'token.txt');
    const { code, screen } = await inTerminalStdoutTo(out, ['token'], terminalEnv(f.configDir));
    expect(code, screen).toBe(0);
    expect(screen).toMatch(new RegExp(`${SPINNER_FRAME.source}\\S* Getting a fresh access token from Salesforce…`));
    expect(cursorBack(screen)).toBe(true);
    const token = await readFile(out, 'utf8');
    expect(token).toMatch(/^[^\s\x1b]+\n$/);
  });

  it('in pipes: nothing on stderr, no \\r, no frame; with --json one document and nothing on stderr', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('slowMs', 400);
    const plain = await spawnPiped(['token'], pipeEnv(f.configDir));
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toMatch(/^\S+\n$/);
    const json = await spawnPiped(['token', '--json'], pipeEnv(f.configDir));
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
    expect(Object.keys(JSON.parse(json.stdout) as object)).toEqual(['accessToken', 'instanceUrl']);
  });

  it.runIf(HAS_SCRIPT)('Ctrl-C while the spinner shows: the refresh in flight is finished and its rotated token saved; exit 130, cursor back', async (ctx) => {
    const f = await fixture(ctx, { app: { rotateRefreshTokens: true } });
    const before = webServer(await f.store.get(f.profileName)).refreshToken;
    f.emulator.setFault('slowMs', 1500);
    const run = runOnPty(['token'], { env: terminalEnv(f.configDir), timeoutMs: 20_000 });
    await run.waitFor(/Getting a fresh access token from Salesforce…/);
    run.type('\x03');
    expect(await run.done, run.screen()).toBe(130);
    captured.push(run.screen());
    expect(cursorBack(run.screen())).toBe(true);
    f.emulator.setFault('slowMs', 0);
    const after = webServer(await f.store.get(f.profileName)).refreshToken;
    expect(after).not.toBe(before);
    const again = await spawnPiped(['token'], pipeEnv(f.configDir));
    expect(again.code, again.stderr).toBe(0);
  });

  it.runIf(HAS_SCRIPT)('a fast refresh shows no spinner (nothing before a quarter second)', async (ctx) => {
    const f = await fixture(ctx);
    const out = join(f.configDir, 'token.txt');
    const { code, screen } = await inTerminalStdoutTo(out, ['token'], terminalEnv(f.configDir));
    expect(code, screen).toBe(0);
    expect(screen).not.toMatch(SPINNER_FRAME);
  });
});

describe.concurrent("waiting for another sfoauth's config lock", { timeout: 40_000 }, () => {
  it('four token runs at once, rotation on, a slow Salesforce: all succeed, stderr holds only waiting lines, the saved token still works', async (ctx) => {
    const f = await fixture(ctx, { app: { rotateRefreshTokens: true } });
    const before = webServer(await f.store.get(f.profileName)).refreshToken;
    f.emulator.setFault('slowMs', 300);
    // The test holds the lock first, so every run waits (whatever the machine's load does to their starts).
    const { released } = await holdConfigLock(f, 1500);
    const runs = await Promise.all([0, 1, 2, 3].map(() => spawnPiped(['token'], pipeEnv(f.configDir))));
    await released;
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^\S+\n$/);
      for (const line of r.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^Waiting for another sfoauth process( \(pid \d+\))? to finish with .+config\.json…$/);
    }
    expect(runs.filter((r) => r.stderr !== '').length).toBeGreaterThanOrEqual(1);
    f.emulator.setFault('slowMs', 0);
    const after = webServer(await f.store.get(f.profileName)).refreshToken;
    expect(after).not.toBe(before);
    const again = await spawnPiped(['test'], pipeEnv(f.configDir));
    expect(again.code, again.stderr).toBe(0);
  });

  it('in pipes: one plain line naming the holder and the file, then the token; --json says nothing on stderr', async (ctx) => {
    const f = await fixture(ctx);
    const file = join(f.configDir, 'config.json');
    const { released } = await holdConfigLock(f, 1200);
    const r = await spawnPiped(['token'], pipeEnv(f.configDir));
    await released;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`Waiting for another sfoauth process (pid ${process.pid}) to finish with ${file}…\n`);
    expect(r.stdout).toMatch(/^\S+\n$/);
    // The holder's pid note goes with the lock.
    expect((await readdir(f.configDir)).filter((n) => n.endsWith('.pid'))).toEqual([]);

    const { released: heldAgain } = await holdConfigLock(f, 800);
    const json = await spawnPiped(['token', '--json'], pipeEnv(f.configDir));
    await heldAgain;
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
  });

  it.runIf(HAS_SCRIPT)('on a terminal: the waiting line on the spinner, cleared when the lock is free', async (ctx) => {
    const f = await fixture(ctx);
    const { released } = await holdConfigLock(f, 1200);
    const out = join(f.configDir, 'token.txt');
    const { code, screen } = await inTerminalStdoutTo(out, ['token'], terminalEnv(f.configDir));
    await released;
    expect(code, screen).toBe(0);
    expect(screen).toMatch(new RegExp(`${SPINNER_FRAME.source}\\S* Waiting for another sfoauth process \\(pid ${process.pid}\\) to finish with `));
    expect(cursorBack(screen)).toBe(true);
    expect(await readFile(out, 'utf8')).toMatch(/^\S+\n$/);
  });

  it('a lock held for less than a quarter second is not mentioned', async (ctx) => {
    const f = await fixture(ctx);
    const { released } = await holdConfigLock(f, 60);
    const r = await spawnPiped(['token'], pipeEnv(f.configDir));
    await released;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe.concurrent('other waits and prompts on a terminal', { timeout: 40_000 }, () => {
  it.runIf(HAS_SCRIPT)('logout --revoke: a spinner while Salesforce revokes, then the result on a clean line', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('slowMs', 700);
    const run = runOnPty(['logout', '--revoke', '--yes'], { env: terminalEnv(f.configDir) });
    expect(await run.done, run.screen()).toBe(0);
    captured.push(run.screen());
    expect(run.screen()).toMatch(new RegExp(`${SPINNER_FRAME.source}\\S* Revoking the refresh token at Salesforce…`));
    expect(run.screen()).toMatch(/(^|\n|\x1b\[1G\x1b\[0K|\x1b\[\?25h)✓ Revoked the refresh token/);
    expect(cursorBack(run.screen())).toBe(true);
  });

  it.runIf(HAS_SCRIPT)("create: the deployer's token, the permission check, the deploy's start and the credentials read-back show on the spinner", async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('slowMs', 400);
    const args = ['create', '--name', 'Slow_Waits', '--contact-email', 'dev@example.com', '--from-profile', 'default', '--no-verify', '--yes'];
    const run = runOnPty(args, { env: terminalEnv(f.configDir), timeoutMs: 30_000 });
    expect(await run.done, run.screen()).toBe(0);
    captured.push(run.screen());
    for (const wait of ['Getting an access token to deploy with…', 'Checking the permissions of ', 'Starting the deploy…', 'Reading the new Consumer Key and Secret…']) {
      expect(run.screen()).toMatch(new RegExp(`${SPINNER_FRAME.source}\\S* ${wait}`));
    }
    expect(cursorBack(run.screen())).toBe(true);
  });

  it.runIf(HAS_SCRIPT)("init's propagation wait on a terminal: the countdown is rewritten every second on one line; Ctrl-C wipes it", async (ctx) => {
    const f = await fixture(ctx);
    const young = await startEmulator({ apps: [{ propagationDelayMs: 600_000 }] });
    ctx.onTestFinished(() => young.close());
    const app = young.apps[0]!;
    const cb = `http://127.0.0.1:${await freePort()}/OauthRedirect`;
    const args = ['init', '--profile', 'young', '--env', 'production', '--login-url', young.loginUrl, '--client-id', app.clientId, '--callback-url', cb, '--no-browser', '--yes', '--wait', '1', '--poll-interval', '3'];
    const run = runOnPty(args, { env: terminalEnv(f.configDir, { SFOAUTH_CLIENT_SECRET: app.clientSecret }), timeoutMs: 20_000 });
    await run.waitFor(/\r {2}next check in 1 s, \d:\d\d left/);
    run.type('\x03');
    expect(await run.done, run.screen()).toBe(130);
    captured.push(run.screen());
    allSecrets.push(app.clientSecret);
    // 3, 2, 1: the same line, rewritten after a carriage return.
    expect(run.screen()).toMatch(/\r {2}next check in 3 s, \d:\d\d left +\r {2}next check in 2 s, \d:\d\d left +\r {2}next check in 1 s, \d:\d\d left/);
    // Cut short by Ctrl-C, the countdown's line is wiped before "Cancelled." is printed.
    expect(run.screen()).toMatch(/\r\x1b\[K(Error: )?Cancelled\./);
    expect(run.screen()).toContain('Salesforce does not accept the app yet (invalid_client_id');
  });

  it.runIf(HAS_SCRIPT)('explain - on a terminal says how to end the paste, and explains what was pasted', async (ctx) => {
    const f = await fixture(ctx);
    const run = runOnPty(['explain', '-'], { env: terminalEnv(f.configDir) });
    await run.waitFor(/Paste the error text, then press Ctrl-D\./);
    run.type('invalid_client_id\n\x04');
    expect(await run.done, run.screen()).toBe(0);
    expect(run.screen()).toContain('invalid_client_id');
  });

  it.runIf(HAS_SCRIPT)('prompts follow --no-color and NO_COLOR (no colour codes), and keep colour otherwise', async (ctx) => {
    const f = await fixture(ctx);
    const empty = join(f.configDir, 'empty');
    const firstPrompt = async (args: string[], env: Record<string, string>) => {
      const run = runOnPty(['init', ...args], { env: terminalEnv(empty, env) });
      await run.waitFor(/Which OAuth flow will the app use\?/);
      run.type('\x03');
      await run.done;
      captured.push(run.screen());
      return run.screen();
    };
    expect(await firstPrompt([], { FORCE_COLOR: '1' })).toMatch(SGR); // the control: colour where it is wanted
    expect(await firstPrompt(['--no-color'], { FORCE_COLOR: '1' })).not.toMatch(SGR);
    expect(await firstPrompt([], { NO_COLOR: '1' })).not.toMatch(SGR);
  });
});

describe('secret scan', () => {
  it('nothing captured holds a secret', () => {
    expect(captured.length).toBeGreaterThan(5);
    expectNoSecrets(captured, allSecrets);
  });
});
