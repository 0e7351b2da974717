/**
 * Every side effect sfoauth has, as one object (gh's Factory, oauth4webapi's customFetch). Commands and
 * core code take the parts they use; tests pass fakes. createDeps() is the production wiring, and it
 * imports nothing heavy: undici, conf/zod, Inquirer and open load on first use.
 */
import { CancelledError } from './errors.js';
import { createProcessIO, type IO } from './cli/io.js';
import type { ProfileStore } from './core/config/store.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The one HTTP seam: the global fetch signature. Production adds an undici dispatcher (proxy, timeouts). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Choice<T extends string> {
  value: T;
  name: string;
  description?: string;
}

/** The narrow prompt interface commands use (platform/prompter.ts wraps @inquirer/prompts). */
export interface Prompter {
  /** `signal` cancels just this prompt (e.g. the callback arrived while the user could still paste). */
  input(opts: {
    message: string;
    default?: string;
    validate?: (value: string) => true | string;
    signal?: AbortSignal;
    /** What the terminal keeps showing once answered (e.g. not a pasted URL that holds a code). */
    answeredAs?: (value: string) => string;
  }): Promise<string>;
  /** Masked input. */
  password(opts: { message: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T extends string>(opts: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  confirm(opts: { message: string; default?: boolean }): Promise<boolean>;
}

export interface Deps {
  io: IO;
  env: Env;
  fetch: FetchLike;
  clock: Clock;
  random: (bytes: number) => Uint8Array;
  openBrowser: (url: string) => Promise<void>;
  prompter: Prompter;
  /** Opens the profile store in --config-dir, SFOAUTH_CONFIG_DIR, or the user's config directory. */
  openStore: (configDir?: string) => Promise<ProfileStore>;
  /** Aborted on Ctrl-C; long waits (callback server, retries, emulator) listen to it. */
  signal: AbortSignal;
  /** Set by --verbose: receives the redacted HTTP trace. */
  trace?: (line: string) => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export function createDeps(env: Env = process.env): Deps {
  const io = createProcessIO(env); // depends on env (NO_COLOR); --no-color is applied by program.ts
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort(new CancelledError());
    // A second Ctrl-C means "now".
    process.once('SIGINT', () => process.exit(130));
  });
  let fetchImpl: FetchLike | undefined;
  const deps: Deps = {
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
    openBrowser: async (url) => (await import('./platform/browser.js')).openBrowser(url),
    // depends on io and signal
    prompter: lazyPrompter(() => deps),
    // depends on env (SFOAUTH_CONFIG_DIR, XDG_CONFIG_HOME, SFOAUTH_LOCK_TIMEOUT) and io (notices)
    openStore: async (configDir) => (await import('./platform/conf-store.js')).openConfStore({ configDir, env, notice: (line) => io.err(line) }),
  };
  return deps;
}

/** The variables undici's EnvHttpProxyAgent reads. */
export function usesProxy(env: Env): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((k) => (env[k] ?? '') !== '');
}

function lazyPrompter(getDeps: () => Deps): Prompter {
  const load = async () => (await import('./platform/prompter.js')).createInquirerPrompter(getDeps().io, getDeps().signal);
  return {
    input: async (o) => (await load()).input(o),
    password: async (o) => (await load()).password(o),
    select: async (o) => (await load()).select(o),
    confirm: async (o) => (await load()).confirm(o),
  };
}
