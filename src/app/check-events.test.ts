import { describe, expect, it } from 'vitest';
import { CancelledError, NetworkError } from '../errors.js';
import { throwIfCancelled, unlessCancelled } from './check-events.js';

describe('unlessCancelled', () => {
  it('hands over nothing once the run is cancelled (the checks still running end as "Cancelled.")', () => {
    const seen: string[] = [];
    const ctrl = new AbortController();
    const add = unlessCancelled((r: { id: string }) => seen.push(r.id), ctrl.signal);
    add({ id: 'a' });
    ctrl.abort(new CancelledError());
    add({ id: 'b' });
    add({ id: 'c' });
    expect(seen).toEqual(['a']);
  });
});

describe('throwIfCancelled', () => {
  it('does nothing for a run that was not cancelled', () => {
    expect(() => throwIfCancelled(new AbortController().signal)).not.toThrow();
  });

  it('throws the CancelledError Ctrl-C aborted with, or a new one for any other reason', () => {
    const ctrl = new AbortController();
    const reason = new CancelledError();
    ctrl.abort(reason);
    expect(() => throwIfCancelled(ctrl.signal)).toThrow(reason);
    const other = new AbortController();
    other.abort(new NetworkError('timeout', 'x', 'late'));
    expect(() => throwIfCancelled(other.signal)).toThrow(CancelledError);
  });
});
