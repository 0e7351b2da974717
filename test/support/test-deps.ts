/**
 * Shared test fakes (gh's iostreams.Test / factory for tests): createTestDeps() builds a Deps where every
 * side effect a test did not ask for fails loudly (a prompt, a browser, a network request, a store), and a
 * scripted prompter answers by the exact prompt message.
 */
import { realClock, type Choice, type Deps, type Prompter } from '../../src/deps.js';
import { createTestIO, type TestIO } from './test-io.js';

// A scripted prompter: answers keyed by the exact prompt message. A question without an answer fails
// the test, as does an answer the prompt's own validator rejects (Inquirer would ask again forever).

export type Answer = string | boolean | ((opts: { message: string; signal?: AbortSignal }) => Promise<string>);

/** Never settles by itself: the callback server is meant to win, and init aborts this prompt. */
export const WAIT_FOR_ABORT: Answer = ({ signal }) =>
  new Promise<string>((_resolve, reject) => {
    if (!signal) return reject(new Error('the paste prompt has no abort signal'));
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

export interface ScriptedPrompter extends Prompter {
  /** Every message asked, in order. */
  asked: string[];
}

export function scriptedPrompter(answers: Record<string, Answer>): ScriptedPrompter {
  const asked: string[] = [];
  const answerFor = (message: string): Answer => {
    asked.push(message);
    const a = answers[message];
    if (a === undefined) throw new Error(`unexpected prompt: ${JSON.stringify(message)}`);
    return a;
  };
  const validated = (message: string, value: string, validate?: (v: string) => true | string) => {
    const verdict = validate ? validate(value) : true;
    if (verdict !== true) throw new Error(`the answer to ${JSON.stringify(message)} was refused: ${verdict}`);
    return value;
  };
  return {
    asked,
    async input(opts) {
      const a = answerFor(opts.message);
      const value = typeof a === 'function' ? await a(opts) : String(a);
      return validated(opts.message, value, opts.validate);
    },
    async password(opts) {
      const a = answerFor(opts.message);
      if (typeof a !== 'string') throw new Error(`the answer to ${opts.message} must be a string`);
      return validated(opts.message, a, opts.validate);
    },
    async select<T extends string>(opts: { message: string; choices: Choice<T>[]; default?: T }): Promise<T> {
      const a = answerFor(opts.message);
      const choice = opts.choices.find((c) => c.value === a);
      if (!choice) throw new Error(`${String(a)} is not a choice of ${opts.message}: ${opts.choices.map((c) => c.value).join(', ')}`);
      return choice.value;
    },
    async confirm(opts) {
      const a = answerFor(opts.message);
      if (typeof a !== 'boolean') throw new Error(`the answer to ${opts.message} must be a boolean`);
      return a;
    },
  };
}

/** A prompter that fails the test on any question. */
export const noPrompts = (): ScriptedPrompter => scriptedPrompter({});

/** A browser that must not be opened. */
export const refusingBrowser =
  (who = 'this command') =>
  (): Promise<void> =>
    Promise.reject(new Error(`${who} must not open a browser`));

const unexpected = (what: string) => () => Promise.reject(new Error(`unexpected ${what} in this test`));

/**
 * A Deps for one test: a buffered non-TTY terminal (NO_COLOR, CI), no prompts, no browser, no network and
 * no store unless `overrides` provides them, the real clock and random bytes, a signal nobody aborts.
 */
export function createTestDeps(overrides: Partial<Deps> & { tty?: boolean } = {}): { deps: Deps; t: TestIO } {
  const { tty, ...given } = overrides;
  const t = createTestIO({ tty: tty ?? false, env: { NO_COLOR: '1', CI: 'true' } });
  const deps: Deps = {
    io: t.io,
    env: {},
    fetch: unexpected('network request'),
    clock: realClock,
    random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    openBrowser: refusingBrowser(),
    prompter: noPrompts(),
    openStore: unexpected('config store'),
    signal: new AbortController().signal,
    ...given,
  };
  return { deps, t };
}
