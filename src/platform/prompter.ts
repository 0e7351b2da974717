/**
 * The only file that imports @inquirer/prompts. Prompts read our stdin and draw on stderr (stdout stays
 * clean for results); Ctrl-C becomes CancelledError. Their colours follow the CLI's decision for stderr
 * (NO_COLOR, FORCE_COLOR, --no-color, a stderr that is not a terminal: cli/io.ts colorPolicy), not
 * Inquirer's own, which looks only at the environment.
 */
import { confirm, input, password, select } from '@inquirer/prompts';
import { CancelledError } from '../errors.js';
import type { Readable, Writable } from 'node:stream';
import { escapeControls } from '../core/terminal-text.js';
import type { Prompter } from '../core/ports.js';

/**
 * Inquirer's theme without colour: every style keeps its text (brackets and markers included) and adds
 * no escape codes. Inquirer's cursor movement is not colour and stays.
 */
const plain = (text: string) => text;
const COLORLESS_THEME = {
  prefix: { idle: '?', done: '✔' },
  spinner: { interval: 80, frames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] },
  style: {
    answer: plain,
    message: plain,
    error: (text: string) => `> ${text}`,
    defaultAnswer: (text: string) => `(${text})`,
    help: plain,
    highlight: plain,
    key: (text: string) => `<${text}>`,
    // select's own styles
    disabled: (text: string) => `- ${text}`,
    description: plain,
    keysHelpTip: (keys: [string, string][]) => keys.map(([key, action]) => `${key} ${action}`).join(' • '),
  },
};

const ANSWERED_MASK = '********';

/**
 * `io`: the terminal's streams (the CLI's IO has them; the prompter needs nothing else of it), and
 * `colorWanted`, whether stderr gets colour (after --no-color).
 */
export function createInquirerPrompter(io: { stdin: Readable; stderr: Writable; colorWanted?: boolean }, signal: AbortSignal): Prompter {
  const context = { input: io.stdin, output: io.stderr, signal };
  // undefined keeps Inquirer's coloured default theme.
  const theme = io.colorWanted === false ? COLORLESS_THEME : undefined;
  const themed = theme ? { theme } : {};
  const guard = async <T>(run: () => Promise<T>, own?: AbortSignal): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      // A prompt aborted by its own signal rejects with that signal's reason, not a cancellation.
      if (own?.aborted) throw own.reason;
      if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) {
        throw new CancelledError();
      }
      throw err;
    }
  };
  return {
    input: (o) =>
      guard(
        () =>
          input(
            {
              message: o.message,
              default: o.default,
              validate: o.validate,
              // What is typed or pasted is echoed as it arrives: a paste copied from a hostile page may carry
              // terminal escapes, so it is shown sanitized (the value itself is not changed).
              transformer: (v: string, { isFinal }: { isFinal: boolean }) =>
                o.concealIf?.(v.trim()) ? '(hidden)' : escapeControls(isFinal && o.answeredAs ? o.answeredAs(v) : v),
              // A refused value is wiped rather than kept for editing when it may be a secret.
              ...(o.concealIf ? { theme: { ...theme, validationFailureMode: 'clear' as const } } : themed),
            },
            { ...context, signal: o.signal ? AbortSignal.any([signal, o.signal]) : signal },
          ),
        o.signal,
      ),
    // A star per character while typing shows the paste arrived; once answered the line keeps a fixed
    // mask, so the screen (and a screen recording) does not keep the secret's length.
    password: (o) =>
      guard(() => password({ message: o.message, mask: '*', validate: o.validate, theme: { ...theme, style: { ...theme?.style, answer: () => ANSWERED_MASK } } }, context)),
    select: (o) =>
      guard(() =>
        select({ message: o.message, choices: o.choices, default: o.default, ...themed }, context),
      ) as Promise<typeof o.default & string>,
    confirm: (o) => guard(() => confirm({ message: o.message, default: o.default, ...themed }, context)),
  };
}
