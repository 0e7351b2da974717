/**
 * Runs the built CLI on a pseudo-terminal, as a person at a terminal would: util-linux `script` gives
 * the child a pty for stdin, stdout and stderr (one screen), and passes on what the test types. The
 * test waits for text on the screen and types keys, Ctrl-C included (the pty turns it into what a
 * terminal would: a key in raw mode, SIGINT otherwise).
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { shellQuote } from '../../src/core/shell-quote.js';
import { assertBuilt } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/sfoauth.js', import.meta.url));

/** False where util-linux `script` is missing (then the pty tests are skipped, and say so). */
export const HAS_SCRIPT = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

export interface PtyRun {
  /** Everything the terminal showed so far (raw, escape sequences included). */
  screen(): string;
  /** Resolves once `re` matches the screen; rejects after `ms` or when the process ends first. */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  /** Types into the terminal. */
  type(keys: string): void;
  /** The exit code (null if killed at the deadline). */
  done: Promise<number | null>;
}

export function runOnPty(args: string[], opts: { env: Record<string, string>; timeoutMs?: number }): PtyRun {
  assertBuilt();
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  // -q quiet, -f flush at once, -e the child's exit code, -c the command; the typescript goes nowhere.
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', NO_COLOR: '1', NO_PROXY: '127.0.0.1,localhost,::1', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let ended = false;
  const listeners = new Set<() => void>();
  const onData = (b: Buffer) => {
    out += b.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.stdin.on('error', () => undefined);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
  const done = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      ended = true;
      for (const l of listeners) l();
      resolve(code);
    });
  });
  return {
    screen: () => out,
    type: (keys) => void child.stdin.write(keys),
    done,
    waitFor: (re, ms = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const finish = (err?: Error) => {
          clearTimeout(t);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (re.test(out)) finish();
          else if (ended) finish(new Error(`the process ended before ${re} showed; screen:\n${out}`));
        };
        const t = setTimeout(() => finish(new Error(`timed out waiting for ${re}; screen:\n${out}`)), ms);
        listeners.add(check);
        check();
      }),
  };
}
