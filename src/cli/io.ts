/**
 * The terminal, as one injectable object (gh's IOStreams). Results and reports go to stdout; prompts,
 * progress, hints and warnings go to stderr. Each stream decides its own colour (colorPolicy), so
 * `sfoauth steps > steps.txt` in a terminal writes no ANSI codes. Tests build an IO over buffers
 * (test/support/test-io.ts).
 */
import type { ChalkInstance } from 'chalk';
import type { Readable, Writable } from 'node:stream';
import { escapeControls } from '../core/terminal-text.js';
import { hangOf, terminalColumns, wrapLine } from './wrap.js';

export interface IO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /**
   * Colours for text written to stderr (err()). Starts colourless; withColors() makes the IO a command
   * runs with, with chalk when colorPolicy() says yes for stderr (chalk is loaded then, not at start-up).
   */
  readonly color: ChalkInstance;
  /** Colours for text written to stdout (out()); decided for stdout on its own. */
  readonly outColor: ChalkInstance;
  /** Whether stderr wants colour (colorPolicy, before --no-color); see withColors(). */
  readonly colorWanted: boolean;
  /** Whether stdout wants colour (colorPolicy, before --no-color). */
  readonly outColorWanted: boolean;
  /** True only when a person can answer a prompt: stdin and stderr are TTYs, CI is unset (commands also honour --yes). */
  canPrompt(): boolean;
  /** Write one line to stdout. Control characters in it are escaped (terminal-text.ts); our colours pass. */
  out(line?: string): void;
  /** Write one line to stderr, sanitized like out(): progress, notices, warnings. Silent with --json (quietIO). */
  err(line?: string): void;
  /**
   * Write one line a person must read to go on (the login URL when sfoauth opens no browser, what to copy
   * before a question) to stderr. Like a prompt, it is part of the exchange with the person: --json does
   * not silence it.
   */
  instruct(line?: string): void;
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
  const colorWanted = opts.color !== false && colorPolicy(stderrIsTTY, env);
  const outColorWanted = opts.color !== false && colorPolicy(stdoutIsTTY, env);
  // Notices and progress wrap to the terminal's width (read at each write: the window may be resized);
  // a URL or a command is never split (cli/wrap.ts). Reports wrap themselves; files and pipes never.
  const toStderr = (line: string) => {
    const width = terminalColumns(opts.stderr, stderrIsTTY);
    const parts = width === undefined ? [line] : line.split('\n').flatMap((l) => wrapLine(l, width, hangOf(l)));
    return parts.map(toTerminal).join('\n') + '\n';
  };
  // err() and instruct() write alike; they differ only in what quietIO does to them.
  const toStderrLine = (line = '') => void opts.stderr.write(toStderr(line));
  return {
    stdin: opts.stdin,
    stdout: opts.stdout,
    stderr: opts.stderr,
    stdinIsTTY,
    stdoutIsTTY,
    stderrIsTTY,
    color: plainColors,
    outColor: plainColors,
    colorWanted,
    outColorWanted,
    canPrompt: () => stdinIsTTY && stderrIsTTY && !isCI(env),
    out: (line = '') => void opts.stdout.write(toTerminal(line) + '\n'),
    err: toStderrLine,
    instruct: toStderrLine,
  };
}

/**
 * The IO of a --json run (README.md "JSON output"): stdout holds the one document, and on success stderr
 * stays empty. err() writes nothing (progress, notices and warnings; a warning that matters for the result
 * is in the document), and stderr counts as no terminal, so nothing draws on it (no spinner, no
 * countdown). Prompts and instruct() still reach the person: without them the run could not go on.
 */
export function quietIO(io: IO): IO {
  return copyWith(io, { err: () => undefined, stderrIsTTY: false });
}

/**
 * A copy of `io` with some properties replaced; `io` itself is not changed. Property descriptors, not a
 * spread: the process IO's stdin is a getter that must stay lazy.
 */
function copyWith(io: IO, values: Partial<IO>): IO {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(io)) as IO;
  const replaced = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, enumerable: true }]));
  return Object.defineProperties(copy, replaced);
}

