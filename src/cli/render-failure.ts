/**
 * The one rendering of a failure's explanation (core/salesforce/explain-failure.ts) as terminal lines:
 * Cause, Fix, then the Setup screens one per line. main, `sfoauth explain`, and test's and doctor's
 * check details all print these lines, so a failure reads the same in every command.
 */
import type { ChalkInstance } from 'chalk';
import type { FailureExplanation } from '../core/salesforce/explain-failure.js';
import { wrapLine } from './wrap.js';

/** Every label ("Cause:", "Fix:  ", "Setup:") takes 7 columns, so wrapped text continues under the text. */
const LABEL_COLUMNS = 7;

/**
 * `indent` is what precedes each line (two spaces under an error; more under a check). `width` is the
 * terminal's (cli/wrap.ts); undefined leaves each item on one line.
 */
export function failureLines(e: Pick<FailureExplanation, 'cause' | 'fix' | 'setup'>, c: ChalkInstance, indent = '  ', width?: number): string[] {
  const hang = indent.length + LABEL_COLUMNS;
  const lines = [`${indent}${c.bold('Cause:')} ${e.cause}`, `${indent}${c.bold('Fix:')}   ${e.fix}`];
  e.setup.forEach((screen, i) => lines.push(`${indent}${i === 0 ? c.bold('Setup:') : '      '} ${screen}`));
  return lines.flatMap((line) => wrapLine(line, width, hang));
}
