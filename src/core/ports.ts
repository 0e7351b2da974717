/**
 * The seams core depends on: the shapes of the side effects it is handed (docs/architecture.md "Layers").
 * Core imports these types only; src/deps.ts wires the real implementations from src/platform, and tests
 * pass fakes. Nothing here has behaviour.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** The one HTTP seam: the global fetch signature. Production adds an undici dispatcher (proxy, timeouts). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Receives one redacted line per HTTP request, response, retry and failure (--verbose). */
export type Trace = (line: string) => void;

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
    /** A value this matches (e.g. a secret pasted into the wrong prompt) is hidden while typed, and wiped when refused. */
    concealIf?: (value: string) => boolean;
  }): Promise<string>;
  /** Masked input. */
  password(opts: { message: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T extends string>(opts: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  confirm(opts: { message: string; default?: boolean }): Promise<boolean>;
}
