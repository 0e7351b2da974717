// A silent IO for the benchmark's in-process runs (the real one would print every report).
import { Writable, PassThrough } from 'node:stream';
import { createIO } from '../../dist/cli/io.js';

export function createTestishIO() {
  const sink = () => new Writable({ write: (_c, _e, done) => done() });
  return createIO({ stdin: new PassThrough(), stdout: sink(), stderr: sink() });
}
