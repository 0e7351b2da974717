/** Opens a URL in the user's browser with `open`, refusing anything but http(s) (gh authflow does too). */
export async function openBrowser(url: string): Promise<void> {
  const scheme = new URL(url).protocol;
  if (scheme !== 'https:' && scheme !== 'http:') throw new Error(`refusing to open a ${scheme} URL`);
  const { default: open } = await import('open');
  const child = await open(url, { wait: false });
  // `open` resolves before the opener runs; an ENOENT (no xdg-open) arrives as an 'error' event.
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve());
    setTimeout(resolve, 500).unref();
  });
}
