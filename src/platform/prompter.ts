/**
 * The only file that imports @inquirer/prompts. Prompts read our stdin and draw on stderr (stdout stays
 * clean for results); Ctrl-C becomes CancelledError.
 */
import { confirm, input, password, select } from '@inquirer/prompts';
import { CancelledError } from '../errors.js';
import type { Readable, Writable } from 'node:stream';
import { escapeControls } from '../core/terminal-text.js';
import type { Prompter } from '../core/ports.js';

/** `io`: the terminal's streams (the CLI's IO has them; the prompter needs nothing else of it). */
export function createInquirerPrompter(io: { stdin: Readable; stderr: Writable }, signal: AbortSignal): Prompter {
  const context = { input: io.stdin, output: io.stderr, signal };
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
              ...(o.concealIf ? { theme: { validationFailureMode: 'clear' as const } } : {}),
            },
            { ...context, signal: o.signal ? AbortSignal.any([signal, o.signal]) : signal },
          ),
        o.signal,
      ),
    password: (o) => guard(() => password({ message: o.message, mask: '*', validate: o.validate }, context)),
    select: (o) =>
      guard(() =>
        select({ message: o.message, choices: o.choices, default: o.default }, context),
      ) as Promise<typeof o.default & string>,
    confirm: (o) => guard(() => confirm({ message: o.message, default: o.default }, context)),
  };
}
