/**
 * Reads all of stdin, up to a cap: a pipe can hold any amount, and what we read is parsed and printed
 * (docs/hostile-input.md "Input caps"). Beyond the cap the read stops with a usage error (exit 2).
 */
import { addAbortSignal, type Readable } from 'node:stream';
import { UsageError } from '../errors.js';

export const TOO_LARGE_HINT = 'Pass only the part that matters (the error line, the redirected URL or the JSON body).';

/** `signal` (Ctrl-C) ends the read with its reason: a terminal's stdin never ends by itself. */
export async function readStdinCapped(stream: Readable | NodeJS.ReadableStream, maxBytes: number, what: string, signal?: AbortSignal): Promise<string> {
  const source = signal ? addAbortSignal(signal, stream as Readable) : stream;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buf.length;
      if (size > maxBytes) {
        (stream as Readable).destroy?.();
        throw new UsageError(`${what} on stdin is larger than ${formatBytes(maxBytes)}; sfoauth stopped reading.`, { hint: TOO_LARGE_HINT });
      }
      chunks.push(buf);
    }
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw err;
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / 1024 / 1024} MB` : `${n / 1024} KB`;
}
