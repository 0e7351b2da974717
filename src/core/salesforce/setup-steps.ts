/**
 * The Salesforce Setup steps sfoauth prints (`sfoauth steps`, and `sfoauth init` before it asks for the
 * Consumer Key): one guide per environment and app type, plus migrating a Connected App to an External
 * Client App. This is the ONE place these steps live. Quoted labels are Salesforce's own, spelled as in
 * the public setup guides (docs/salesforce.md §10.5); the sentences around them are ours. Pure data: nothing is printed
 * here (cli/render-steps.ts turns a guide into lines).
 */
import { DEFAULT_CALLBACK_URL } from '../oauth/callback-url.js';
import type { AppType, Environment } from '../config/profile.js';
import { classifyHost, defaultLoginUrl } from './hosts.js';
import { DEFAULT_SCOPES, SCOPE_LABEL_ALTERNATES, hasRefreshScope, scopeLabel, setupLabelsFor } from './scopes.js';
import { shellQuote } from '../shell-quote.js';

export interface SetupStep {
  text: string;
  /** The exact things to paste or pick, one per line. */
  values?: string[];
  note?: string;
}

export interface SetupSection {
  title: string;
  steps: SetupStep[];
}

export interface SetupGuide {
  title: string;
  /** Warnings and prerequisites, shown before the steps. */
  intro: string[];
  sections: SetupSection[];
  /** What to do once Setup is done: the `sfoauth init` command and the Nango values. */
  after: string[];
}

export interface SetupGuideInput {
  env: Environment;
  appType: AppType;
  /** sfoauth's own loopback callback first (--callback-url), then the extra ones (--extra-callback-url). */
  callbackUrls: readonly string[];
  scopes: readonly string[];
  /** The org's login host; defaults to login.salesforce.com / test.salesforce.com. */
  loginUrl?: string;
  /** Migrating an existing Connected App to an External Client App instead of creating an app. */
  migrate?: boolean;
}

export type MigrationGuideInput = Omit<SetupGuideInput, 'appType' | 'migrate'>;

/** Nango's shared callback; an app used through Nango must list it too. */
export const NANGO_CALLBACK_URL = 'https://api.nango.dev/oauth/callback';

/** The refresh token policy sfoauth needs: anything else makes stored refresh tokens die. */
export const REFRESH_TOKEN_POLICY_VALUE = 'Refresh token is valid until revoked';

/** The permission an ECA author needs (sandbox seed, "Prerequisites"). */
export const ECA_PERMISSION = 'Create, Edit, and Delete External Client Apps';

/** The Security boxes an External Client App has ticked by default. */
export const ECA_SECURITY_DEFAULTS: readonly string[] = Object.freeze([
  'Require secret for Web Server Flow',
  'Require secret for Refresh Token Flow',
  'Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows',
]);

const APP_MANAGER_PATH = '/lightning/setup/NavigationMenus/home';
const ECA_MANAGER_PATH = '/lightning/setup/ManageExternalClientApplication/home';

/**
 * Where to open Setup on the org: the External Client App Manager for an ECA, App Manager for a
 * Connected App. Salesforce sends a signed-out browser through its login page and then on to this path.
 */
export function setupHomeUrl(loginUrl: string, appType: AppType): string {
  return originOf(loginUrl) + (appType === 'external-client-app' ? ECA_MANAGER_PATH : APP_MANAGER_PATH);
}

/** The guide for one environment and app type (or the migration guide when `migrate` is set). */
export function buildSetupGuide(input: SetupGuideInput): SetupGuide {
  if (input.migrate === true) return buildMigrationGuide(input);
  const r = resolve(input);
  return input.appType === 'connected-app' ? connectedAppGuide(r) : externalClientAppGuide(r);
}

