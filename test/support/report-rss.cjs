// Preloaded into a spawned sfoauth (NODE_OPTIONS=--require) by test/hostile: writes the process's peak
// resident memory, in KB, to SFOAUTH_TEST_RSS_FILE when it exits.
const { writeFileSync } = require('node:fs');
const file = process.env.SFOAUTH_TEST_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
