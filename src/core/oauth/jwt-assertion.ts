/**
 * The JWT bearer assertion (docs/flows.md "JWT bearer"; RFC 7523 §2.1, RFC 7515 compact form): claims
 * `iss` = Consumer Key, `sub` = username, `aud` = the login host, `exp` = at most 3 minutes ahead, as
 * Salesforce's help asks; signed RS256 with node:crypto. The key stays in memory: nothing here reads a
 * file or prints key material, and no error message quotes it.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { ConfigError, UsageError } from '../../errors.js';
import { classifyHost, defaultLoginUrl, environmentOfHostKind } from '../salesforce/hosts.js';

export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce's help: "exp … within 3 minutes". */
export const MAX_ASSERTION_LIFETIME_S = 180;
/** Salesforce accepts RSA keys of 2048 bits and more for uploaded certificates. */
export const MIN_RSA_BITS = 2048;

export interface JwtBearerClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  /** Seconds since the epoch (RFC 7519 NumericDate), not milliseconds. */
  readonly exp: number;
}

export interface JwtBearerInput {
  consumerKey: string;
  username: string;
  /** https://login.salesforce.com, https://test.salesforce.com, an Experience Cloud site, or the emulator's login URL. */
  audience: string;
  /** Epoch milliseconds from the injected clock. */
  now: number;
  /** Seconds until `exp` (default and maximum MAX_ASSERTION_LIFETIME_S). */
  lifetimeSeconds?: number;
}

export function jwtBearerClaims(input: JwtBearerInput): JwtBearerClaims {
  const lifetime = input.lifetimeSeconds ?? MAX_ASSERTION_LIFETIME_S;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_ASSERTION_LIFETIME_S) {
    throw new UsageError(`The assertion lifetime must be a whole number of seconds from 1 to ${MAX_ASSERTION_LIFETIME_S}.`);
  }
  if (input.consumerKey.trim() === '') throw new UsageError('The JWT bearer flow needs the Consumer Key (the assertion\'s iss).');
  if (input.username.trim() === '') throw new UsageError('The JWT bearer flow needs a username (the assertion\'s sub).', { hint: 'Pass --username <user>.' });
  if (!URL.canParse(input.audience) || !/^https?:$/.test(new URL(input.audience).protocol)) {
    throw new UsageError(`The JWT audience must be a URL such as https://login.salesforce.com, not "${input.audience}".`);
  }
  // Floor: an exp rounded up could land past the 3 minutes.
  const exp = Math.floor(input.now / 1000) + lifetime;
  return { iss: input.consumerKey, sub: input.username, aud: input.audience, exp };
}

/**
 * The `aud` that goes with a login URL (docs/flows.md "JWT bearer"): the generic login host of the org's
 * environment for a Salesforce host, even when the request goes to the My Domain (a sandbox's My Domain
 * → https://test.salesforce.com); an Experience Cloud site, or the emulator on loopback, is its own
 * audience. Undefined when the host does not tell (a patch or demo org, an unknown host): ask instead.
 */
export function jwtAudienceFor(loginUrl: string): string | undefined {
  if (!URL.canParse(loginUrl)) return undefined;
  const url = new URL(loginUrl);
  const kind = classifyHost(url.host);
  if (kind === 'loopback') return url.origin;
  if (kind === 'experience-cloud') return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const env = environmentOfHostKind(kind);
  return env === undefined ? undefined : defaultLoginUrl(env);
}

/**
 * A private key object from PEM (PKCS#8 or PKCS#1), checked to be RSA of at least 2048 bits. Throws a
 * ConfigError whose message names the problem, never the key.
 */
export function rsaPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new ConfigError('The private key is not a readable PEM private key.', {
      hint: 'Use the unencrypted PEM file that starts with -----BEGIN PRIVATE KEY----- (or BEGIN RSA PRIVATE KEY).',
    });
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS) {
    throw new ConfigError(`The private key must be an RSA key of at least ${MIN_RSA_BITS} bits (the JWT bearer flow signs with RS256).`);
  }
  return key;
}

/** header.claims.signature, each part base64url without padding; the header is {"alg":"RS256","typ":"JWT"}. */
export function signJwtBearerAssertion(claims: JwtBearerClaims, privateKey: KeyObject | string): string {
  const key = typeof privateKey === 'string' ? rsaPrivateKey(privateKey) : privateKey;
  const encode = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** The form body of the token request (docs/flows.md): no client id or secret, the assertion names the app. */
export function jwtBearerForm(assertion: string): Record<string, string> {
  return { grant_type: JWT_BEARER_GRANT_TYPE, assertion };
}
