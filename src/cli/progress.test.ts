import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestIO } from '../../test/support/test-io.js';
import { createIO } from './io.js';
import { liveEvents, noticeLine, showWait, startProgress, wantsSpinner, type Progress } from './progress.js';

// The real spinner draws on a terminal; here a recording stand-in shows what progress asks of it.
const spinners: { options: Record<string, unknown>; calls: string[] }[] = [];
vi.mock('yocto-spinner', () => ({
  default: (options: Record<string, unknown>) => {
    const calls: string[] = [];
    spinners.push({ options, calls });
    let spinning = false;
    return {
      get isSpinning() {
        return spinning;
      },
      set text(t: string) {
        calls.push(`text ${t}`);
      },
      start: (t: string) => {
        spinning = true;
        calls.push(`start ${t}`);
      },
      stop: () => {
        spinning = false;
        calls.push('stop');
      },
      clear: () => calls.push('clear'),
    };
  },
}));

afterEach(() => {
  spinners.length = 0;
});

/** An IO whose stderr looks like a terminal (cursor movement), as the real one in a terminal is. */
function terminalIO() {
  const stderr = Object.assign(new PassThrough(), { cursorTo: () => true, moveCursor: () => true, clearLine: () => true, isTTY: true });
  const stdout = new PassThrough();
  const out: string[] = [];
  stdout.on('data', (b: Buffer) => out.push(b.toString()));
  const io = createIO({ stdin: new PassThrough(), stdout, stderr, stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true, env: {} });
  return { io, out };
}

describe('wantsSpinner', () => {
  const tty = { stderr: terminalIO().io.stderr, stderrIsTTY: true, stdoutIsTTY: true };
  it.each([
    ['a terminal on both streams', tty, {}, false, true],
    ['--json', tty, {}, true, false],
    ['stdout in a pipe or pager', { ...tty, stdoutIsTTY: false }, {}, false, false],
    ['stderr redirected', { ...tty, stderrIsTTY: false }, {}, false, false],
    ['CI set (even to false: the spinner library counts any CI as not interactive)', tty, { CI: 'false' }, false, false],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false, false],
    ['a buffer that only claims to be a terminal', { ...tty, stderr: new PassThrough() }, {}, false, false],
  ])('%s', (_what, io, env, json, want) => {
    expect(wantsSpinner(io, env, json)).toBe(want);
  });
});

describe('startProgress', () => {
  it('without a terminal: loads no spinner, writes report lines to stdout as they come, nothing to stderr', async () => {
    const t = createTestIO();
    const p = await startProgress(t.io, {}, { json: false });
    p.spin('Refresh token grant…');
    p.out(['  ✓ one', '  ✓ two']);
    p.stop();
    expect(spinners).toHaveLength(0);
    expect(t.stdout()).toBe('  ✓ one\n  ✓ two\n');
    expect(t.stderr()).toBe('');
  });

  it('in a terminal: a spinner on stderr that never handles Ctrl-C itself, cleared before each report line', async () => {
    const { io, out } = terminalIO();
    const p = await startProgress(io, {}, { json: false });
    p.spin('DNS…');
    p.out(['  ✓ DNS']);
    p.spin('TCP and TLS…');
    p.stop();
    p.spin('after stop…');
    expect(spinners).toHaveLength(1);
    // Its own SIGINT handler would exit at once, cutting off a refresh in flight.
    expect(spinners[0]!.options).toMatchObject({ stream: io.stderr, handleSignals: false });
    expect(spinners[0]!.calls).toEqual(['start DNS…', 'clear', 'text TCP and TLS…', 'stop']);
    expect(out.join('')).toBe('  ✓ DNS\n');
  });

  it('stops the spinner at once on Ctrl-C (the signal), so what follows stands on clean lines', async () => {
    const { io } = terminalIO();
    const ctrl = new AbortController();
    const p = await startProgress(io, {}, { json: false, signal: ctrl.signal });
    p.spin('Refresh token grant…');
    ctrl.abort();
    p.spin('Client secret…');
    expect(spinners[0]!.calls).toEqual(['start Refresh token grant…', 'stop']);
  });

  it('--json in a terminal: no spinner', async () => {
    await startProgress(terminalIO().io, {}, { json: true });
    expect(spinners).toHaveLength(0);
  });
});

