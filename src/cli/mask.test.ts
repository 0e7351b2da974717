/** mask() (cli/io.ts) shows that a secret exists, never how long it is. */
import { describe, expect, it } from 'vitest';
import { mask } from './io.js';

describe('mask', () => {
  it('has one width whatever the secret\'s length: 8 stars, then the last 4 characters of a long value', () => {
    const secret64 = 'A'.repeat(60) + 'WXYZ';
    const token112 = '5Aep861' + 'b'.repeat(101) + '9Q.z';
    expect(mask(secret64)).toBe('********WXYZ');
    expect(mask(token112)).toBe('********9Q.z');
    expect(mask(secret64).length).toBe(mask(token112).length);
  });

  it('shows nothing of a short value, and says when there is none', () => {
    expect(mask('short-secret')).toBe('********');
    expect(mask('x')).toBe('********');
    expect(mask('')).toBe('(none)');
    expect(mask(undefined)).toBe('(none)');
  });
});
