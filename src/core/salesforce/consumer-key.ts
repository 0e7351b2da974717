/**
 * Sanity checks on a pasted Consumer Key and Secret, before any request is made. Only copy-paste damage
 * (nothing, spaces, quotes) is refused; an unusual format is a warning, since Salesforce decides.
 * Messages never repeat the value: the "key" may well be a secret pasted into the wrong prompt.
 */

export interface CredentialCheck {
  ok: boolean;
  warning?: string;
}

/** docs/salesforce.md §3.1: real consumer keys start with 3MVG9 and are about 85 characters. */
const CONSUMER_KEY = /^3MVG9[A-Za-z0-9._]{50,150}$/;
/** docs/salesforce.md §4.4: modern secrets are 64 upper-case hex characters; old ones 19 decimal digits. */
const MODERN_SECRET = /^[A-F0-9]{64}$/;
const OLD_SECRET = /^\d{19}$/;
const DAMAGE = /[\s"'`\u201c\u201d\u2018\u2019]/;

/** True for a value shaped like a Consumer Secret (64 hex characters, or an old 19-digit one). */
export function looksLikeConsumerSecret(value: string): boolean {
  return /^[A-Fa-f0-9]{64}$/.test(value) || OLD_SECRET.test(value);
}

export function checkConsumerKey(key: string): CredentialCheck {
  if (key === '') return { ok: false, warning: 'The Consumer Key is empty.' };
  if (DAMAGE.test(key)) {
    return {
      ok: false,
      warning: 'The Consumer Key contains spaces, line breaks or quotes; copy it again with the copy button next to it in Salesforce.',
    };
  }
  if (CONSUMER_KEY.test(key)) return { ok: true };
  if (looksLikeConsumerSecret(key)) {
    return { ok: true, warning: 'This looks like the Consumer Secret, not the Consumer Key (keys start with 3MVG9).' };
  }
  if (key.startsWith('3MVG9')) {
    return {
      ok: true,
      warning: `The Consumer Key is ${key.length} characters long; real ones are about 85 and contain only letters, digits, "." and "_". It may be cut off or changed.`,
    };
  }
  return { ok: true, warning: 'The Consumer Key does not look like a Salesforce one (those start with 3MVG9 and are about 85 characters).' };
}

export function checkConsumerSecret(secret: string): CredentialCheck {
  if (secret === '') return { ok: false, warning: 'The Consumer Secret is empty.' };
  if (DAMAGE.test(secret)) {
    return {
      ok: false,
      warning: 'The Consumer Secret contains spaces, line breaks or quotes; copy it again with the copy button next to it in Salesforce.',
    };
  }
  if (MODERN_SECRET.test(secret) || OLD_SECRET.test(secret)) return { ok: true };
  if (CONSUMER_KEY.test(secret) || secret.startsWith('3MVG9')) {
    return { ok: true, warning: 'This looks like the Consumer Key, not the Consumer Secret.' };
  }
  if (/^[A-Fa-f0-9]{64}$/.test(secret)) {
    return { ok: true, warning: 'Salesforce shows Consumer Secrets in upper case; this one has lower-case letters. Secrets are case-sensitive.' };
  }
  return {
    ok: true,
    warning: `The Consumer Secret is ${secret.length} characters of an unusual form; Salesforce's are 64 upper-case hex characters (or 19 digits for old apps).`,
  };
}
