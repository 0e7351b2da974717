/**
 * commander, in one place. The bundle (dist/bundle) carries it inline, so no module resolution of its
 * files happens at start-up (`sfoauth --help` is measured). Types and values come from 'commander'.
 */
import * as commanderModule from 'commander';

export const commander: typeof import('commander') = commanderModule;
