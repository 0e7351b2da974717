// The process entry. `--version` answers before anything else loads: it is the cheapest thing we do.
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // No top-level await: the bundle makes this file CommonJS (scripts/bundle.mjs), and main.js one file with it.
  void import('./main.js').then(async ({ main, createDeps }) => {
    const code = await main(argv, createDeps());
    process.exitCode = code;
    // The command is done: leftovers of finished work (idle keep-alive sockets, timers) must not hold
    // the process open, so leave as soon as the output is flushed.
    const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  });
}
