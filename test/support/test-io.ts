/** An IO over in-memory buffers (gh's iostreams.Test()): non-TTY and colourless unless asked. */
import { PassThrough, Writable } from 'node:stream';
import { createIO, type IO } from '../../src/cli/io.js';

export interface TestIO {
  io: IO;
  stdin: PassThrough;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
}

export function createTestIO(opts: { tty?: boolean; env?: Record<string, string> } = {}): TestIO {
  const stdin = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  // Writables that record synchronously, so a test can read output right after the call.
  const sink = (into: string[]) =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        into.push(chunk.toString());
        done();
      },
    });
  const stdout = sink(out);
  const stderr = sink(err);
  const io = createIO({
    stdin,
    stdout,
    stderr,
    stdinIsTTY: opts.tty ?? false,
    stdoutIsTTY: opts.tty ?? false,
    stderrIsTTY: opts.tty ?? false,
    env: opts.env ?? { NO_COLOR: '1' },
  });
  return { io, stdin, stdout: () => out.join(''), stderr: () => err.join('') };
}
