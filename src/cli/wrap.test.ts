import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { terminalColumns, visibleLength, wrapLine } from './wrap.js';

const coloured = new Chalk({ level: 1 });

describe('wrapLine', () => {
  it('leaves a line that fits, and any line when there is no width (not a terminal)', () => {
    expect(wrapLine('  Fix:   short', 40, 9)).toEqual(['  Fix:   short']);
    const long = `  Fix:   ${'word '.repeat(40)}`;
    expect(wrapLine(long, undefined, 9)).toEqual([long]);
  });

  it('breaks at spaces, continues under the text, and no line is wider than the width', () => {
    const line = '  Fix:   Re-run `sfoauth init --profile ci` to get a new refresh token, then run `sfoauth test` again to check it.';
    const out = wrapLine(line, 40, 9);
    expect(out.length).toBeGreaterThan(2);
    expect(out[0]!.startsWith('  Fix:   Re-run')).toBe(true);
    for (const l of out.slice(1)) expect(l.startsWith('         ') && l[9] !== ' ').toBe(true);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(40);
    expect(out.map((l) => l.trim()).join(' ')).toBe(line.trim());
  });

  it('never breaks a URL: a word longer than the line stays whole on a line of its own', () => {
    const url = `https://login.salesforce.com/services/oauth2/authorize?client_id=${'x'.repeat(60)}`;
    const out = wrapLine(`  Open ${url} in a browser and allow access.`, 50, 2);
    expect(out).toContain(`  ${url}`);
    expect(out.join('\n')).toContain(url);
  });

  it('counts colour sequences as zero width and never cuts inside one', () => {
    const line = `      ${coloured.cyan('→ Fix:')} ${coloured.bold('copy')} the Consumer Secret again and re-run the login with the new one`;
    const out = wrapLine(line, 40, 13);
    for (const l of out) expect(visibleLength(l)).toBeLessThanOrEqual(40);
    expect(stripVTControlCharacters(out.join(' ')).replace(/\s+/g, ' ').trim()).toBe(stripVTControlCharacters(line).trim());
    // Every ESC still starts a whole sequence.
    for (const l of out) expect(l.replace(/\x1b\[[0-9;]*m/g, '')).not.toContain('\x1b');
  });

  it('counts io.ts style markers as zero width', () => {
    const marked = '\uE000abcdef012345\uE001[1mFix:\uE000abcdef012345\uE001[22m';
    expect(visibleLength(marked)).toBe(4);
  });

  it('leaves the line alone when the terminal is too narrow for a useful column', () => {
    const line = `${' '.repeat(30)}${'word '.repeat(10)}`;
    expect(wrapLine(line, 40, 30)).toEqual([line]);
  });
});

describe('terminalColumns', () => {
  it('is the stream\'s columns on a terminal, and undefined otherwise', () => {
    const tty = Object.assign(new PassThrough(), { columns: 72 });
    expect(terminalColumns(tty, true)).toBe(72);
    expect(terminalColumns(tty, false)).toBeUndefined();
    expect(terminalColumns(new PassThrough(), true)).toBeUndefined();
  });
});
