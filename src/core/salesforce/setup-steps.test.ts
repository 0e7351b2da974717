import { describe, it, expect } from 'vitest';
import {
  ECA_SECURITY_DEFAULTS,
  NANGO_CALLBACK_URL,
  buildMigrationGuide,
  buildSetupGuide,
  setupHomeUrl,
  type SetupGuide,
  type SetupGuideInput,
  type SetupStep,
} from './setup-steps.js';

const LOCAL = 'http://localhost:1717/OauthRedirect';
const API_LABEL = 'Access and manage your data (api)';
const REFRESH_LABEL = 'Perform requests on your behalf at any time (refresh_token, offline_access)';

const base = { callbackUrls: [LOCAL, NANGO_CALLBACK_URL], scopes: ['api', 'refresh_token'] };

type GuideName = 'production ECA' | 'sandbox ECA' | 'production CA' | 'sandbox CA' | 'migration';

const GUIDES: Record<GuideName, SetupGuideInput> = {
  'production ECA': { ...base, env: 'production', appType: 'external-client-app' },
  'sandbox ECA': { ...base, env: 'sandbox', appType: 'external-client-app' },
  'production CA': { ...base, env: 'production', appType: 'connected-app' },
  'sandbox CA': { ...base, env: 'sandbox', appType: 'connected-app' },
  migration: { ...base, env: 'sandbox', appType: 'connected-app', migrate: true },
};

/** Every Salesforce UI label each seed step names, per guide (spelled as in the setup guides, docs/salesforce.md §10.5). */
const ECA_LABELS = [
  'Create, Edit, and Delete External Client Apps',
  'Quick Find',
  'App Manager',
  'External Client App Manager',
  'New External Client App',
  'External Client App Name',
  'API Name',
  'Contact Email',
  'Distribution State',
  'Local',
  'Contact Phone',
  'Info URL',
  'Logo Image URL',
  'Icon URL',
  'Description',
  'API (Enable OAuth Settings)',
  'Callback URL',
  'Selected OAuth Scopes',
  API_LABEL,
  REFRESH_LABEL,
  'Flow Enablement',
  'Enable Authorization Code and Credentials Flow',
  'Security',
  ...ECA_SECURITY_DEFAULTS,
  'Introspect All Tokens',
  '"Create"',
  'Settings',
  'OAuth Settings',
  'Consumer Key and Secret',
  '"Consumer Key"',
  '"Consumer Secret"',
  'Policies',
  '"Edit"',
  'OAuth Policies',
  'App Authorization',
  'Refresh Token Policy',
  'Refresh token is valid until revoked',
  '"Save"',
];

const CA_LABELS = [
  'Apps',
  'External Client App Manager',
  'Settings',
  'Allow creation of connected apps',
  'New Connected App',
  'Connected App Name',
  'API Name',
  'Contact Email',
  '"Enable OAuth Settings"',
  'Callback URL',
  'Selected OAuth Scopes',
  API_LABEL,
  REFRESH_LABEL,
  'Introspect All Tokens',
  '"Save"',
  '"Continue"',
  'Changes can take up to 10 minutes to take effect',
  'Manage Consumer Details',
  '"Consumer Key"',
  '"Consumer Secret"',
  'Connected Apps',
  'Manage Connected Apps',
  '"Edit"',
  'OAuth Policies',
  'Refresh Token Policy',
  'Refresh token is valid until revoked',
];

const MIGRATION_LABELS = [
  'Create, Edit, and Delete External Client Apps',
  'App Manager',
  'Migrate to External Client App',
  'username-password flow',
  '"Migrate"',
  'read-only',
  'External Client App Manager',
  'Settings',
  'OAuth Settings',
  'Consumer Key and Secret',
  'Callback URL',
  'Selected OAuth Scopes',
  'Enable Authorization Code and Credentials Flow',
  'Policies',
  'App Authorization',
  'Refresh Token Policy',
  'Refresh token is valid until revoked',
];

const REQUIRED: Record<GuideName, string[]> = {
  'production ECA': [...ECA_LABELS, 'https://login.salesforce.com'],
  'sandbox ECA': [...ECA_LABELS, 'https://test.salesforce.com', 'packaged distribution is not supported', 'Developer Edition org is not a sandbox'],
  'production CA': [...CA_LABELS, 'https://login.salesforce.com'],
  'sandbox CA': [...CA_LABELS, 'https://test.salesforce.com', 'Developer Edition org is not a sandbox'],
  migration: [...MIGRATION_LABELS, 'https://test.salesforce.com'],
};

/** All the text a guide shows, in order. */
function textOf(g: SetupGuide): string {
  const steps = g.sections.flatMap((s) => [s.title, ...s.steps.flatMap((st) => [st.text, ...(st.values ?? []), st.note ?? ''])]);
  return [g.title, ...g.intro, ...steps, ...g.after].join('\n');
}

function steps(g: SetupGuide): SetupStep[] {
  return g.sections.flatMap((s) => s.steps);
}

