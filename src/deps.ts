/**
 * Every side effect sfoauth has, as one object (gh's Factory, oauth4webapi's customFetch). Commands and
 * core code take the parts they use; tests pass fakes. createDeps() is the production wiring, and it
 * imports nothing heavy: undici, conf/zod, Inquirer and open load on first use.
 */
import { CancelledError } from './errors.js';
import { createProcessIO, quietIO, withColors, type IO } from './cli/io.js';
import type { ProfileStore } from './core/config/store.js';
import type { Clock, Env, FetchLike, Prompter, Trace } from './core/ports.js';
import { realClock } from './platform/clock.js';

// The seam types live in core (core/ports.ts); re-exported here for the wiring's users and tests.
export type { Choice, Clock, Env, FetchLike, Prompter, Trace } from './core/ports.js';
export { realClock };

/** Never mutated: what depends on the global flags is built once by finishDeps(), before the command runs. */
export interface Deps {
  readonly io: IO;
  readonly env: Env;
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly random: (bytes: number) => Uint8Array;
  readonly openBrowser: (url: string) => Promise<void>;
  readonly prompter: Prompter;
  /**
   * Opens the profile store in --config-dir, SFOAUTH_CONFIG_DIR, or the user's config directory.
   * `onLockWait` shows a wait for another sfoauth's config lock (finishDeps sets it).
   */
  readonly openStore: (configDir?: string, o?: { onLockWait?: (line: string) => () => void }) => Promise<ProfileStore>;
  /** Aborted on Ctrl-C; long waits (callback server, retries, emulator) listen to it. */
  readonly signal: AbortSignal;
  /** Set by --verbose: receives the redacted HTTP trace. */
  readonly trace?: Trace;
  /**
   * Shows that a long wait is in flight (a spinner on a terminal) until the returned function is called.
   * Set by a command that has a terminal to draw on (cli/progress.ts withWaitSpinner); absent otherwise.
   */
  readonly showWaiting?: (text: string) => () => void;
  /**
   * The production wiring's parts that speak to the person (the browser's and the store's notices), built
   * again for the IO a command runs with, so that --json silences them too and the prompter's colours follow
   * --no-color (finishDeps). Fakes leave it out, or leave out the prompter so that their own one stays.
   */
  readonly speakingThrough?: (io: IO) => Pick<Deps, 'openBrowser' | 'openStore'> & Partial<Pick<Deps, 'prompter'>>;
}

/** The global flags that shape the deps a command runs with. */
export interface GlobalFlags {
  /** false for --no-color. */
  color: boolean;
  verbose: boolean;
  /** --json: stdout holds one document and stderr stays quiet on success (cli/io.ts quietIO): no spinner, no waiting lines. */
  json?: boolean;
}

/**
 * The deps a command runs with: `base` (the side effects) plus what the global flags decide (colour,
 * the --verbose trace). A new object; `base` is not changed.
 */
export async function finishDeps(base: Deps, flags: GlobalFlags): Promise<Deps> {
  const colored = await withColors(base.io, { err: base.io.colorWanted && flags.color, out: base.io.outColorWanted && flags.color });
  // --verbose asked for the trace: it reaches stderr even with --json.
  const trace: Trace | undefined = flags.verbose ? (line) => colored.err(colored.color.dim(line)) : base.trace;
  const io = flags.json ? quietIO(colored) : colored;
  const spoken: Partial<Pick<Deps, 'openBrowser' | 'openStore' | 'prompter'>> = base.speakingThrough?.(io) ?? {};
  const storeOpener = spoken.openStore ?? base.openStore;
  // A wait for another sfoauth's lock (up to SFOAUTH_LOCK_TIMEOUT) is shown: spinner, line, or nothing with --json.
  const onLockWait = (line: string) => {
    let over = false;
    let end: (() => void) | undefined;
    void import('./cli/progress.js').then((p) => {
      if (!over) end = p.showWait(io, base.env, line, { json: flags.json === true, plain: true, signal: base.signal, afterMs: 0 });
    });
    return () => {
      over = true;
      end?.();
    };
  };
  const openStore: Deps['openStore'] = (configDir, o) => storeOpener(configDir, { onLockWait, ...o });
  return Object.freeze({ ...base, io, ...spoken, openStore, ...(trace ? { trace } : {}) });
}

export function createDeps(env: Env = process.env): Deps {
  const io = createProcessIO(env); // depends on env (NO_COLOR); --no-color is applied by finishDeps()
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort(new CancelledError());
    // A second Ctrl-C means "now".
    process.once('SIGINT', () => process.exit(130));
  });
  let fetchImpl: FetchLike | undefined;
  return {
    io,
    env,
    clock: realClock,
    random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    signal: controller.signal,
    // depends on env (HTTP(S)_PROXY, NO_PROXY). Without a proxy the global fetch is all we need (timeouts
    // and retries live in core/http/request.ts); undici (~100 ms to load) comes in only to speak to a proxy.
    fetch: async (input, init) => {
      if (!fetchImpl) {
        // fetch parses HTTP with a WebAssembly module; V8's optimising tier compiles it in the background
        // and holds process exit ~100 ms for that. A CLI making a dozen requests gains nothing from it.
        (await import('node:v8')).setFlagsFromString('--liftoff-only');
        fetchImpl = usesProxy(env) ? (await import('./platform/http.js')).createProxyAwareFetch(env) : globalThis.fetch;
      }
      return fetchImpl(input, init);
    },
    ...speakingThrough(io),
    speakingThrough,
  };

  function speakingThrough(to: IO): Pick<Deps, 'openBrowser' | 'openStore' | 'prompter'> {
    return {
      // depends on env (SSH_*, DISPLAY: no browser where none can appear) and io (says what it opens)
      openBrowser: async (url) => (await import('./platform/browser.js')).openBrowser(url, { env, platform: process.platform, notice: (line) => to.err(line) }),
      // depends on env (SFOAUTH_CONFIG_DIR, XDG_CONFIG_HOME, SFOAUTH_LOCK_TIMEOUT) and io (notices)
      openStore: async (configDir, o) => (await import('./platform/conf-store.js')).openConfStore({ configDir, env, notice: (line) => to.err(line), ...o }),
      // depends on io (draws with it, so its colours follow --no-color) and signal
      prompter: lazyPrompter(to, controller.signal),
    };
  }
}

/** The variables undici's EnvHttpProxyAgent reads. */
export function usesProxy(env: Env): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((k) => (env[k] ?? '') !== '');
}

/** Inquirer loads on the first question. */
function lazyPrompter(io: IO, signal: AbortSignal): Prompter {
  const load = async () => (await import('./platform/prompter.js')).createInquirerPrompter(io, signal);
  return {
    input: async (o) => (await load()).input(o),
    password: async (o) => (await load()).password(o),
    select: async (o) => (await load()).select(o),
    confirm: async (o) => (await load()).confirm(o),
  };
}
