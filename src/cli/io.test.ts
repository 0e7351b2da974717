import { describe, expect, it } from 'vitest';
import { PassThrough, Readable, Writable } from 'node:stream';
import { colorPolicy, createIO } from './io.js';

describe('colorPolicy (one stream)', () => {
  it.each([
    ['a TTY', true, {}, true],
    ['a pipe', false, {}, false],
    ['a TTY with NO_COLOR', true, { NO_COLOR: '1' }, false],
    ['a TTY with an empty NO_COLOR (unset, per no-color.org)', true, { NO_COLOR: '' }, true],
    ['a TTY with TERM=dumb', true, { TERM: 'dumb' }, false],
    ['a pipe with FORCE_COLOR=1', false, { FORCE_COLOR: '1' }, true],
    ['a pipe with an empty FORCE_COLOR', false, { FORCE_COLOR: '' }, true],
    ['a TTY with FORCE_COLOR=0', true, { FORCE_COLOR: '0' }, false],
    ['a TTY with FORCE_COLOR=false', true, { FORCE_COLOR: 'false' }, false],
    ['a pipe with FORCE_COLOR and NO_COLOR (FORCE_COLOR wins, as in Node)', false, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ])('%s', (_what, tty, env, expected) => {
    expect(colorPolicy(tty, env)).toBe(expected);
  });
});

describe('stderr lines on a terminal wrap to its width', () => {
  const notice = "! Not opening a browser: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set); open this URL yourself to log in and allow access:";
  const url = 'http://127.0.0.1:40111/services/oauth2/authorize?response_type=code&client_id=3MVG9b2OyMebq915hjsxBrD6dwJ5hk1M511T5BLJU3kgOlk7L2m8MSUs';

  function stderrOf(isTTY: boolean, columns: number | undefined, write: (io: ReturnType<typeof createIO>) => void): string {
    const chunks: string[] = [];
    const stderr = Object.assign(new Writable({ write: (c, _e, done) => (chunks.push(String(c)), done()) }), { columns });
    const io = createIO({ stdin: Readable.from([]), stdout: new PassThrough(), stderr, stderrIsTTY: isTTY });
    write(io);
    return chunks.join('');
  }

  it('breaks at spaces, continues under the text after the marker, and never splits a URL', () => {
    const text = stderrOf(true, 60, (io) => {
      io.err(notice);
      io.instruct(url);
    });
    const lines = text.split('\n').slice(0, -1);
    expect(lines.slice(0, -1).every((l) => l.length <= 60)).toBe(true);
    expect(lines[0]).toMatch(/^! Not opening a browser:/);
    expect(lines.slice(1, -1).every((l) => l.startsWith('  ') && !l.startsWith('   '))).toBe(true);
    expect(lines.at(-1)).toBe(url);
    expect(lines.slice(0, -1).join(' ').replace(/ +/g, ' ')).toBe(notice);
  });

  it('leaves lines whole when stderr is not a terminal (a file, a pipe, CI logs)', () => {
    expect(stderrOf(false, 60, (io) => io.err(notice))).toBe(`${notice}\n`);
  });
});
