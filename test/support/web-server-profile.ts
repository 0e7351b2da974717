/** Test fixtures save web-server profiles; this narrows what a store returns to that flow (or fails the test). */
import type { Profile, WebServerProfile } from '../../src/core/config/profile.js';

export function webServer(p: Profile | undefined): WebServerProfile {
  if (p?.flow !== 'web-server') throw new Error(`expected a saved web-server profile, got ${p ? p.flow : 'none'}`);
  return p;
}
