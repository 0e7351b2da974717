/**
 * The small HTML pages the callback server answers with. Each one says what to do next. They never
 * contain the authorization code, the state or tokens (they take no such argument), and any text that
 * came from the query string is escaped. No scripts, no external resources (the server also sends a
 * CSP that forbids both).
 */

/** Escapes the five characters that matter in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** After the good callback: the terminal carries on with the token exchange. */
export function successPage(): string {
  return page(
    'sfoauth: authorization received',
    'Authorization received',
    ['sfoauth received the authorization; you can close this tab and return to the terminal.'],
  );
}

/** Salesforce redirected back with `?error=` (denied, app blocked, PKCE missing…). */
export function authorizationErrorPage(error: string, description: string | undefined): string {
  const lines = [`Salesforce returned the error <code>${escapeHtml(error)}</code>${description ? `: ${escapeHtml(description)}` : '.'}`];
  lines.push('Return to the terminal: sfoauth explains the cause and the fix. You can close this tab.');
  return page('sfoauth: authorization failed', 'Authorization failed', lines);
}

/** A callback whose `state` is missing or is not the one this run sent (an old tab, another login). */
export function stateMismatchPage(): string {
  return page('sfoauth: unexpected callback', 'This callback does not belong to the current sign-in', [
    'Its state does not match the one sfoauth sent, so it was ignored and sfoauth is still waiting.',
    'Use the authorization link printed in the terminal (an older tab or another login can cause this).',
  ]);
}

/** The right state but no code and no error: not something Salesforce sends. */
export function badCallbackPage(): string {
  return page('sfoauth: incomplete callback', 'The callback had no authorization code', [
    'Return to the terminal for details, then run the command again. You can close this tab.',
  ]);
}

/** Any request after the flow ended (a reload, a second tab). */
export function finishedPage(): string {
  return page('sfoauth: already finished', 'This sign-in is already finished', [
    'Return to the terminal. You can close this tab.',
  ]);
}

/** Anything but the registered callback path (favicon.ico, /). */
export function notFoundPage(): string {
  return page('sfoauth: not found', 'Not found', ['This local server only answers the Salesforce callback. Return to the terminal.']);
}

/** The callback path with a method other than GET. */
export function methodNotAllowedPage(): string {
  return page('sfoauth: method not allowed', 'Method not allowed', [
    'The Salesforce callback arrives as a GET request. Return to the terminal.',
  ]);
}

/** The one layout. `paragraphs` are HTML: callers escape what they interpolate. */
function page(title: string, heading: string, paragraphs: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}code{font-size:1.05em}</style>',
    '</head>',
    '<body>',
    `<h1>${escapeHtml(heading)}</h1>`,
    ...paragraphs.map((p) => `<p>${p}</p>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
