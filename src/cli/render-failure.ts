/**
 * The one rendering of a failure's explanation (core/salesforce/explain-failure.ts) as terminal lines:
 * Cause, Fix, then the Setup screens one per line. main, `sfoauth explain`, and test's and doctor's
 * check details all print these lines, so a failure reads the same in every command.
 */
import type { ChalkInstance } from 'chalk';
import type { FailureExplanation } from '../core/salesforce/explain-failure.js';

/** `indent` is what precedes each line (two spaces under an error; more under a check). */
export function failureLines(e: Pick<FailureExplanation, 'cause' | 'fix' | 'setup'>, c: ChalkInstance, indent = '  '): string[] {
  const lines = [`${indent}${c.bold('Cause:')} ${e.cause}`, `${indent}${c.bold('Fix:')}   ${e.fix}`];
  e.setup.forEach((screen, i) => lines.push(`${indent}${i === 0 ? c.bold('Setup:') : '      '} ${screen}`));
  return lines;
}
