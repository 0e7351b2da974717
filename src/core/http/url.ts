/** The host of a URL for messages ("login.salesforce.com"); the text itself when it is not a URL. */
export function hostOf(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return String(url);
  }
}
