import { describe, expect, test } from 'vitest';
import { escapeControls } from '../core/terminal-text.js';
import { createTestIO } from '../../test/support/test-io.js';
import { withColors } from './io.js';

const HOSTILE = 'a\x1b]0;pwned\x07b\x1b]52;c;ZXZpbA==\x07\x1b[2K\x1b[1A\x9b31m\r\u202Eevil\x00';

describe('escapeControls', () => {
  test('C0, DEL, C1 and bidi overrides become visible \\uXXXX; tab and newline stay', () => {
    expect(escapeControls('x\ty\nz')).toBe('x\ty\nz');
    expect(escapeControls('a\x1b[31mb\x7f\x9b\u202E')).toBe('a\\u001B[31mb\\u007F\\u009B\\u202E');
    expect(escapeControls('line\r\nnext\rover')).toBe('line\nnext\\u000Dover');
  });

  test('keeps --json output valid JSON meaning the same string (C1 is left raw by JSON.stringify)', () => {
    const json = JSON.stringify({ d: HOSTILE });
    const shown = escapeControls(json);
    expect(shown).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    expect((JSON.parse(shown) as { d: string }).d).toBe(HOSTILE);
  });
});

describe('IO output edge', () => {
  test('out() and err() never pass an outside control character', () => {
    const t = createTestIO();
    t.io.out(`result ${HOSTILE}`);
    t.io.err(`Error: ${HOSTILE}`);
    for (const text of [t.stdout(), t.stderr()]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
      expect(text).toContain('\\u001B]52;c;');
    }
  });

  test('our colours pass; outside escapes inside styled text do not', async () => {
    const t = createTestIO({ tty: true, env: {} });
    const io = await withColors(t.io, { err: true, out: true });
    io.err(`${io.color.red.bold('Error:')} ${io.color.green(`✓ ${HOSTILE}`)} ${HOSTILE}`);
    const text = t.stderr();
    expect(text).toContain('\x1b[31m\x1b[1mError:');
    expect(text).toContain('\x1b[32m✓ a\\u001B]0;pwned');
    expect(text.match(/\x1b/g)?.length).toBe(6);
  });
});
