import { describe, expect, test } from 'vitest';
import { MAX_TIMER_MS, maxForTimer, parseStrictNumber } from './number-input.js';
import { UsageError } from '../errors.js';

const SECONDS = { min: 0, aboveMin: true, max: maxForTimer(1000), unit: 'seconds' };

describe('parseStrictNumber', () => {
  test.each(['30', ' 30 ', '0.5', '2147483'])('accepts %j', (v) => {
    expect(parseStrictNumber('--timeout', v, SECONDS)).toBe(Number(v));
  });

  test.each(['', ' ', '0', '0x10', '1e3', '5e-324', '-1', '+5', 'Infinity', 'NaN', '1_000', '2147484', '99999999999999999999', '1.'])(
    'refuses %j with the range in the message',
    (v) => {
      expect(() => parseStrictNumber('--timeout', v, SECONDS)).toThrow(UsageError);
      expect(() => parseStrictNumber('--timeout', v, SECONDS)).toThrow(/--timeout .*: use a number greater than 0, at most 2147483 seconds\./);
    },
  );

  test('integer rule refuses decimals; a timer never gets more than 2^31-1 ms', () => {
    expect(() => parseStrictNumber('--port', '1.5', { min: 0, max: 65535, integer: true })).toThrow(/whole number from 0 to 65535/);
    expect(maxForTimer(1000) * 1000).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(maxForTimer(60_000) * 60_000).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  test("--wait '' is an error, not 0", () => {
    expect(() => parseStrictNumber('--wait', '', { min: 0, max: maxForTimer(60_000), unit: 'minutes' })).toThrow(/--wait '': use a number from 0 to 35791 minutes/);
  });
});
