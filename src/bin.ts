import { main } from './main.js';
import { createDeps } from './deps.js';

process.exitCode = await main(process.argv.slice(2), createDeps());
