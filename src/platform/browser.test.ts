import { describe, expect, it } from 'vitest';
import { BrowserNotOpenedError, noBrowserReason, openBrowser } from './browser.js';

const URL_ = 'https://login.salesforce.com/services/oauth2/authorize?client_id=abc';

describe('noBrowserReason', () => {
  it('a desktop session can open one', () => {
    expect(noBrowserReason({ DISPLAY: ':0' }, 'linux')).toBeUndefined();
    expect(noBrowserReason({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeUndefined();
    expect(noBrowserReason({}, 'darwin')).toBeUndefined();
    expect(noBrowserReason({}, 'win32')).toBeUndefined();
  });

  it('over SSH it would open on the remote machine, whatever the platform', () => {
    expect(noBrowserReason({ SSH_CONNECTION: '10.0.0.1 5000 10.0.0.2 22', DISPLAY: ':0' }, 'linux')).toContain('SSH_CONNECTION is set');
    expect(noBrowserReason({ SSH_TTY: '/dev/pts/1' }, 'darwin')).toContain('SSH_TTY is set');
  });

  it('Linux without DISPLAY or WAYLAND_DISPLAY has no display', () => {
    expect(noBrowserReason({}, 'linux')).toContain('no display');
    expect(noBrowserReason({ DISPLAY: '' }, 'freebsd')).toContain('no display');
  });
});

describe('openBrowser', () => {
  it('says what it opens, then opens it', async () => {
    const said: string[] = [];
    const opened: string[] = [];
    await openBrowser(URL_, { env: { DISPLAY: ':0' }, platform: 'linux', notice: (l) => said.push(l), opener: async (u) => void opened.push(u) });
    expect(said).toEqual([`Opening ${URL_} in your browser.`]);
    expect(opened).toEqual([URL_]);
  });

  it('over SSH: opens nothing and says why, for the caller to print the URL', async () => {
    const opened: string[] = [];
    const run = openBrowser(URL_, { env: { SSH_TTY: '/dev/pts/0', DISPLAY: ':0' }, platform: 'linux', notice: () => undefined, opener: async (u) => void opened.push(u) });
    await expect(run).rejects.toThrow(BrowserNotOpenedError);
    await expect(run).rejects.toThrow('Not opening a browser: this is an SSH session');
    expect(opened).toEqual([]);
  });

  it('an opener that fails becomes "Could not open a browser (…)"', async () => {
    const run = openBrowser(URL_, { env: { DISPLAY: ':0' }, platform: 'linux', notice: () => undefined, opener: () => Promise.reject(new Error('spawn xdg-open ENOENT')) });
    await expect(run).rejects.toThrow('Could not open a browser (spawn xdg-open ENOENT)');
  });

  it('refuses anything but http(s)', async () => {
    await expect(openBrowser('file:///etc/passwd', { env: { DISPLAY: ':0' }, platform: 'linux', notice: () => undefined, opener: async () => undefined })).rejects.toThrow('Not opening a file: URL');
  });
});
