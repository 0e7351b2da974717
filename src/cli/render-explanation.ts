/** Turns a SalesforceError into "cause / fix / where in Setup" lines from the one error catalog. */
import { explainError } from '../core/salesforce/error-catalog.js';
import type { SalesforceError } from '../errors.js';
import type { IO } from './io.js';

export function explainLines(err: SalesforceError, io: IO): string[] {
  const e = explainError({ error: err.error, description: err.errorDescription, endpoint: err.endpoint, status: err.status });
  const c = io.color;
  const lines = [`  ${c.bold('Cause:')} ${e.cause}`, `  ${c.bold('Fix:')}   ${e.fix}`];
  if (e.setup) lines.push(`  ${c.bold('Setup:')} ${e.setup}`);
  return lines;
}
