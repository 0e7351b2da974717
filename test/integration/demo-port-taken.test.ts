/**
 * `sfoauth demo` picks a free callback port, then init binds it a moment later; another program can take
 * it in between (it happened to a neighbouring test under load). The demo owns its emulator, so it moves
 * the app to a new port and goes on instead of failing with "port in use".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { createTestDeps } from '../support/test-deps.js';
import { openConfStore } from '../../src/platform/conf-store.js';

const held: Server[] = [];
let firstCall = true;

// The first port the demo is handed is one this test holds, as if taken just after it was found free.
vi.mock('../../src/platform/port.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/platform/port.js')>();
  return {
    ...real,
    findFreePort: async (address?: string) => {
      const port = await real.findFreePort(address);
      if (!firstCall) return port;
      firstCall = false;
      const server = createServer();
      await real.listen(server, port, '127.0.0.1');
      held.push(server);
      return port;
    },
  };
});

afterEach(async () => {
  for (const s of held.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
});

it('a callback port taken after it was found free: the demo moves the app to another port and succeeds', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sfoauth-demo-port-'));
  try {
    const { deps, t } = createTestDeps({ fetch: globalThis.fetch, openStore: (configDir) => openConfStore({ configDir: configDir ?? dir, env: {} }) });
    const { runDemo } = await import('../../src/cli/commands/demo-run.js');
    await runDemo({ sandbox: false, browser: false, configDir: dir, json: false }, deps);
    expect(held).toHaveLength(1);
    const takenPort = (held[0]!.address() as { port: number }).port;
    expect(t.stdout()).toMatch(/That port was taken meanwhile; the emulator's app now uses http:\/\/127\.0\.0\.1:\d+\/OauthRedirect/);
    expect(t.stdout()).not.toContain(`127.0.0.1:${takenPort}/OauthRedirect.)`);
    expect(t.stdout()).toContain('Demo complete');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