function stepWith(g: SetupGuide, fragment: string): SetupStep {
  const found = steps(g).find((s) => s.text.includes(fragment));
  if (!found) throw new Error(`no step mentions ${fragment}`);
  return found;
}

describe('buildSetupGuide: every seed step, per guide', () => {
  for (const name of Object.keys(GUIDES) as GuideName[]) {
    it(`${name} names every Setup label`, () => {
      const text = textOf(buildSetupGuide(GUIDES[name]));
      const missing = REQUIRED[name].filter((label) => !text.includes(label));
      expect(missing).toEqual([]);
    });

    it(`${name} lists each callback URL as its own value and the scopes by their Setup labels`, () => {
      const g = buildSetupGuide(GUIDES[name]);
      expect(stepWith(g, '"Callback URL"').values).toEqual([LOCAL, NANGO_CALLBACK_URL]);
      expect(stepWith(g, '"Selected OAuth Scopes"').values).toEqual([API_LABEL, REFRESH_LABEL]);
    });

    it(`${name} says to wait up to 10 minutes after saving`, () => {
      expect(textOf(buildSetupGuide(GUIDES[name]))).toMatch(/up to 10 minutes/);
    });

    it(`${name} ends with the sfoauth init command and the Nango integration`, () => {
      const g = buildSetupGuide(GUIDES[name]);
      const input = GUIDES[name];
      const appType = input.migrate ? 'external-client-app' : input.appType;
      expect(g.after[0]).toBe(`Then run: sfoauth init --env ${input.env} --app-type ${appType} --extra-callback-url ${NANGO_CALLBACK_URL}`);
      expect(g.after.join('\n')).toContain(input.env === 'sandbox' ? '"salesforce-sandbox" integration' : '"salesforce" integration');
    });
  }

  it('warns plainly on the Connected App path only, and points at External Client Apps', () => {
    for (const name of ['production CA', 'sandbox CA'] as const) {
      const [first] = buildSetupGuide(GUIDES[name]).intro;
      expect(first).toMatch(/^Warning: /);
      expect(first).toContain("Winter '26");
      expect(first).toContain("Spring '26");
      expect(first).toContain('Salesforce Support');
      expect(first).toContain('keep working');
      expect(first).toContain('--app-type external-client-app');
    }
    expect(buildSetupGuide(GUIDES['sandbox CA']).intro[0]).toContain('sfoauth steps --env sandbox --app-type external-client-app');
    for (const name of ['production ECA', 'sandbox ECA', 'migration'] as const) {
      expect(buildSetupGuide(GUIDES[name]).intro.join('\n')).not.toContain('Warning:');
    }
  });

  it('asks for "Local" distribution, and explains that a sandbox allows nothing else', () => {
    const sandbox = stepWith(buildSetupGuide(GUIDES['sandbox ECA']), '"Distribution State"');
    expect(sandbox.values).toEqual(['Local']);
    expect(sandbox.note).toMatch(/only choice.*packaged distribution is not supported/);
    const production = stepWith(buildSetupGuide(GUIDES['production ECA']), '"Distribution State"');
    expect(production.values).toEqual(['Local']);
    expect(production.note).not.toMatch(/not supported/);
  });

  it('keeps the three ECA security defaults and says why sfoauth is fine with them', () => {
    const step = stepWith(buildSetupGuide(GUIDES['production ECA']), '"Security"');
    expect(step.values).toEqual([
      'Require secret for Web Server Flow',
      'Require secret for Refresh Token Flow',
      'Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows',
    ]);
    expect(step.note).toMatch(/PKCE/);
    expect(step.note).toMatch(/Consumer Secret/);
  });

  it('calls "Introspect All Tokens" optional and says what the check does without it', () => {
    for (const name of ['production ECA', 'production CA'] as const) {
      const step = stepWith(buildSetupGuide(GUIDES[name]), 'Introspect All Tokens');
      expect(step.note).toMatch(/^Optional/);
      expect(step.note).toMatch(/sfoauth test/);
      expect(step.note).toMatch(/warn/);
    }
    expect(stepWith(buildSetupGuide(GUIDES['production ECA']), 'Introspect All Tokens').text).toMatch(/^If the page offers/);
  });

  it('sets the refresh token policy as a value to pick', () => {
    for (const name of Object.keys(GUIDES) as GuideName[]) {
      expect(stepWith(buildSetupGuide(GUIDES[name]), '"Refresh Token Policy"').values).toEqual(['Refresh token is valid until revoked']);
    }
  });

  it('orders the Connected App steps as the seed does', () => {
    const text = textOf(buildSetupGuide(GUIDES['production CA']));
    const order = [
      'Allow creation of connected apps',
      'New Connected App',
      'Enable OAuth Settings',
      'Callback URL',
      'Selected OAuth Scopes',
      'Introspect All Tokens',
      '"Save", then "Continue"',
      'up to 10 minutes',
      'Manage Consumer Details',
      'Manage Connected Apps',
      'Refresh Token Policy',
    ];
    const positions = order.map((label) => text.indexOf(label));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('returns the migration guide when migrate is set, whatever the app type', () => {
    const viaFlag = buildSetupGuide({ ...base, env: 'production', appType: 'external-client-app', migrate: true });
    expect(viaFlag).toEqual(buildMigrationGuide({ ...base, env: 'production' }));
    expect(viaFlag.title).toBe('Migrate a Connected App to an External Client App (production)');
    expect(textOf(viaFlag)).toContain('Deleting the External Client App brings the connected app back');
    expect(textOf(viaFlag)).not.toContain('test.salesforce.com');
  });
});

describe('buildSetupGuide: tailoring', () => {
  it('shows a single callback URL and removes duplicates', () => {
    const g = buildSetupGuide({ env: 'production', appType: 'external-client-app', callbackUrls: [LOCAL, LOCAL, ' '], scopes: ['api'] });
    const step = stepWith(g, '"Callback URL"');
    expect(step.values).toEqual([LOCAL]);
    expect(step.text).toBe('"Callback URL": enter this:');
  });

  it('shows one label for refresh_token + offline_access, and raw names for scopes without a label', () => {
    const g = buildSetupGuide({
      env: 'production',
      appType: 'connected-app',
      callbackUrls: [LOCAL],
      scopes: ['api', 'refresh_token', 'offline_access', 'web', 'custom_permissions'],
    });
    expect(stepWith(g, '"Selected OAuth Scopes"').values).toEqual([API_LABEL, REFRESH_LABEL, 'web', 'custom_permissions']);
  });

  it('warns when no refresh token will be issued', () => {
    const g = buildSetupGuide({ env: 'production', appType: 'external-client-app', callbackUrls: [LOCAL], scopes: ['api'] });
    expect(stepWith(g, '"Selected OAuth Scopes"').note).toMatch(/no refresh token/);
    expect(stepWith(buildSetupGuide(GUIDES['production ECA']), '"Selected OAuth Scopes"').note).not.toMatch(/no refresh token/);
  });

  it('passes non-default choices to sfoauth init, quoting where a shell needs it', () => {
    const g = buildSetupGuide({
      env: 'sandbox',
      appType: 'external-client-app',
      callbackUrls: ['http://127.0.0.1:8080/cb', 'https://example.com/oauth/callback'],
      scopes: ['api', 'refresh_token', 'openid'],
      loginUrl: 'https://acme--dev.sandbox.my.salesforce.com/',
    });
    expect(g.after[0]).toBe(
      'Then run: sfoauth init --env sandbox --app-type external-client-app --login-url https://acme--dev.sandbox.my.salesforce.com ' +
        '--callback-url http://127.0.0.1:8080/cb --extra-callback-url https://example.com/oauth/callback --scopes \'api refresh_token openid\'',
    );
  });

  it('signs in at the given My Domain and opens Setup there', () => {
    const g = buildSetupGuide({ ...base, env: 'production', appType: 'external-client-app', loginUrl: 'https://acme.my.salesforce.com' });
    const signIn = stepWith(g, 'Sign in at');
    expect(signIn.text).toContain('https://acme.my.salesforce.com,');
    expect(signIn.text).not.toContain('My Domain)');
    expect(signIn.values).toEqual(['https://acme.my.salesforce.com/lightning/setup/ManageExternalClientApplication/home']);
  });

  it("tells Nango users to register Nango's callback when it is missing", () => {
    const g = buildSetupGuide({ env: 'production', appType: 'external-client-app', callbackUrls: [LOCAL], scopes: ['api', 'refresh_token'] });
    expect(g.after[0]).toBe('Then run: sfoauth init --env production --app-type external-client-app');
    expect(g.after.join('\n')).toContain(`add ${NANGO_CALLBACK_URL}`);
    expect(buildSetupGuide(GUIDES['production ECA']).after.join('\n')).not.toContain(`add ${NANGO_CALLBACK_URL}`);
  });

  it('is plain data that survives JSON', () => {
    const g = buildSetupGuide(GUIDES['sandbox ECA']);
    expect(JSON.parse(JSON.stringify(g))).toEqual(g);
  });
});

describe('setupHomeUrl', () => {
  it('opens the External Client App Manager for an ECA and App Manager for a Connected App, on the login host', () => {
    expect(setupHomeUrl('https://login.salesforce.com', 'external-client-app')).toBe(
      'https://login.salesforce.com/lightning/setup/ManageExternalClientApplication/home',
    );
    expect(setupHomeUrl('https://test.salesforce.com/', 'connected-app')).toBe('https://test.salesforce.com/lightning/setup/NavigationMenus/home');
    expect(setupHomeUrl('https://acme.my.salesforce.com/some/path?x=1', 'connected-app')).toBe(
      'https://acme.my.salesforce.com/lightning/setup/NavigationMenus/home',
    );
  });
});
