import { describe, expect, it } from 'vitest';
import { createState, STATE_BYTES, statesEqual } from './state.js';

describe('createState', () => {
  it('encodes 32 random bytes as 43 base64url characters', () => {
    const asked: number[] = [];
    const state = createState((n) => {
      asked.push(n);
      return new Uint8Array(n).fill(0xfb);
    });
    expect(asked).toEqual([STATE_BYTES]);
    expect(state).toBe(Buffer.from(new Uint8Array(32).fill(0xfb)).toString('base64url'));
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a random source that returns too few bytes', () => {
    expect(() => createState(() => new Uint8Array(8))).toThrow(TypeError);
  });
});

describe('statesEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['abcd', 'abc', false],
    ['', '', false],
    ['', 'abc', false],
    ['é', 'e', false],
    ['état', 'état', true],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(statesEqual(a, b)).toBe(equal);
  });
});
