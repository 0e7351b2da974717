/**
 * Turns a Setup guide (core/salesforce/setup-steps.ts) into terminal lines: numbered sections and
 * steps, each value on a line of its own so it can be selected and copied without anything around it,
 * notes dimmed. Colour comes from the caller's chalk, so a level-0 instance gives plain text.
 */
import type { ChalkInstance } from 'chalk';
import type { SetupGuide } from '../core/salesforce/setup-steps.js';
import { wrapLine } from './wrap.js';

const STEP_INDENT = '   ';
const VALUE_EXTRA_INDENT = '   ';
const WARNING = 'Warning:';
const THEN_RUN = 'Then run: ';

/**
 * `width` is the terminal's (cli/wrap.ts): steps, notes and the text around them wrap to it, under their
 * text; values never do (they are for copying). Undefined (not a terminal) keeps each on one line.
 */
export function renderSetupGuide(guide: SetupGuide, color: ChalkInstance, width?: number): string[] {
  const lines: string[] = [color.bold(clean(guide.title))];
  const prose = (line: string, hang: string | number = 0) => lines.push(...wrapLine(line, width, hang));

  if (guide.intro.length > 0) lines.push('');
  for (const raw of guide.intro) {
    const line = clean(raw);
    prose(line.startsWith(WARNING) ? color.yellow.bold(WARNING) + color.yellow(line.slice(WARNING.length)) : labels(line, color));
  }

  guide.sections.forEach((section, s) => {
    lines.push('', color.bold(`${s + 1}. ${clean(section.title)}`));
    const numbers = section.steps.map((_, i) => `${s + 1}.${i + 1}`);
    const numberWidth = Math.max(0, ...numbers.map((n) => n.length));
    // Continuation lines (values, notes, wrapped text) start under the step's text.
    const hang = ' '.repeat(STEP_INDENT.length + numberWidth + 2);
    section.steps.forEach((step, i) => {
      prose(`${STEP_INDENT}${(numbers[i] ?? '').padEnd(numberWidth)}  ${labels(clean(step.text), color)}`, hang);
      for (const value of step.values ?? []) lines.push(hang + VALUE_EXTRA_INDENT + color.cyan(clean(value)));
      if (step.note !== undefined && clean(step.note) !== '') prose(hang + color.dim(clean(step.note)), hang);
    });
  });

  if (guide.after.length > 0) lines.push('');
  for (const raw of guide.after) {
    const line = clean(raw);
    // The command after "Then run:" is for copying: never wrapped.
    if (line.startsWith(THEN_RUN)) lines.push(color.bold(THEN_RUN.trimEnd()) + ' ' + color.cyan(line.slice(THEN_RUN.length)));
    else prose(labels(line, color));
  }
  return lines;
}

/** Salesforce labels are quoted in the guide text; make them stand out, keeping the quotes for plain output. */
function labels(text: string, color: ChalkInstance): string {
  return text.replace(/"([^"]+)"/g, (_, label: string) => `"${color.bold(label)}"`);
}

/** One line of text: no line breaks inside, no trailing whitespace. */
function clean(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trimEnd();
}
