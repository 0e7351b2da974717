/**
 * Which stream carries what, and what moves while a user waits (docs/architecture.md "Progress and output
 * streams"): `test`, `doctor` and `demo` spawned from the build, in pipes and under a pseudo-terminal
 * (`script`), against an in-process emulator that can be slowed down. The report is the output (stdout);
 * progress and notices go to stderr; --json is one document and nothing else; Ctrl-C is "Cancelled.", exit
 * 130. Needs `npm run build` first (`npm test` does it). Every child is killed after 30 s.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { assertBuilt, REPO_ROOT } from '../support/run-cli.js';
import { emulatorProfileForTest, type EmulatorProfile, type EmulatorProfileOptions } from '../support/emulator-profile.js';
import { expectNoSecrets } from '../support/no-secrets.js';
import { webServer } from '../support/web-server-profile.js';

const execFileP = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/sfoauth.js', import.meta.url));
const RECORD_LOADS = fileURLToPath(new URL('../support/record-loads.mjs', import.meta.url));
const SCRIPT = '/usr/bin/script';
const hasPty = existsSync(SCRIPT) && process.platform === 'linux';
const SPINNER_FRAME = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
/** A check line of a report: icon, title, summary, duration. */
const CHECK_LINE = /^\s+[✓✗!-] .+\(\d+ ms\)$/;
const KILL_AFTER_MS = 30_000;

const captured: string[] = [];
const allSecrets: string[] = [];

beforeAll(() => assertBuilt());

function fixture(ctx: Pick<TestContext, 'onTestFinished'>, opts: EmulatorProfileOptions = {}): Promise<EmulatorProfile> {
  return emulatorProfileForTest(ctx, { secrets: allSecrets }, opts);
}

/** As run-cli.ts: a small fixed environment, not a terminal, CI set, no colour. */
function pipeEnv(configDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: configDir, NO_COLOR: '1', CI: 'true', NO_PROXY: '127.0.0.1,localhost,::1' };
  return { ...env, SFOAUTH_CONFIG_DIR: configDir, ...extra };
}

/** What a terminal user has: no CI, TERM set, colour decided by the terminal. */
function terminalEnv(configDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: configDir, TERM: 'xterm', NO_PROXY: '127.0.0.1,localhost,::1', SFOAUTH_CONFIG_DIR: configDir, ...extra };
}

interface Timed {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Each complete stdout line with the milliseconds since spawn at which it arrived. */
  lines: { line: string; at: number }[];
  /** Milliseconds since spawn at which the process exited. */
  endedAt: number;
}

/** Spawns the built CLI with pipes, timing each stdout line; `onStdout` may act on the child (Ctrl-C). */
function spawnTimed(args: string[], env: Record<string, string>, o: { nodeArgs?: string[]; onStdout?: (stdout: string, child: ChildProcess) => void } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    let out = '';
    let err = '';
    const lines: Timed['lines'] = [];
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      const at = performance.now() - t0;
      const before = out.split('\n').length - 1;
      out += s;
      for (const line of out.split('\n').slice(before, -1)) lines.push({ line, at });
      o.onStdout?.(out, child);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      captured.push(out, err);
      resolve({ code, stdout: out, stderr: err, lines, endedAt: performance.now() - t0 });
    });
  });
}

/**
 * Runs `command` (a shell line) under `script`, which gives it a pseudo-terminal as a real terminal would;
 * returns everything the terminal received. `onOutput` may type into the terminal (e.g. Ctrl-C, \x03).
 */
function inTerminal(command: string, env: Record<string, string>, onOutput?: (output: string, type: (keys: string) => void) => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    let output = '';
    const type = (keys: string) => void child.stdin.write(keys);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      output += s;
      onOutput?.(output, type);
    });
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      captured.push(output);
      resolve({ code, output });
    });
  });
}

const cli = (...args: string[]) => [process.execPath, BIN, ...args].map((a) => JSON.stringify(a)).join(' ');