/**
 * Whether one stream gets colour, before --no-color (which always wins): FORCE_COLOR forces it ("0" and
 * "false" force it off; other values, even "", on), else NO_COLOR (any non-empty value) turns it off
 * (https://no-color.org), else a TTY that is not TERM=dumb. FORCE_COLOR beats NO_COLOR as in Node's
 * own tty.hasColors() (https://nodejs.org/api/tty.html#writestreamhascolorscount-env).
 */
export function colorPolicy(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

/**
 * A colourless stand-in with chalk's shape: every style is the identity, chained or called. Keeps chalk
 * (about 12 ms to import) off the `--help` / `--version` path.
 */
export const plainColors: ChalkInstance = (() => {
  const paint = (...text: unknown[]) => text.join(' ');
  const proxy: unknown = new Proxy(paint, {
    get: (_target, prop) => (prop === 'level' ? 0 : proxy),
    apply: (_target, _this, args: unknown[]) => args.join(' '),
  });
  return proxy as ChalkInstance;
})();

/**
 * Our own escape sequences travel to out()/err() as this marker instead of ESC, so the sanitizer can
 * escape every ESC that came from outside and still let our colours through. The random part keeps a
 * server from forging the marker (it never reaches any output).
 */
let styleMark: string | undefined;
/**
 * Made on first use: Web Crypto costs start-up time, and a run without colour whose text holds no
 * U+E000 (`sfoauth --help`) never needs the marker.
 */
function styleMarker(): string {
  styleMark ??= `\uE000${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('')}\uE001`;
  return styleMark;
}

/** Escapes outside control characters, then turns our style markers back into ESC. */
export function toTerminal(text: string): string {
  const escaped = escapeControls(text);
  // Every marker starts with U+E000: text without one holds none of our colours (nor a forged marker).
  return escaped.includes('\uE000') ? escaped.split(styleMarker()).join('\x1b') : escaped;
}

/**
 * chalk, with the text it styles sanitized first and its own ESC replaced by STYLE_MARK; chained
 * styles (c.red.bold) are wrapped the same way.
 */
function markStyles(chalk: ChalkInstance): ChalkInstance {
  // The proxy's target is a fresh arrow function: chalk's own styles are non-configurable properties,
  // which a proxy over chalk itself would have to return unwrapped.
  const wrap = (style: ChalkInstance): ChalkInstance =>
    new Proxy(() => undefined, {
      get: (_target, prop) => {
        const value: unknown = Reflect.get(style, prop);
        return typeof value === 'function' && typeof prop === 'string' && prop !== 'constructor' ? wrap(value as ChalkInstance) : value;
      },
      apply: (_target, _this, args: unknown[]) =>
        (style as (...a: unknown[]) => string)(...args.map((a) => escapeControls(String(a)))).split('\x1b').join(styleMarker()),
    }) as unknown as ChalkInstance;
  return wrap(chalk);
}

/**
 * A copy of `io` with each stream's colour on (chalk loaded now) or off; `io` itself is not changed.
 * Built once per run, before the command, from the terminal and the global flags (program.ts).
 */
export async function withColors(io: IO, on: { err: boolean; out: boolean }): Promise<IO> {
  const chalk = on.err || on.out ? markStyles(new (await import('chalk')).Chalk({ level: 1 })) : plainColors;
  return copyWith(io, {
    color: on.err ? chalk : plainColors,
    outColor: on.out ? chalk : plainColors,
    colorWanted: on.err,
    outColorWanted: on.out,
  });
}

/** The real process streams. */
export function createProcessIO(env: Readonly<Record<string, string | undefined>>, color = true): IO {
  const io = createIO({
    stdin: undefined as unknown as Readable, // defined lazily below
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env,
    color,
  });
  // `sfoauth steps | head -1`: once the reader is gone, further output has nowhere to go; drop it
  // quietly instead of dying with EPIPE (Node's default is an unhandled 'error' and a stack trace).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  // process.stdin builds a stream on first access (~1 ms); most commands never read it.
  Object.defineProperty(io, 'stdin', { get: () => process.stdin, enumerable: true });
  return io;
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
