import { describe, it, expect } from 'vitest';
import * as screens from './setup-screens.js';

const paths: [string, string][] = Object.entries(screens).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : []));

describe('setup screens', () => {
  it.each(paths)('%s is a Setup path', (_name, path) => {
    expect(path).toMatch(/^Setup → /);
    expect(path).not.toMatch(/undefined|→ →|\s{2}/);
  });

  it('uses the setup guides\' labels for the refresh token policy', () => {
    expect(screens.ECA_REFRESH_TOKEN_POLICY).toBe(
      'Setup → Quick Find "External Client App Manager" → <app> → Policies tab → Edit → OAuth Policies → App Authorization → Refresh Token Policy',
    );
    expect(screens.CA_REFRESH_TOKEN_POLICY).toBe(
      'Setup → Quick Find "Manage Connected Apps" → Edit next to <app> → OAuth Policies → Refresh Token Policy',
    );
    expect(screens.ECA_CONSUMER_KEY).toMatch(/Settings tab → OAuth Settings → Consumer Key and Secret$/);
    expect(screens.CA_CONSUMER_KEY).toMatch(/Manage Consumer Details$/);
    expect(screens.CA_ALLOW_CREATION).toMatch(/External Client App Manager → Settings → Allow creation of connected apps$/);
  });

  it('pairs differ per app type, org-wide ones do not', () => {
    for (const pair of [screens.SETUP_CONSUMER_KEY, screens.SETUP_REFRESH_TOKEN_POLICY, screens.SETUP_SECURITY]) {
      expect(pair.eca).toContain('External Client App Manager');
      expect(pair.ca).not.toContain('External Client App Manager');
    }
    expect(screens.orgWide(screens.USERS, screens.LOGIN_HISTORY)).toEqual({
      eca: `${screens.USERS}; ${screens.LOGIN_HISTORY}`,
      ca: `${screens.USERS}; ${screens.LOGIN_HISTORY}`,
    });
  });
});
