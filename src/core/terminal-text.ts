/**
 * The one output sanitizer (docs/hostile-input.md "Terminal output"). Text from a server, a pasted
 * page, a flag or a file is data: its control characters are shown as `\uXXXX` instead of reaching the
 * terminal, where ESC/CSI/OSC sequences could retitle the window, write the clipboard (OSC 52) or move
 * the cursor to paint over a failure. Colour comes only from our own styling, which io.ts lets through.
 */

/**
 * C0 except tab and newline, DEL, C1, and the bidirectional overrides/isolates ("Trojan Source",
 * https://trojansource.codes/) that reorder what the eye sees.
 */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * `\u001B` is both readable and a valid JSON string escape, so --json output that carries a C1
 * character (JSON.stringify leaves U+0080-U+009F raw) stays valid JSON meaning the same string.
 */
export function escapeControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
