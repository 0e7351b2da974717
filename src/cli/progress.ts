/**
 * What is in flight, shown on stderr while the report goes to stdout (docs/architecture.md "Progress and
 * output streams"). In a terminal: a spinner (yocto-spinner, loaded only then) whose line is cleared before
 * each report line, so the two never share a line. Anywhere else (a pipe, a file, CI, --json): no spinner,
 * no carriage returns; the report lines alone show the progress.
 */
import type { WriteStream } from 'node:tty';
import { toTerminal, type IO } from './io.js';
import type { Env } from '../core/ports.js';

export interface Progress {
  /** Show `text` as what is in flight now (replacing the earlier text); undefined hides the spinner. */
  spin(text: string | undefined): void;
  /** Report lines for stdout, written with the spinner line cleared first. */
  out(lines: readonly string[]): void;
  /** Clears the spinner for good (idempotent); later spin() calls do nothing. */
  stop(): void;
}

/**
 * A spinner only when a person watches both streams: stderr and stdout are terminals (with stdout in a
 * pager, as in `sfoauth doctor | less`, a spinner would draw over the pager's screen; gh decides the same
 * way), TERM is not "dumb", CI is not set at all (yocto-spinner itself treats any CI variable as "not
 * interactive" and would print its frames as lines), and not --json (stderr stays quiet).
 */
export function wantsSpinner(io: Pick<IO, 'stderr' | 'stderrIsTTY' | 'stdoutIsTTY'>, env: Env, json: boolean, o: { anyStdout?: boolean } = {}): boolean {
  return (
    !json &&
    io.stderrIsTTY &&
    (io.stdoutIsTTY || o.anyStdout === true) &&
    env.CI === undefined &&
    env.TERM !== 'dumb' &&
    // An IO built over buffers may claim a TTY; the spinner needs a real one (cursor movement).
    typeof (io.stderr as Partial<WriteStream>).cursorTo === 'function'
  );
}

/**
 * Starts progress for one command run. Without a spinner this loads nothing. `signal` (Ctrl-C) clears
 * the spinner at once, so what is printed while the run winds down (a refresh in flight is finished
 * and saved first) stands on clean lines.
 */
export async function startProgress(io: IO, env: Env, o: { json: boolean; signal?: AbortSignal; anyStdout?: boolean }): Promise<Progress> {
  const write = (lines: readonly string[]) => {
    for (const line of lines) io.out(line);
  };
  if (!wantsSpinner(io, env, o.json, o)) return { spin: () => undefined, out: write, stop: () => undefined };

  const { default: yoctoSpinner } = await import('yocto-spinner');
  type Color = NonNullable<Parameters<typeof yoctoSpinner>[0]>['color'];
  // handleSignals: false — its own SIGINT handler would exit at once, cutting off a refresh in flight
  // (docs/credentials.md); Ctrl-C is ours (deps.ts). The colour follows --no-color like the rest of stderr:
  // yoctocolors' `reset` (not in the Color type, but a style it has) paints nothing.
  const color = (io.colorWanted ? 'cyan' : 'reset') as Color;
  const spinner = yoctoSpinner({ stream: io.stderr, handleSignals: false, color });
  let stopped = false;
  let text: string | undefined; // the run's own (spin)
  // If the process leaves while spinning (an error, a second Ctrl-C), give the cursor back.
  const onExit = () => void spinner.stop();
  process.once('exit', onExit);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spinner.stop();
    process.off('exit', onExit);
    o.signal?.removeEventListener('abort', stop);
    if (active === progress) active = undefined;
  };
  o.signal?.addEventListener('abort', stop, { once: true });
  // What the spinner shows: the latest wait still going (showWait), else the run's own text (spin).
  const waits: string[] = [];
  const draw = () => {
    if (stopped) return;
    const next = waits.at(-1) ?? text;
    if (next === undefined) {
      spinner.stop();
      return;
    }
    // Our colours and the sanitizer, as io.err() would apply them (the spinner writes to the stream itself).
    const shown = toTerminal(next);
    if (spinner.isSpinning) spinner.text = shown;
    else spinner.start(shown);
  };
  const progress: ActiveProgress = {
    spin: (next) => {
      text = next;
      draw();
    },
    showWait: (wait) => {
      waits.push(wait);
      draw();
      return () => {
        const i = waits.lastIndexOf(wait);
        if (i >= 0) waits.splice(i, 1);
        draw();
        return progress.idle();
      };
    },
    idle: () => waits.length === 0 && text === undefined,
    clear: () => void spinner.clear(),
    out: (lines) => {
      spinner.clear();
      write(lines);
    },
    stop,
  };
  active = progress;
  if (o.signal?.aborted) stop();
  return progress;
}

interface ActiveProgress extends Progress {
  /** Shows `text` over the run's own until the returned function is called; that says whether nothing is left to show. */
  showWait(text: string): () => boolean;
  /** Nothing to show: no wait, no text of the run's own. */
  idle(): boolean;
  /** Clears the spinner's line; the next frame draws it again. */
  clear(): void;
}

