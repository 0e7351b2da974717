/**
 * The secret scan: no captured output may contain a known secret, nor anything shaped like one of the
 * emulator's tokens (so tokens issued inside a spawned CLI, which the test never saw, are caught too).
 * Failure messages mask what they found, so a leak is not copied into the test log.
 */
import { expect } from 'vitest';
import { mask } from '../../src/cli/io.js';

/** Shapes of emulator-issued secrets (src/emulator/ids.ts) and 64-hex Consumer Secrets. */
export const SECRET_SHAPES: readonly { name: string; re: RegExp }[] = [
  { name: 'access token', re: /00D[A-Za-z0-9]{12}!AR[A-Za-z0-9._]{20,}/g },
  { name: 'refresh token', re: /5Aep861[A-Za-z0-9._]{20,}/g },
  { name: 'authorization code', re: /aPrx[A-Za-z0-9+/]{40,}/g },
  { name: 'consumer secret', re: /(?<![A-Za-z0-9])[A-F0-9]{64}(?![A-Za-z0-9])/g },
];

/** Every leak found, as masked descriptions ("output #2: refresh token ********abcd"). */
export function findSecrets(texts: readonly string[], secrets: readonly string[]): string[] {
  const known = [...new Set(secrets.filter((s) => s.length >= 8))];
  const leaks: string[] = [];
  texts.forEach((text, i) => {
    for (const s of known) if (text.includes(s)) leaks.push(`output #${i}: known secret ${mask(s)}`);
    for (const { name, re } of SECRET_SHAPES) {
      for (const m of text.matchAll(re)) leaks.push(`output #${i}: ${name} ${mask(m[0])}`);
    }
  });
  return leaks;
}

export function expectNoSecrets(texts: string[], secrets: string[]): void {
  expect(findSecrets(texts, secrets), 'secrets found in captured output').toEqual([]);
}