/** Moving an existing Connected App to an External Client App (sandbox seed, "Migrate"). */
export function buildMigrationGuide(input: MigrationGuideInput): SetupGuide {
  const r = resolve(input);
  const intro = [
    'Salesforce copies the connected app into a new External Client App and leaves the connected app read-only; ' +
      'from then on the External Client App is the one to change.',
    `Your user needs the "${ECA_PERMISSION}" permission.`,
  ];
  if (r.env === 'sandbox') intro.push(sandboxLoginLine(r));
  intro.push(LEGEND);
  return {
    title: `Migrate a Connected App to an External Client App (${r.env})`,
    intro,
    sections: [
      {
        title: 'Migrate the connected app',
        steps: [
          signInStep(r, 'connected-app', 'then open Setup and go to "App Manager".'),
          { text: 'Find your connected app in the list and open it.' },
          { text: 'Click "Migrate to External Client App".', note: 'The button is only there when the app is eligible for migration.' },
          {
            text: 'Confirm that the app is local and that it does not use the username-password flow.',
            note: 'An app that is not local, or that relies on the username-password flow, cannot be migrated this way.',
          },
          { text: 'Click "Migrate".' },
          {
            text: 'Salesforce creates a new External Client App and switches the connected app to read-only mode.',
            note:
              'Make every later change in the External Client App. Deleting the External Client App brings the ' +
              'connected app back, with the settings it had before.',
          },
        ],
      },
      {
        title: "Check the External Client App's OAuth settings",
        steps: [
          { text: 'Open the new app from "External Client App Manager", go to its "Settings" tab and click "Edit".' },
          callbackStep(r, 'must list'),
          scopesStep(r, 'must include'),
          { text: 'Under "Flow Enablement", make sure "Enable Authorization Code and Credentials Flow" is checked.' },
          { text: 'Click "Save" if you changed anything.' },
          waitStep(),
        ],
      },
      ecaCredentialsSection(),
      ecaTokenPolicySection('The policy normally carries over from the connected app; this makes sure.'),
    ],
    after: afterLines(r, 'external-client-app'),
  };
}

// --- The guides ------------------------------------------------------------------------------------

interface Resolved {
  env: Environment;
  /** Origin of the login host, no trailing slash. */
  login: string;
  /** True when the login host is the generic one (a My Domain works too, and we say so). */
  genericLogin: boolean;
  callbackUrls: string[];
  scopes: string[];
}

function resolve(input: MigrationGuideInput): Resolved {
  const generic = defaultLoginUrl(input.env);
  const login = input.loginUrl === undefined || input.loginUrl.trim() === '' ? generic : originOf(input.loginUrl);
  return {
    env: input.env,
    login,
    genericLogin: login === generic,
    callbackUrls: [...new Set(input.callbackUrls.map((u) => u.trim()).filter((u) => u !== ''))],
    scopes: [...input.scopes],
  };
}

function externalClientAppGuide(r: Resolved): SetupGuide {
  const sandbox = r.env === 'sandbox';
  const intro = [
    sandbox ? 'For a sandbox org.' : 'For a production org or a Developer Edition org.',
    `Your user needs the "${ECA_PERMISSION}" permission.`,
  ];
  if (sandbox) intro.push(sandboxLoginLine(r));
  intro.push(LEGEND);
  return {
    title: `Create an External Client App for sfoauth (${r.env})`,
    intro,
    sections: [
      {
        title: 'Create the External Client App',
        steps: [
          signInStep(r, 'external-client-app', 'then open Setup.'),
          { text: 'In the "Quick Find" box type "App Manager" and open "App Manager" (the "External Client App Manager" works too).' },
          { text: 'Click "New External Client App".' },
        ],
      },
      {
        title: 'Basic information',
        steps: [
          { text: '"External Client App Name": any name you will recognise later, such as "sfoauth".' },
          { text: '"API Name": Salesforce fills it in from the name; leave it.' },
          { text: '"Contact Email": an address where Salesforce can reach you.' },
          {
            text: '"Distribution State": pick',
            values: ['Local'],
            note: sandbox
              ? 'In a sandbox "Local" is the only choice that works: packaged distribution is not supported there.'
              : 'Local keeps the app in this org, which is all sfoauth needs. A packaged app must be installed in each org before anyone there can log in.',
          },
          { text: 'The optional fields can stay empty: "Contact Phone", "Info URL", "Logo Image URL", "Icon URL", "Description".' },
        ],
      },
      {
        title: 'OAuth settings',
        steps: [
          { text: 'Check "API (Enable OAuth Settings)".' },
          callbackStep(r, 'enter'),
          scopesStep(r, 'add'),
          { text: 'Under "Flow Enablement", check "Enable Authorization Code and Credentials Flow".' },
          {
            text: 'Under "Security", keep these three boxes checked (they are on by default):',
            values: [...ECA_SECURITY_DEFAULTS],
            note: 'sfoauth sends a PKCE code challenge, and the Consumer Secret with every code exchange and refresh, so these defaults suit it.',
          },
          introspectStep(true),
          { text: 'Click "Create".' },
          waitStep(),
        ],
      },
      ecaCredentialsSection(),
      ecaTokenPolicySection(),
    ],
    after: afterLines(r, 'external-client-app'),
  };
}

