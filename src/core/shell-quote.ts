/**
 * A value as it would be typed in a POSIX shell or a dotenv file: as is when it holds only characters no
 * shell treats specially, else in single quotes (a `'` inside becomes `'\''`). `~` is quoted: at the
 * start of a word the shell would expand it.
 */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
