import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { DEFAULT_SLOW_MS, FAULT_NAMES, noFaults, parseFaultFlag, setFaultValue } from './faults.js';

describe('faults', () => {
  it('start all off: every fault named, the counts and delays at 0', () => {
    const f = noFaults();
    expect(Object.keys(f)).toEqual([...FAULT_NAMES]);
    expect(Object.entries(f).filter(([, v]) => v !== false)).toEqual([['serverError', 0], ['slowMs', 0]]);
  });

  it('switches, counts and delays', () => {
    const f = noFaults();
    setFaultValue(f, 'userDenies', true);
    setFaultValue(f, 'serverError', true);
    setFaultValue(f, 'slowMs', true);
    expect(f).toMatchObject({ userDenies: true, serverError: 1, slowMs: DEFAULT_SLOW_MS });
    setFaultValue(f, 'serverError', 3);
    setFaultValue(f, 'slowMs', 0);
    setFaultValue(f, 'userDenies', 0);
    expect(f).toMatchObject({ userDenies: false, serverError: 3, slowMs: 0 });
  });

  it('refuses unknown names and bad values', () => {
    expect(() => setFaultValue(noFaults(), 'meteor', true)).toThrow(UsageError);
    expect(() => setFaultValue(noFaults(), 'slowMs', -1)).toThrow(UsageError);
    expect(() => setFaultValue(noFaults(), 'slowMs', '5')).toThrow(UsageError);
  });

  it('parses --fault flags', () => {
    expect(parseFaultFlag('userInactive')).toEqual({ name: 'userInactive', value: true });
    expect(parseFaultFlag('serverError=2')).toEqual({ name: 'serverError', value: 2 });
    expect(parseFaultFlag('appBlocked=off')).toEqual({ name: 'appBlocked', value: false });
    expect(() => parseFaultFlag('slowMs=fast')).toThrow(UsageError);
    expect(() => parseFaultFlag('nope')).toThrow(/Unknown --fault/);
  });
});
