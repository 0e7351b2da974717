/**
 * Strict numbers for flags and control values (docs/hostile-input.md "Numbers"): plain decimal only
 * (`Number()` would also take `0x10`, `1e3`, `5e-324` and read `''` as 0), within a range the message
 * states, and never a delay Node's timers cannot hold.
 */
import { UsageError } from '../errors.js';

/**
 * setTimeout holds at most 2^31-1 ms (about 24.8 days); a longer delay fires at once with a
 * TimeoutOverflowWarning (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args).
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface NumberRule {
  min: number;
  max: number;
  /** Whole numbers only (ports, counts). */
  integer?: boolean;
  /** `min` itself is refused (a timeout of 0): "greater than 0". */
  aboveMin?: boolean;
  /** What the number counts, for the message: "seconds", "minutes". */
  unit?: string;
}

/** Milliseconds per unit, for the largest value a timer can hold in that unit. */
export function maxForTimer(msPerUnit: number): number {
  return Math.floor(MAX_TIMER_MS / msPerUnit);
}

/** The number in `value`, or a UsageError naming `what` (a flag such as `--timeout`) and the range. */
export function parseStrictNumber(what: string, value: string, rule: NumberRule): number {
  const text = value.trim();
  const pattern = rule.integer ? /^\d{1,16}$/ : /^\d{1,16}(\.\d{1,9})?$/;
  const n = pattern.test(text) ? Number(text) : NaN;
  if (!((rule.aboveMin ? n > rule.min : n >= rule.min) && n <= rule.max)) {
    const unit = rule.unit ? ` ${rule.unit}` : '';
    const kind = rule.integer ? 'a whole number' : 'a number';
    const range = rule.aboveMin ? `greater than ${rule.min}, at most ${rule.max}` : `from ${rule.min} to ${rule.max}`;
    const shown = value === '' ? "''" : value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw new UsageError(`${what} ${shown}: use ${kind} ${range}${unit}.`);
  }
  return n;
}