function connectedAppGuide(r: Resolved): SetupGuide {
  const sandbox = r.env === 'sandbox';
  const intro = [
    "Warning: Connected Apps are being retired. Since Winter '26 new orgs have Connected App creation switched off, " +
      "and since Spring '26 only Salesforce Support can switch it back on. Connected apps you already have keep working. " +
      `For a new app, prefer an External Client App: sfoauth steps${sandbox ? ' --env sandbox' : ''} --app-type external-client-app`,
    sandbox ? 'For a sandbox org.' : 'For a production org or a Developer Edition org.',
  ];
  if (sandbox) intro.push(sandboxLoginLine(r));
  intro.push(LEGEND);
  return {
    title: `Create a Connected App for sfoauth (${r.env})`,
    intro,
    sections: [
      {
        title: 'Allow connected apps (new orgs only)',
        steps: [
          signInStep(r, 'connected-app', 'then open Setup.'),
          { text: 'In the Setup menu on the left, open "Apps" → "External Client App Manager" → "Settings".' },
          {
            text: 'Turn on "Allow creation of connected apps".',
            note:
              'Skip this when it is already on. If the option is missing or will not turn on, only Salesforce Support can ' +
              'allow connected apps in this org: create an External Client App instead.',
          },
        ],
      },
      {
        title: 'Create the Connected App',
        steps: [
          { text: 'At the bottom of that same "Settings" page, click "New Connected App".' },
          { text: '"Connected App Name": any name you will recognise later, such as "sfoauth".' },
          { text: '"API Name": Salesforce fills it in from the name; leave it.' },
          { text: '"Contact Email": an address where Salesforce can reach you.' },
          { text: 'Check "Enable OAuth Settings".' },
          callbackStep(r, 'enter'),
          scopesStep(r, 'add'),
          introspectStep(false),
          { text: 'Leave every other setting as it is.' },
          { text: 'Click "Save", then "Continue".' },
          {
            text: 'Salesforce warns that "Changes can take up to 10 minutes to take effect": give it that long before you log in.',
            note: WAIT_NOTE,
          },
        ],
      },
      {
        title: 'Copy the Consumer Key and Secret',
        steps: [
          {
            text: "Salesforce opens the app's detail page. Click \"Manage Consumer Details\"; you may be asked to verify your identity first.",
            note: 'A brand-new app can take a few minutes before its details are ready.',
          },
          copyCredentialsStep(),
        ],
      },
      {
        title: 'Keep refresh tokens valid',
        steps: [
          { text: 'In the Setup menu, open "Apps" → "Connected Apps" → "Manage Connected Apps", then click "Edit" next to your app.' },
          refreshPolicyStep('Under "OAuth Policies", set "Refresh Token Policy" to'),
          { text: 'Click "Save".' },
        ],
      },
    ],
    after: afterLines(r, 'connected-app'),
  };
}

// --- Shared pieces ---------------------------------------------------------------------------------

const LEGEND = 'Labels in quotes are Salesforce\'s own; indented lines are the exact values to paste or pick.';

const WAIT_NOTE =
  'Until then Salesforce may turn the Consumer Key away with "invalid_client_id"; sfoauth init keeps retrying while it waits.';

function sandboxLoginLine(r: Resolved): string {
  return (
    `Sandboxes sign in at ${r.genericLogin ? `${r.login} or at the sandbox's own My Domain` : r.login}. ` +
    'A Developer Edition org is not a sandbox: use --env production for one.'
  );
}

function signInStep(r: Resolved, appType: AppType, then: string): SetupStep {
  const myDomain = r.env === 'sandbox' ? "the sandbox's My Domain" : "your org's My Domain";
  const where = r.genericLogin ? `${r.login} (or ${myDomain})` : r.login;
  const manager = appType === 'external-client-app' ? 'the External Client App Manager' : 'App Manager';
  return {
    text: `Sign in at ${where}, ${then}`,
    values: [setupHomeUrl(r.login, appType)],
    note: `Once you are signed in, this address opens ${manager} directly.`,
  };
}

function callbackStep(r: Resolved, verb: 'enter' | 'must list'): SetupStep {
  const many = r.callbackUrls.length > 1;
  const text =
    verb === 'enter'
      ? `"Callback URL": enter ${many ? 'each of these on its own line' : 'this'}:`
      : `"Callback URL" ${verb} ${many ? 'each of these, one per line' : 'this'}; add what is missing:`;
  return {
    text,
    values: [...r.callbackUrls],
    note: 'Salesforce compares callback URLs exactly (scheme, host, port and path), so paste them unchanged.',
  };
}

