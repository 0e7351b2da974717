/**
 * Turns a Setup guide (core/salesforce/setup-steps.ts) into terminal lines: numbered sections and
 * steps, each value on a line of its own so it can be selected and copied without anything around it,
 * notes dimmed. Colour comes from the caller's chalk, so a level-0 instance gives plain text.
 */
import type { ChalkInstance } from 'chalk';
import type { SetupGuide } from '../core/salesforce/setup-steps.js';

const STEP_INDENT = '   ';
const VALUE_EXTRA_INDENT = '   ';
const WARNING = 'Warning:';
const THEN_RUN = 'Then run: ';

export function renderSetupGuide(guide: SetupGuide, color: ChalkInstance): string[] {
  const lines: string[] = [color.bold(clean(guide.title))];

  if (guide.intro.length > 0) lines.push('');
  for (const raw of guide.intro) {
    const line = clean(raw);
    lines.push(line.startsWith(WARNING) ? color.yellow.bold(WARNING) + color.yellow(line.slice(WARNING.length)) : labels(line, color));
  }

  guide.sections.forEach((section, s) => {
    lines.push('', color.bold(`${s + 1}. ${clean(section.title)}`));
    const numbers = section.steps.map((_, i) => `${s + 1}.${i + 1}`);
    const width = Math.max(0, ...numbers.map((n) => n.length));
    // Continuation lines (values, notes) start under the step's text.
    const hang = ' '.repeat(STEP_INDENT.length + width + 2);
    section.steps.forEach((step, i) => {
      lines.push(`${STEP_INDENT}${(numbers[i] ?? '').padEnd(width)}  ${labels(clean(step.text), color)}`);
      for (const value of step.values ?? []) lines.push(hang + VALUE_EXTRA_INDENT + color.cyan(clean(value)));
      if (step.note !== undefined && clean(step.note) !== '') lines.push(hang + color.dim(clean(step.note)));
    });
  });

  if (guide.after.length > 0) lines.push('');
  for (const raw of guide.after) {
    const line = clean(raw);
    lines.push(line.startsWith(THEN_RUN) ? color.bold(THEN_RUN.trimEnd()) + ' ' + color.cyan(line.slice(THEN_RUN.length)) : labels(line, color));
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