/** The lines a person reads: escape sequences and carriage returns removed. */
function readable(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[?0-9;]*[A-Za-z]/g, '').replace(/\r/g, '').split('\n');
}

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe.concurrent('the report is the output: stdout; stderr only for progress and notices', { timeout: 40_000 }, () => {
  it('test: the header, each check, the verdict on stdout; stderr empty; --json is one document and stderr stays empty', async (ctx) => {
    const f = await fixture(ctx);
    const r = await spawnTimed(['test'], pipeEnv(f.configDir));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`sfoauth test — profile "default" (${join(f.configDir, 'config.json')})`);
    expect(lines.slice(1, -1).filter((l) => !l.startsWith('      '))).toHaveLength(11);
    expect(lines.slice(1, -1).filter((l) => !l.startsWith('      ')).every((l) => CHECK_LINE.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('OK: 11 passed, 0 warnings, 0 failed, 0 skipped');

    const j = await spawnTimed(['test', '--json'], pipeEnv(f.configDir));
    expect(j.code, j.stderr).toBe(0);
    expect(j.stderr).toBe('');
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, profile: 'default' });
  });

  it('doctor: the header, each group and check, the verdict on stdout; stderr empty; --json likewise', async (ctx) => {
    const f = await fixture(ctx);
    const r = await spawnTimed(['doctor'], pipeEnv(f.configDir));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`sfoauth doctor — profile "default" (${join(f.configDir, 'config.json')})`);
    expect(lines.filter((l) => /^[A-Z]/.test(l))).toEqual(['This machine', 'Profile', 'Network', 'The app in Salesforce', 'The saved token', 'No problems found.']);
    expect(lines.filter((l) => CHECK_LINE.test(l)).length).toBeGreaterThan(20);

    const j = await spawnTimed(['doctor', '--json'], pipeEnv(f.configDir));
    expect(j.code, j.stderr).toBe(0);
    expect(j.stderr).toBe('');
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, verdict: 'No problems found.' });
  });

  it('demo: the walk-through and both reports on stdout; stderr only what init prints while it works; --json: one document, nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfoauth-streams-demo-'));
    try {
      const r = await spawnTimed(['demo'], pipeEnv(dir));
      expect(r.code, r.stderr).toBe(0);
      for (const step of ['1. The Setup steps', '2. sfoauth init', '3. sfoauth test', '4. sfoauth doctor', '5. sfoauth init --flow client-credentials', 'Demo complete.']) {
        expect(r.stdout).toContain(step);
      }
      expect(r.stdout).toMatch(/^ {2}OK: 11 passed/m);
      expect(r.stdout).toMatch(/^ {2}No problems found/m);
      expect(r.stdout).toContain('Saved profile "demo"');
      const errLines = r.stderr.split('\n').filter(Boolean);
      expect(errLines.some((l) => l.startsWith('Waiting for Salesforce to redirect'))).toBe(true);
      expect(errLines.filter((l) => CHECK_LINE.test(l) || /Saved profile|OK:|No problems/.test(l))).toEqual([]);

      const j = await spawnTimed(['demo', '--json'], pipeEnv(dir));
      expect(j.code, j.stderr).toBe(0);
      expect(j.stderr).toBe('');
      expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, test: true, doctor: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('`sfoauth test > report.txt` captures the report; `sfoauth doctor --json | node -e JSON.parse` parses', async (ctx) => {
    const f = await fixture(ctx);
    const file = join(f.configDir, 'report.txt');
    const env = pipeEnv(f.configDir);
    await execFileP('/bin/sh', ['-c', `${cli('test')} > ${JSON.stringify(file)}`], { env, timeout: KILL_AFTER_MS });
    const report = await readFile(file, 'utf8');
    captured.push(report);
    expect(report).toMatch(/^sfoauth test — profile "default"/);
    expect(report.trimEnd().split('\n').at(-1)).toBe('OK: 11 passed, 0 warnings, 0 failed, 0 skipped');

    const parse = `${JSON.stringify(process.execPath)} -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(d.verdict)'`;
    const { stdout } = await execFileP('/bin/sh', ['-c', `${cli('doctor', '--json')} | ${parse}`], { env, timeout: KILL_AFTER_MS });
    expect(stdout).toBe('No problems found.');
  });
});

