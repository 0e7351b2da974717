/**
 * Where the real-browser tests find Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium (which
 * `.ci/run` installs with apt-get). Playwright's own browser downloads are never used.
 */
import { accessSync, constants } from 'node:fs';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The executable to launch, or undefined when there is none (the caller skips, loudly). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidate = env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM_PATH;
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    return undefined;
  }
}

/**
 * Flags for a headless run on a machine whose network is loopback only. Without the background
 * networking/update/sync switches Chromium keeps dialling Google services, and those refused
 * connections slow or stall the run. Playwright adds its own automation flags on top.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
