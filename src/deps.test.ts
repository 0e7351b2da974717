import { describe, expect, it } from 'vitest';
import { finishDeps, type Deps } from './deps.js';
import { createTestIO } from '../test/support/test-io.js';
import type { IO } from './cli/io.js';

describe('finishDeps', () => {
  it('builds the run deps from the global flags without changing the base deps', async () => {
    const t = createTestIO({ tty: true, env: {} });
    const base = { io: t.io, env: {} } as Deps;
    const ready = await finishDeps(base, { color: true, verbose: true });
    expect(ready).not.toBe(base);
    expect(Object.isFrozen(ready)).toBe(true);
    expect(base.trace).toBeUndefined();
    expect(base.io.color.red('x')).toBe('x'); // the base IO stays colourless
    ready.trace?.('> GET https://example.test/');
    expect(t.stderr()).toContain('\x1b[2m> GET https://example.test/');
  });

  it('--no-color and no --verbose: plain colours, no trace', async () => {
    const t = createTestIO({ tty: true, env: {} });
    const ready = await finishDeps({ io: t.io, env: {} } as Deps, { color: false, verbose: false });
    expect(ready.trace).toBeUndefined();
    expect(ready.io.colorWanted).toBe(false);
    expect(ready.io.color.red('x')).toBe('x');
  });

  it('--json: err() and the rebuilt notices are silent; instruct() and the --verbose trace still reach stderr', async () => {
    const t = createTestIO({ tty: true, env: {} });
    const notices: string[] = [];
    const base = {
      io: t.io,
      env: {},
      speakingThrough: (io: IO) => ({ openBrowser: async () => io.err('Opening it'), openStore: async () => (notices.push(io === t.io ? 'base' : 'run'), undefined as never) }),
    } as unknown as Deps;
    const ready = await finishDeps(base, { color: false, verbose: true, json: true });
    ready.io.err('progress');
    await ready.openBrowser('https://example.test/');
    await ready.openStore();
    ready.io.instruct('Open this URL');
    ready.trace?.('> GET https://example.test/');
    expect(t.stderr()).toBe('Open this URL\n> GET https://example.test/\n');
    expect(notices).toEqual(['run']);
    expect(ready.io.stderrIsTTY).toBe(false); // nothing draws on it: no spinner, no countdown
    expect(ready.io.canPrompt()).toBe(true); // questions are still asked
  });
});