function scopesStep(r: Resolved, verb: 'add' | 'must include'): SetupStep {
  const text = verb === 'add' ? 'Under "Selected OAuth Scopes", add:' : '"Selected OAuth Scopes" must include:';
  const notes: string[] = [];
  const alternate = SCOPE_LABEL_ALTERNATES.api;
  if (r.scopes.includes('api') && alternate !== undefined) {
    notes.push(`Some orgs show "${scopeLabel('api')}" as "${alternate}".`);
  }
  if (!hasRefreshScope(r.scopes)) {
    notes.push('Without the refresh_token scope Salesforce issues no refresh token, so sfoauth test and sfoauth token cannot run later.');
  }
  const step: SetupStep = { text, values: setupLabelsFor(r.scopes) };
  if (notes.length > 0) step.note = notes.join(' ');
  return step;
}

function introspectStep(ifOffered: boolean): SetupStep {
  return {
    text: ifOffered ? 'If the page offers "Introspect All Tokens", check it.' : 'Check "Introspect All Tokens".',
    note:
      'Optional for sfoauth. sfoauth test asks the introspection endpoint whether the access token is active; ' +
      'without this box that one check may only warn, and the other checks do not depend on it.',
  };
}

function waitStep(): SetupStep {
  return { text: 'Wait: after you save, the app can take up to 10 minutes to start working.', note: WAIT_NOTE };
}

function copyCredentialsStep(): SetupStep {
  return {
    text: 'Copy the "Consumer Key" (your Client ID) and the "Consumer Secret" (your Client Secret).',
    note: 'sfoauth init asks for both and reads the secret from a hidden prompt, so it never lands in your shell history.',
  };
}

function refreshPolicyStep(lead: string): SetupStep {
  return {
    text: `${lead}:`,
    values: [REFRESH_TOKEN_POLICY_VALUE],
    note: 'With any other policy stored refresh tokens expire, and sfoauth test then fails with "invalid_grant".',
  };
}

function ecaCredentialsSection(): SetupSection {
  return {
    title: 'Copy the Consumer Key and Secret',
    steps: [
      { text: 'Open the app\'s "Settings" tab and scroll to "OAuth Settings".' },
      { text: 'Click "Consumer Key and Secret"; you may be asked to verify your identity first.' },
      copyCredentialsStep(),
    ],
  };
}

function ecaTokenPolicySection(extraNote?: string): SetupSection {
  const open: SetupStep = { text: 'Open the app\'s "Policies" tab and click "Edit".' };
  if (extraNote !== undefined) open.note = extraNote;
  return {
    title: 'Keep refresh tokens valid',
    steps: [
      open,
      refreshPolicyStep('Scroll to "OAuth Policies"; under "App Authorization", set "Refresh Token Policy" to'),
      { text: 'Click "Save".' },
    ],
  };
}

function afterLines(r: Resolved, appType: AppType): string[] {
  const integration = r.env === 'sandbox' ? 'salesforce-sandbox' : 'salesforce';
  const which = r.env === 'sandbox' ? 'sandboxes' : 'production and Developer Edition orgs';
  const lines = [
    `Then run: ${initCommand(r, appType)}`,
    `Using Nango? Pick its "${integration}" integration (the one for ${which}), paste the Consumer Key as Client ID and ` +
      `the Consumer Secret as Client Secret, and give it the scopes ${r.scopes.join(' ')}.`,
  ];
  if (r.callbackUrls.includes(NANGO_CALLBACK_URL)) {
    lines.push(`Nango's callback ${NANGO_CALLBACK_URL} is in the Callback URL list above, so Nango can use this app too.`);
  } else {
    lines.push(
      `Nango also needs its callback registered on the app: add ${NANGO_CALLBACK_URL} (or your own Nango callback URL) ` +
        `to "Callback URL" (sfoauth steps --extra-callback-url ${NANGO_CALLBACK_URL} lists it).`,
    );
  }
  return lines;
}

/** `sfoauth init` with the flags that reproduce these choices (defaults left out, except env and app type). */
function initCommand(r: Resolved, appType: AppType): string {
  const parts = ['sfoauth init', `--env ${r.env}`, `--app-type ${appType}`];
  if (!r.genericLogin) parts.push(`--login-url ${shellQuote(r.login)}`);
  const [own, ...extra] = r.callbackUrls;
  if (own !== undefined && own !== DEFAULT_CALLBACK_URL) parts.push(`--callback-url ${shellQuote(own)}`);
  for (const url of extra) parts.push(`--extra-callback-url ${shellQuote(url)}`);
  if (r.scopes.join(' ') !== DEFAULT_SCOPES.join(' ')) parts.push(`--scopes ${shellQuote(r.scopes.join(' '))}`);
  return parts.join(' ');
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url.trim().replace(/\/+$/, '');
  }
}

