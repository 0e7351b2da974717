import { describe, expect, it } from 'vitest';
import { colorPolicy } from './io.js';

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
