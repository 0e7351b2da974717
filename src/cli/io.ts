/**
 * The terminal, as one injectable object (gh's IOStreams). Results go to stdout; prompts, progress,
 * hints and reports go to stderr. Tests build an IO over buffers (test/support/test-io.ts).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Readable, Writable } from 'node:stream';

export interface IO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Colours for stderr/stdout text; level 0 when not a TTY, under NO_COLOR or --no-color. */
  color: ChalkInstance;
  /** True only when a person can answer a prompt: stdin and stderr are TTYs, CI is unset (commands also honour --yes). */
  canPrompt(): boolean;
  /** Write one line to stdout. */
  out(line?: string): void;
  /** Write one line to stderr. */
  err(line?: string): void;
}

export interface IOOptions {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  /** false for --no-color. */
  color?: boolean;
}

export function createIO(opts: IOOptions): IO {
  const env = opts.env ?? {};
  const stdinIsTTY = opts.stdinIsTTY ?? false;
  const stdoutIsTTY = opts.stdoutIsTTY ?? false;
  const stderrIsTTY = opts.stderrIsTTY ?? false;
  const colorWanted = opts.color !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb';
  const color = new Chalk({ level: colorWanted && stderrIsTTY ? 1 : 0 });
  return {
    stdin: opts.stdin,
    stdout: opts.stdout,
    stderr: opts.stderr,
    stdinIsTTY,
    stdoutIsTTY,
    stderrIsTTY,
    color,
    canPrompt: () => stdinIsTTY && stderrIsTTY && !isCI(env),
    out: (line = '') => void opts.stdout.write(line + '\n'),
    err: (line = '') => void opts.stderr.write(line + '\n'),
  };
}

/** The real process streams. */
export function createProcessIO(env: Readonly<Record<string, string | undefined>>, color = true): IO {
  return createIO({
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env,
    color,
  });
}

/** `CI` set to anything but "" / "0" / "false" means a machine is running us. */
export function isCI(env: Readonly<Record<string, string | undefined>>): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Show that a secret exists without showing it: the last 4 characters only for long values, nothing
 * for short ones. Used for client secrets and tokens everywhere (gh's displayToken).
 */
export function mask(secret: string | undefined): string {
  if (!secret) return '(none)';
  if (secret.length < 16) return '********';
  return `********${secret.slice(-4)}`;
}
