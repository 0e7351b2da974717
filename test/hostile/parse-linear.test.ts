/**
 * A generous timed guard for the pasted-text parser: every adversarial shape at 256 KB parses in well
 * under the limit (measured: under 100 ms each; these shapes took 10-60 s when some patterns were
 * quadratic). The figures come from `npm run bench:parse`; this only catches a return to quadratic.
 */
import { describe, expect, test } from 'vitest';
import { parseErrorText } from '../../src/core/salesforce/parse-error-text.js';
import { closestCodes } from '../../src/core/salesforce/error-catalog.js';
import { parsePastedRedirect } from '../../src/core/oauth/callback.js';
import { ADVERSARIAL_SHAPES } from '../bench/adversarial-shapes.mjs';

const SIZE = 256 * 1024;
const LIMIT_MS = 3000;

describe('adversarial pastes parse in linear time', () => {
  for (const [name, make] of Object.entries(ADVERSARIAL_SHAPES)) {
    test(`${name}, 256 KB`, () => {
      const text = make(SIZE);
      const started = performance.now();
      parseErrorText(text);
      closestCodes(text);
      expect(performance.now() - started).toBeLessThan(LIMIT_MS);
    });
  }

  test('a paste at the redirect prompt larger than 64 KB is refused before parsing', () => {
    expect(() => parsePastedRedirect(`code=${'a'.repeat(70 * 1024)}`, 'state')).toThrow(/paste is 70 KB/);
  });
});