describe('liveEvents', () => {
  it('prints the printer’s lines (indented, blank lines left blank) and spins on what comes next', () => {
    const printed: string[] = [];
    const spun: (string | undefined)[] = [];
    const progress: Progress = { out: (l) => printed.push(...l), spin: (t) => spun.push(t), stop: () => undefined };
    const checks = ['A', 'B'];
    let done = 0;
    const ev = liveEvents(progress, (title: string) => ({ start: () => [title, ''], add: (r: string) => [`✓ ${checks[done++]} ${r}`], inFlight: () => checks[done] }), '  ');
    ev.onStart('header');
    ev.onCheck('ok');
    ev.onCheck('ok');
    expect(printed).toEqual(['  header', '', '  ✓ A ok', '  ✓ B ok']);
    expect(spun).toEqual(['A…', 'B…', undefined]);
  });
});

describe('showWait: a wait shown once it lasts a quarter second', { timeout: 5_000 }, () => {
  const settle = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
    await new Promise((r) => setImmediate(r)); // the spinner module's dynamic import
    await vi.advanceTimersByTimeAsync(0);
  };
  afterEach(() => void vi.useRealTimers());

  it('without a terminal: one plain line with `plain`, nothing without it, nothing with --json, nothing for a short wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const t = createTestIO();
    const short = showWait(t.io, {}, 'short', { json: false, plain: true });
    await settle(200);
    short();
    const quiet = showWait(t.io, {}, 'quiet', { json: false, plain: false });
    const json = showWait(t.io, {}, 'json', { json: true, plain: true });
    const long = showWait(t.io, {}, 'Waiting for another sfoauth process…', { json: false, plain: true });
    await settle(300);
    for (const end of [quiet, json, long]) end();
    expect(t.stderr()).toBe('Waiting for another sfoauth process…\n');
    expect(spinners).toEqual([]);
  });

  it('on a terminal: its own spinner after the delay, stopped at the end; `anyStdout` needs only stderr to be a terminal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { io } = terminalIO();
    const piped = Object.assign(Object.create(io) as typeof io, { stdoutIsTTY: false });
    expect(spinners).toEqual([]);
    const end = showWait(piped, {}, 'Getting a fresh access token…', { json: false, plain: false, anyStdout: true });
    await settle(100);
    expect(spinners).toEqual([]);
    await settle(200);
    expect(spinners[0]!.calls).toEqual(['start Getting a fresh access token…']);
    end();
    expect(spinners[0]!.calls.at(-1)).toBe('stop');
    const none = showWait(piped, {}, 'not without anyStdout', { json: false, plain: false });
    await settle(300);
    none();
    expect(spinners).toHaveLength(1);
  });

  it('a wait that starts while a spinner is up takes its line and gives it back; one spinner in all', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { io } = terminalIO();
    const progress = await startProgress(io, {}, { json: false });
    progress.spin('Login host reachable…');
    const lock = showWait(io, {}, 'Waiting for another sfoauth process…', { json: false, plain: true, afterMs: 0 });
    await settle(0);
    lock();
    progress.stop();
    expect(spinners).toHaveLength(1);
    expect(spinners[0]!.calls).toEqual(['start Login host reachable…', 'text Waiting for another sfoauth process…', 'text Login host reachable…', 'stop']);
  });

  it('nested waits on their own spinner: the outer text comes back, and the spinner stops with the last wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { io } = terminalIO();
    const outer = showWait(io, {}, 'Revoking…', { json: false, plain: false, afterMs: 0 });
    await settle(0);
    const inner = showWait(io, {}, 'Waiting for the lock…', { json: false, plain: false, afterMs: 0 });
    await settle(0);
    inner();
    expect(spinners[0]!.calls).toEqual(['start Revoking…', 'text Waiting for the lock…', 'text Revoking…']);
    outer();
    expect(spinners[0]!.calls.at(-1)).toBe('stop');
    expect(spinners).toHaveLength(1);
  });

  it('a notice while a wait is shown clears the spinner line first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { io } = terminalIO();
    const end = showWait(io, {}, 'Getting a fresh access token…', { json: false, plain: false, afterMs: 0 });
    await settle(0);
    noticeLine(io, 'Tightened config.json to 0600.');
    end();
    expect(spinners[0]!.calls.slice(0, 3)).toEqual(['start Getting a fresh access token…', 'clear', 'stop']);
  });
});