describe.concurrent('progress while waiting', { timeout: 40_000 }, () => {
  it('without a terminal: the header first, each check as it lands (long before the end); plain lines, no \\r, no spinner', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('slowMs', 400);
    const r = await spawnTimed(['test'], pipeEnv(f.configDir));
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines[0]!.line).toMatch(/^sfoauth test — /);
    const firstCheck = r.lines.find((l) => CHECK_LINE.test(l.line))!;
    // Every later check waits on the slow emulator (400 ms a request), so the run goes on for a while.
    expect(r.endedAt - firstCheck.at).toBeGreaterThan(600);
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toMatch(/[\r\x1b]/);
      expect(text).not.toMatch(SPINNER_FRAME);
    }
    expect(r.stderr).toBe('');
  });

  it.runIf(hasPty)('in a terminal: a spinner names the check in flight, and its line is cleared before each report line', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('slowMs', 300);
    const { code, output } = await inTerminal(cli('doctor'), terminalEnv(f.configDir));
    expect(code, output).toBe(0);
    expect(output).toMatch(new RegExp(`${SPINNER_FRAME.source}\\S* Login host reachable…`));
    // A report line starts a line: at the start of the terminal's line, or right after the spinner's line was cleared.
    const reportLines = [...output.matchAll(/ {2}\S*✓\S* /g)];
    expect(reportLines.length).toBeGreaterThan(20);
    for (const m of reportLines) {
      const before = output.slice(Math.max(0, m.index - 8), m.index);
      expect(before.endsWith('\n') || before.endsWith('\x1b[1G\x1b[0K'), JSON.stringify(output.slice(m.index - 40, m.index + 20))).toBe(true);
    }
    expect(readable(output).filter((l) => SPINNER_FRAME.test(l) && CHECK_LINE.test(l))).toEqual([]);
    // The cursor the spinner hid is shown again.
    expect(output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(output.lastIndexOf('\x1b[?25l'));
    expect(readable(output).filter(Boolean).at(-1)).toBe('No problems found.');
  });

  it.runIf(hasPty)('in a terminal with stdout redirected to a file: the file holds the plain report; no spinner draws over a pager', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('slowMs', 200);
    const file = join(f.configDir, 't.txt');
    const { code, output } = await inTerminal(`${cli('test')} > ${JSON.stringify(file)}`, terminalEnv(f.configDir));
    expect(code, output).toBe(0);
    const report = await readFile(file, 'utf8');
    captured.push(report);
    expect(report).not.toMatch(/[\r\x1b]/);
    expect(report.trimEnd().split('\n').at(-1)).toBe('OK: 11 passed, 0 warnings, 0 failed, 0 skipped');
    expect(output).not.toMatch(SPINNER_FRAME);
  });

  it.runIf(hasPty)('the spinner code loads only when a terminal needs it: not for --help, not in a pipe', async (ctx) => {
    const f = await fixture(ctx);
    const logs = { help: join(f.configDir, 'help.log'), pipe: join(f.configDir, 'pipe.log'), tty: join(f.configDir, 'tty.log') };
    const nodeArgs = ['--import', RECORD_LOADS];
    await spawnTimed(['--help'], pipeEnv(f.configDir, { SFOAUTH_LOAD_LOG: logs.help }), { nodeArgs });
    await spawnTimed(['test'], pipeEnv(f.configDir, { SFOAUTH_LOAD_LOG: logs.pipe }), { nodeArgs });
    const inner = [process.execPath, ...nodeArgs, BIN, 'test'].map((a) => JSON.stringify(a)).join(' ');
    await inTerminal(inner, terminalEnv(f.configDir, { SFOAUTH_LOAD_LOG: logs.tty }));
    // --help never starts the ESM loader (bin.cjs, scripts/bundle.mjs), so its log may not exist at all.
    const loaded = async (log: string) => (await readFile(log, 'utf8').catch(() => '')).split('\n');
    const spinnerChunk = (urls: string[]) => urls.filter((u) => /yocto-spinner/.test(u));
    expect((await loaded(logs.pipe)).some((u) => u.includes('/dist/bundle/'))).toBe(true); // the hook saw the command's chunks load
    expect(spinnerChunk(await loaded(logs.help))).toEqual([]);
    expect(spinnerChunk(await loaded(logs.pipe))).toEqual([]);
    expect(spinnerChunk(await loaded(logs.tty))).toHaveLength(1);
  });
});

