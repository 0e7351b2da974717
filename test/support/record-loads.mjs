// Preloaded with `node --import` by test/e2e/streams.test.ts: appends the URL of every module the process
// loads to the file named by SFOAUTH_LOAD_LOG, so a test can tell whether the spinner chunk was loaded.
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (process.env.SFOAUTH_LOAD_LOG) appendFileSync(process.env.SFOAUTH_LOAD_LOG, url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
