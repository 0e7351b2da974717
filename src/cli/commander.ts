/**
 * commander, loaded through require(): its ESM wrapper makes Node parse the CommonJS source twice,
 * which costs a few ms on every start (`sfoauth --help` is measured). Types still come from 'commander'.
 */
import { createRequire } from 'node:module';

export const commander = createRequire(import.meta.url)('commander') as typeof import('commander');
