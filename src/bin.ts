// The process entry. `--version` answers before anything else loads: it is the cheapest thing we do.
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // One import: the bundle makes main.js and everything it loads one file (scripts/bundle.mjs).
  const { main, createDeps } = await import('./main.js');
  const code = await main(argv, createDeps());
  process.exitCode = code;
  // The command is done: leftovers of finished work (idle keep-alive sockets, timers) must not hold
  // the process open, so leave as soon as the output is flushed.
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
