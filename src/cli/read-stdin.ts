/**
 * Reads all of stdin, up to a cap: a pipe can hold any amount, and what we read is parsed and printed
 * (docs/hostile-input.md "Input caps"). Beyond the cap the read stops with a usage error (exit 2).
 */
import { addAbortSignal, type Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import type { Prompter } from '../core/ports.js';

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

/**
 * A secret named by a `--…-stdin` flag. Piped in, it is read (capped) and trimmed; when stdin is a
 * terminal, nobody is piping anything: a raw read would show a blank screen and echo the secret as it is
 * typed, so the masked prompt asks for it instead (Ctrl-C cancels either way).
 */
export async function readSecretFromStdin(
  deps: { io: { stdin: Readable; stdinIsTTY: boolean }; prompter: Prompter; signal: AbortSignal },
  /** `what`: a name such as "Consumer Secret" (the prompt is "Consumer Secret (hidden):"). */
  o: { flag: string; what: string; example: string },
): Promise<string> {
  if (deps.io.stdinIsTTY) {
    const typed = await deps.prompter.password({ message: `${o.what} (hidden):`, validate: (v) => (v.trim() === '' ? `Type or paste the ${o.what}, or press Ctrl-C to stop.` : true) });
    return typed.trim();
  }
  // 64 KB holds any secret or token with room for wrapping, and is still bounded.
  const secret = (await readStdinCapped(deps.io.stdin, 64 * 1024, o.what, deps.signal)).trim();
  if (!secret) throw new UsageError(`${o.flag} was given but stdin was empty.`, { hint: `Pipe it in: ${o.example}` });
  return secret;
}