describe.concurrent('Ctrl-C is a cancellation, not a failure', { timeout: 40_000 }, () => {
  it('test: "Cancelled." once, exit 130, no per-check lines for it, no verdict; the refresh in flight is finished and its rotated token saved', async (ctx) => {
    const f = await fixture(ctx, { app: { rotateRefreshTokens: true } });
    const before = webServer(await f.store.get(f.profileName)).refreshToken;
    f.emulator.setFault('slowMs', 1500);
    let sent = false;
    // The refresh starts with the run (it needs only the configuration): it is in flight once the header is out.
    const r = await spawnTimed(['test'], pipeEnv(f.configDir), {
      onStdout: (out, child) => {
        if (!sent && out.includes('sfoauth test — ')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      },
    });
    f.emulator.setFault('slowMs', 0);
    expect(r.code, r.stdout + r.stderr).toBe(130);
    expect(countOf(r.stdout + r.stderr, 'Cancelled.')).toBe(1);
    expect(r.stderr).toMatch(/^(Error: )?Cancelled\.$/m);
    expect(r.stdout + r.stderr).not.toMatch(/✗|FAILED|OK:/);
    expect(r.stderr).toContain('Waiting for the token refresh in flight to finish and be saved');
    const after = webServer(await f.store.get(f.profileName)).refreshToken;
    expect(after).not.toBe(before);
    const again = await spawnTimed(['test'], pipeEnv(f.configDir));
    expect(again.code, again.stdout).toBe(0);
  });

  it('doctor: "Cancelled." once, exit 130, no "Doctor found … First fix: Cancelled."', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('slowMs', 1500);
    let sent = false;
    const r = await spawnTimed(['doctor'], pipeEnv(f.configDir), {
      onStdout: (out, child) => {
        if (!sent && out.includes('Network')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    });
    expect(r.code, r.stdout + r.stderr).toBe(130);
    expect(countOf(r.stdout + r.stderr, 'Cancelled.')).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/✗|Doctor found|No problems found/);
  });

  it.runIf(hasPty)('in a terminal, Ctrl-C during the spinner: the spinner goes, "Cancelled." once, exit 130, the cursor is back', async (ctx) => {
    const f = await fixture(ctx);
    f.emulator.setFault('slowMs', 1500);
    let typed = false;
    const { code, output } = await inTerminal(cli('test'), terminalEnv(f.configDir), (out, type) => {
      if (!typed && SPINNER_FRAME.test(out)) {
        typed = true;
        setTimeout(() => type('\x03'), 300);
      }
    });
    expect(code, output).toBe(130);
    expect(countOf(output, 'Cancelled.')).toBe(1);
    expect(output).not.toMatch(/✗|FAILED/);
    expect(output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(output.lastIndexOf('\x1b[?25l'));
  });
});

describe('secret scan', () => {
  it('nothing captured holds a secret', () => {
    expect(captured.length).toBeGreaterThan(10);
    expectNoSecrets(captured, allSecrets);
  });
});