/** A notice for stderr while a spinner may be up: the spinner's line is cleared first, so they never share a line. */
export function noticeLine(io: IO, line: string): void {
  active?.clear();
  io.err(line);
}

/**
 * The run's spinner, if one is up: one spinner for the whole run, so a wait that starts while another is
 * shown (the config lock during a refresh) takes its line and gives it back.
 */
let active: ActiveProgress | undefined;
/** Spinners showWait started (and stops once idle); `starting`: one being loaded, so two waits share it. */
const byWaits = new WeakSet<Progress>();
let starting: Promise<void> | undefined;

/** How long a wait lasts before it is shown: shorter ones would only flicker. */
export const SHOW_WAIT_AFTER_MS = 250;

/**
 * Shows `text` for a wait once it has lasted `afterMs`, until the returned function is called: on the
 * spinner already on screen (its text comes back afterwards), else on a spinner of its own, else (no
 * terminal) as one plain line when `plain` is set, and never with --json. `anyStdout`: the spinner only
 * needs stderr to be a terminal (`sfoauth token`, whose stdout is read by a program, never a pager).
 */
export function showWait(
  io: IO,
  env: Env,
  text: string,
  o: { json: boolean; plain: boolean; signal?: AbortSignal; anyStdout?: boolean; afterMs?: number },
): () => void {
  let ended = false;
  let end: (() => void) | undefined;
  const begin = async () => {
    if (ended) return;
    if (!active && wantsSpinner(io, env, o.json, o)) {
      starting ??= startProgress(io, env, o)
        .then((p) => void byWaits.add(p))
        .finally(() => (starting = undefined));
      await starting;
    }
    const shown = active;
    if (!shown) {
      if (!ended && o.plain && !o.json) io.err(text);
      return;
    }
    // A spinner started for waits goes when the last of them ends.
    const release = (done: boolean) => done && byWaits.has(shown) && shown.stop();
    if (ended) return void release(shown.idle());
    const remove = shown.showWait(text);
    end = () => void release(remove());
  };
  const timer = (o.afterMs ?? SHOW_WAIT_AFTER_MS) > 0 ? setTimeout(() => void begin(), o.afterMs ?? SHOW_WAIT_AFTER_MS) : undefined;
  if (timer === undefined) void begin();
  return () => {
    ended = true;
    clearTimeout(timer);
    end?.();
  };
}

/** A report printed a piece at a time (cli/render/test.ts TestPrinter, cli/render/doctor.ts DoctorPrinter). */
export interface LivePrinter<R> {
  start(): string[];
  add(r: R): string[];
  /** What the report waits for next, for the spinner. */
  inFlight(): string | undefined;
}

/**
 * The onStart/onCheck options of runTest/runDoctor that print the report as it happens: each piece to
 * stdout (with `indent`), and the check the report waits for next on the spinner.
 */
export function liveEvents<S, R>(progress: Progress, printerFor: (start: S) => LivePrinter<R>, indent = ''): { onStart: (s: S) => void; onCheck: (r: R) => void } {
  let printer: LivePrinter<R> | undefined;
  const show = (lines: string[]) => {
    progress.out(lines.map((l) => (l === '' ? l : indent + l)));
    const next = printer?.inFlight();
    progress.spin(next === undefined ? undefined : `${next}…`);
  };
  return {
    onStart: (s) => {
      printer = printerFor(s);
      show(printer.start());
    },
    onCheck: (r) => show(printer?.add(r) ?? []),
  };
}

/** Runs `fn` with progress for the run (startProgress), stopped when `fn` ends, however it ends. */
export async function withProgress<T>(
  io: IO,
  env: Env,
  o: { json: boolean; signal?: AbortSignal; anyStdout?: boolean },
  fn: (progress: Progress) => Promise<T>,
): Promise<T> {
  const progress = await startProgress(io, env, o);
  try {
    return await fn(progress);
  } finally {
    progress.stop();
  }
}

/**
 * Runs `fn` with deps whose showWaiting() draws a spinner (in a terminal, not with --json) once the wait
 * has lasted SHOW_WAIT_AFTER_MS: init's wait for the browser and its checks, create's deploy and its steps.
 */
export async function withWaitSpinner<D extends { io: IO; env: Env; signal: AbortSignal }, T>(
  deps: D,
  json: boolean,
  fn: (deps: D & { showWaiting: (text: string) => () => void }) => Promise<T>,
): Promise<T> {
  // The spinner of the run's progress when there is one (showWait borrows it), else nothing: no plain lines.
  const showWaiting = (text: string) => showWait(deps.io, deps.env, text, { json, plain: false, signal: deps.signal });
  return withProgress(deps.io, deps.env, { json, signal: deps.signal }, () => fn({ ...deps, showWaiting }));
}
