/**
 * Opens a URL in the user's browser with `open`, refusing anything but http(s) (gh authflow does too).
 * It says what it opens (a browser that appears without a word is confusing, and the URL is what to use
 * if the wrong browser or profile opens), and it does not try where no browser can appear for the
 * person: over SSH the browser would open on the remote machine, and Linux without a display has none
 * (docs/messages.md "Smaller messages").
 */
import type { Env } from '../core/ports.js';

/** Why no browser should be opened here, or undefined when one can be. Pure: env and platform only. */
export function noBrowserReason(env: Env, platform: NodeJS.Platform): string | undefined {
  const set = (name: string) => (env[name] ?? '') !== '';
  if (set('SSH_CONNECTION') || set('SSH_TTY')) {
    return `this is an SSH session (${set('SSH_CONNECTION') ? 'SSH_CONNECTION' : 'SSH_TTY'} is set), so a browser would open on the remote machine`;
  }
  // macOS and Windows always have a desktop; other Unix-likes need an X11 or Wayland display.
  if (platform !== 'darwin' && platform !== 'win32' && !set('DISPLAY') && !set('WAYLAND_DISPLAY')) {
    return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  }
  return undefined;
}

/** The browser was not opened: the message says why, for the caller to show with the URL to open by hand. */
export class BrowserNotOpenedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrowserNotOpenedError';
  }
}

export interface OpenBrowserOptions {
  env: Env;
  platform: NodeJS.Platform;
  /** One line for the person (stderr). */
  notice: (line: string) => void;
  /** The opener; `open` by default (tests pass a fake). */
  opener?: (url: string) => Promise<void>;
}

/**
 * Opens `url`, announcing it; throws BrowserNotOpenedError (with the reason) when it did not or could
 * not, so the caller can tell the person to open the URL themselves.
 */
export async function openBrowser(url: string, opts: OpenBrowserOptions): Promise<void> {
  const scheme = new URL(url).protocol;
  if (scheme !== 'https:' && scheme !== 'http:') throw new BrowserNotOpenedError(`Not opening a ${scheme} URL`);
  const reason = noBrowserReason(opts.env, opts.platform);
  if (reason !== undefined) throw new BrowserNotOpenedError(`Not opening a browser: ${reason}`);
  opts.notice(`Opening ${url} in your browser.`);
  try {
    await (opts.opener ?? openWithOpen)(url);
  } catch (err) {
    throw new BrowserNotOpenedError(`Could not open a browser (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

async function openWithOpen(url: string): Promise<void> {
  const { default: open } = await import('open');
  const child = await open(url, { wait: false });
  // `open` resolves before the opener runs; an ENOENT (no xdg-open) arrives as an 'error' event.
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve());
    setTimeout(resolve, 500).unref();
  });
}
