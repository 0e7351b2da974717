// The login the benchmark scripts need before they measure: `runInit` in-process against a running
// emulator (auto-approve), its "browser" following the authorize redirect into init's callback server.
// Returns the deps it used (bench.mjs reuses them for in-process `test` runs). Needs `npm run build`.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { runInit } = await import(join(root, 'dist/app/init.js'));
const { openConfStore } = await import(join(root, 'dist/platform/conf-store.js'));
const { realClock } = await import(join(root, 'dist/deps.js'));
const { createTestishIO } = await import(join(root, 'test/bench/bench-io.mjs'));

export function benchDeps() {
  return {
    io: createTestishIO(),
    env: {},
    fetch: globalThis.fetch,
    clock: realClock,
    random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    signal: new AbortController().signal,
    prompter: {},
    openStore: (dir) => openConfStore({ configDir: dir, env: {} }),
    openBrowser: async (url) => {
      const res = await fetch(url, { redirect: 'manual' });
      await fetch(res.headers.get('location'));
    },
  };
}

/** Logs in as `profile` in `configDir` with the emulator's app through `callbackUrl`. */
export async function loginToEmulator({ emulator, app, configDir, profile, callbackUrl, deps = benchDeps() }) {
  const store = await deps.openStore(configDir);
  await runInit(
    {
      profile, flow: 'web-server', env: 'production', appType: 'external-client-app', loginUrl: emulator.loginUrl,
      clientId: app.clientId, clientSecret: app.clientSecret, callbackUrl, extraCallbackUrls: [], scopes: ['api', 'refresh_token'],
      openBrowser: true, timeoutMs: 10_000, waitMs: 0, pollMs: 1000, interactive: false,
    },
    store,
    deps,
  );
  return deps;
}
