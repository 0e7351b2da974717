import { describe, expect, it, vi } from 'vitest';
import { exitCodeFor, fail, networkFailure, networkFailureFix, pass, runChecks, titleOf, warn, type Check, type CheckResult } from './check.js';
import { NetworkError, UsageError } from '../../errors.js';

const now = () => Date.now();
const result = (status: CheckResult['status'], exitCode?: CheckResult['exitCode']): CheckResult => ({
  id: status,
  title: status,
  status,
  summary: '',
  durationMs: 0,
  ...(exitCode !== undefined ? { exitCode } : {}),
});

describe('runChecks', () => {
  it('runs independent checks concurrently and keeps the given order', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const checks: Check<object>[] = [
      { id: 'a', title: 'A', run: async () => (started.push('a'), await gate, pass('a')) },
      { id: 'b', title: 'B', run: async () => (started.push('b'), release(), pass('b')) },
    ];
    const results = await runChecks(checks, {}, { now });
    expect(started).toEqual(['a', 'b']);
    expect(results.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('waits for prerequisites and skips a check whose prerequisite failed', async () => {
    const order: string[] = [];
    const checks: Check<object>[] = [
      { id: 'dep', title: 'Dep', needs: ['root'], run: async () => (order.push('dep'), pass('x')) },
      { id: 'root', title: 'Root', run: async () => (order.push('root'), fail('broken')) },
      { id: 'warned', title: 'Warned', run: async () => warn('meh') },
      { id: 'after-warn', title: 'After warn', needs: ['warned'], run: async () => pass('ran') },
    ];
    const results = await runChecks(checks, {}, { now });
    expect(order).toEqual(['root']);
    expect(results[0]).toMatchObject({ id: 'dep', status: 'skip', summary: 'skipped: "Root" did not pass', blockedBy: 'root' });
    expect(results[3]).toMatchObject({ status: 'pass', summary: 'ran' });
  });

  it('turns a throwing check into a failure with the error class exit code', async () => {
    const checks: Check<object>[] = [
      { id: 'x', title: 'X', run: async () => { throw new NetworkError('dns', 'h', 'no DNS', { hint: 'check DNS' }); } },
    ];
    const [r] = await runChecks(checks, {}, { now });
    expect(r).toMatchObject({ status: 'fail', summary: 'no DNS', fix: 'check DNS', exitCode: 3 });
  });

  it('reports each result as it lands', async () => {
    const seen: string[] = [];
    await runChecks([{ id: 'a', title: 'A', run: async () => pass('') }], {}, { now, onResult: (r) => seen.push(r.id) });
    expect(seen).toEqual(['a']);
  });

  it('hands results over in report order, each as soon as it and every one before it are in', async () => {
    const finish = new Map<string, () => void>();
    const check = (id: string): Check<object> => ({
      id,
      title: id,
      run: () => new Promise((resolve) => finish.set(id, () => resolve(pass('')))),
    });
    const seen: string[] = [];
    const done = runChecks(['a', 'b', 'c', 'd'].map(check), {}, { now, onResult: (r) => seen.push(r.id) });
    const land = async (id: string) => {
      await vi.waitFor(() => expect(finish.has(id)).toBe(true));
      finish.get(id)!();
      await new Promise((resolve) => setImmediate(resolve));
    };
    await land('c');
    expect(seen).toEqual([]); // a and b still running
    await land('a');
    expect(seen).toEqual(['a']);
    await land('b');
    expect(seen).toEqual(['a', 'b', 'c']);
    await land('d');
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect((await done).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('exitCodeFor', () => {
  it.each([
    [[result('pass'), result('warn'), result('skip')], 0],
    [[result('fail')], 1],
    [[result('fail', 3), result('fail')], 3],
    [[result('fail', 3), result('fail', 2)], 2],
  ] as const)('%#', (results, code) => {
    expect(exitCodeFor(results)).toBe(code);
  });

  it('uses the exit code an error carries', () => {
    expect(new UsageError('x').exitCode).toBe(2);
  });
});

describe('networkFailureFix', () => {
  it("a 5xx is Salesforce's side: status.salesforce.com and a retry, not the network", () => {
    const fix = networkFailureFix(new NetworkError('server', 'login.salesforce.com', 'answered 503', { status: 503 }), 'check your network and proxy settings');
    expect(fix).toContain("login.salesforce.com is failing on Salesforce's side (HTTP 503)");
    expect(fix).toContain('https://status.salesforce.com');
    expect(fix).not.toContain('check your network');
  });

  it('other failures keep their own hint, else the check\'s fallback', () => {
    expect(networkFailureFix(new NetworkError('refused', 'h', 'refused', { hint: 'start the emulator' }), 'fallback')).toBe('start the emulator');
    expect(networkFailureFix(new NetworkError('dns', 'h', 'no such host'), 'check your network')).toBe('check your network');
  });
});

describe('networkFailure', () => {
  it('fails with the error\'s message, the network fix and exit code 3', () => {
    expect(networkFailure(new NetworkError('dns', 'h', 'no such host'), 'check your network')).toEqual({
      status: 'fail',
      summary: 'no such host',
      fix: 'check your network',
      exitCode: 3,
    });
  });
});

describe('titleOf', () => {
  it("is the check's title for this run when it has one, else its fixed title", () => {
    expect(titleOf({ title: 'Grant' }, { flow: 'jwt' })).toBe('Grant');
    expect(titleOf({ title: 'Grant', titleFor: (c: { flow: string }) => `Grant (${c.flow})` }, { flow: 'jwt' })).toBe('Grant (jwt)');
  });
});
