/**
 * Wraps a rendered line of prose (a fix, a cause, a Setup step) to the terminal's width, continuing
 * under the text rather than under the label. Breaks only at spaces, so a URL, a command or a value is
 * never split (a word longer than the line stays whole and overflows), and colour sequences count as
 * zero width and are never cut. No width (not a TTY, or unknown) means no wrapping: files and pipes
 * get one line per item, as before (docs/messages.md "Smaller messages").
 */
import type { Writable } from 'node:stream';

/**
 * An SGR sequence: ESC, or the marker io.ts puts in its place until the line is written
 * (`\uE000<hex>\uE001`), then `[…m`.
 */
const STYLE = /(?:\x1b|\uE000[0-9a-f]*\uE001)\[[0-9;]*m/g;

/** Below this many columns of text after the hang, wrapping would make a ribbon: leave the line alone. */
const MIN_TEXT_COLUMNS = 20;

/** Columns on screen: characters, without colour sequences. */
export function visibleLength(text: string): number {
  return [...text.replace(STYLE, '')].length;
}

/**
 * `line` as one or more lines of at most `width` columns where spaces allow. Continuation lines start
 * with `hang` (spaces, or a number of them). The first line keeps its own indentation.
 */
export function wrapLine(line: string, width: number | undefined, hang: string | number = ''): string[] {
  if (width === undefined || visibleLength(line) <= width) return [line];
  const pad = typeof hang === 'number' ? ' '.repeat(hang) : hang;
  const padLength = visibleLength(pad);
  if (width - padLength < MIN_TEXT_COLUMNS) return [line];

  const lead = /^ */.exec(line)![0];
  const out: string[] = [];
  let current = lead;
  let length = lead.length;
  let first = true; // no word on `current` yet
  for (const word of line.slice(lead.length).split(' ')) {
    const w = visibleLength(word);
    if (first) {
      if (word === '') continue; // the spaces of an alignment ("Fix:   ") do not start a line
      current += word;
      length += w;
      first = false;
    } else if (w > 0 && length + 1 + w > width) {
      out.push(current.replace(/ +$/, ''));
      current = pad + word;
      length = padLength + w;
    } else {
      current += ` ${word}`;
      length += 1 + w;
    }
  }
  out.push(current.replace(/ +$/, ''));
  return out;
}

/**
 * Where a stderr line continues when wrapped: under its text, past the indentation and a leading
 * marker ("! ", "✓ ", "→ ", "- ").
 */
export function hangOf(line: string): number {
  return /^ *(?:[!✓✗→-] )?/.exec(line.replace(STYLE, ''))![0].length;
}

/** The width to wrap output on `stream` to: its columns when it is a terminal, else undefined (no wrap). */
export function terminalColumns(stream: Writable, isTTY: boolean): number | undefined {
  if (!isTTY) return undefined;
  const columns = (stream as { columns?: unknown }).columns;
  return typeof columns === 'number' && Number.isFinite(columns) && columns > 0 ? columns : undefined;
}