/** The guide as init and demo show it: they are already running init, so its closing "Then run" line goes. */
export function guideForInit(guide: SetupGuide): SetupGuide {
  return { ...guide, after: guide.after.filter((line) => !line.startsWith('Then run')) };
}

// --- The server-to-server flows (docs/flows.md "Setup") ---------------------------------------------

export interface ServerFlowGuideInput {
  flow: 'client-credentials' | 'jwt-bearer';
  appType: AppType;
  env: Environment;
  /** Client credentials: the My Domain; JWT bearer: where the token request goes. */
  loginUrl: string;
  /** JWT bearer: the certificate to upload and the user to pre-authorize. */
  certificateFile?: string;
  username?: string;
  audience?: string;
}

/** What to set on the app for client credentials or the JWT bearer flow, for either app type. */
export function buildServerFlowGuide(input: ServerFlowGuideInput): SetupGuide {
  const eca = input.appType === 'external-client-app';
  const app = eca ? 'an External Client App' : 'a Connected App';
  const open = eca
    ? { text: 'Open Setup → Quick Find "External Client App Manager" → your app, "Settings" tab → "Edit".' }
    : { text: 'Open Setup → Quick Find "App Manager" → ▾ next to your app → "Edit" (API (Enable OAuth Settings)).' };
  if (input.flow === 'client-credentials') {
    return {
      title: `Client credentials flow on ${app} (${input.env})`,
      intro: [
        "The token request goes to the org's My Domain; login.salesforce.com and test.salesforce.com refuse it.",
        'Salesforce issues tokens for the Run As user: an API Only user with just the permissions the integration needs.',
      ],
      sections: [
        {
          title: 'Enable the flow and set the Run As user',
          steps: eca
            ? [
                open,
                { text: 'Under "Flow Enablement", check "Enable Client Credentials Flow" and click "Save".' },
                { text: 'On the "Policies" tab click "Edit", under "OAuth Policies" check "Enable Client Credentials Flow".' },
                { text: 'Set "Run As (Username)" to the integration user (with the "API Only User" permission) and click "Save".' },
              ]
            : [
                open,
                { text: 'Check "Enable Client Credentials Flow" and click "Save".' },
                { text: 'Setup → Quick Find "Manage Connected Apps" → your app → "Edit Policies".' },
                { text: 'Under "Client Credentials Flow", set "Run As" to the integration user and click "Save".' },
              ],
        },
      ],
      after: [`My Domain URL for the token request: ${isGenericLogin(input.loginUrl) ? 'https://<MyDomain>.my.salesforce.com (Setup → Quick Find "My Domain")' : originOf(input.loginUrl)}`],
    };
  }
  const certificate = input.certificateFile ?? '<your certificate .crt file>';
  return {
    title: `JWT bearer flow on ${app} (${input.env})`,
    intro: [
      'The server signs a short JWT with its private key; the app holds the matching certificate. The private key never leaves this machine.',
      ...(input.audience ? [`The assertion's aud is ${input.audience} (login.salesforce.com for production, test.salesforce.com for a sandbox).`] : []),
    ],
    sections: [
      {
        title: 'Upload the certificate',
        steps: eca
          ? [open, { text: 'Under "Flow Enablement", check "Enable JWT Bearer Flow", upload the certificate and click "Save".', values: [certificate] }]
          : [open, { text: 'Check "Use digital signatures", choose the certificate file and click "Save".', values: [certificate] }],
      },
      {
        title: 'Pre-authorize the user',
        steps: [
          eca
            ? { text: 'On the "Policies" tab click "Edit"; set "Permitted Users" to "Admin approved users are pre-authorized" and add the profile or permission set of the user.' }
            : { text: 'Manage Connected Apps → your app → "Edit Policies"; set "Permitted Users" to "Admin approved users are pre-authorized", then "Manage Profiles" or "Manage Permission Sets".' },
          ...(input.username ? [{ text: 'The user the token is for:', values: [input.username] }] : []),
        ],
      },
    ],
    after: [],
  };
}

function isGenericLogin(url: string): boolean {
  const kind = classifyHost(url);
  return kind === 'generic-production' || kind === 'generic-sandbox';
}
