/**
 * What the `sfoauth doctor` checks share. Everything that touches the outside world comes in here
 * (HTTP, clock, environment, Node's version, the port probe), so each check is a small function of
 * this object and the CLI layer decides what is real.
 */
import type { Check } from '../checks/check.js';
import type { Clock, Env } from '../ports.js';
import type { HttpClient } from '../http/request.js';
import type { Profile } from '../config/profile.js';
import type { ProfileStore } from '../config/store.js';
import type { VerifyContext } from '../verify/context.js';

/** The report's sections, in the order they are printed. */
export const DOCTOR_GROUPS = ['machine', 'profile', 'network', 'app', 'token'] as const;
export type DoctorGroup = (typeof DOCTOR_GROUPS)[number];

export const GROUP_TITLES: Record<DoctorGroup, string> = {
  machine: 'This machine',
  profile: 'Profile',
  network: 'Network',
  app: 'The app in Salesforce',
  token: 'The saved token',
};

/** Where the credentials came from; `none` when there is no profile and no SFOAUTH_* variables. */
export type DoctorSource = 'profile' | 'env' | 'none';

export interface DoctorContext {
  clock: Clock;
  http: HttpClient;
  env: Env;
  /** `process.version`, e.g. v20.20.2. */
  nodeVersion: string;
  platform: NodeJS.Platform;
  random: (bytes: number) => Uint8Array;
  /** --fix: tighten permissions, move a corrupt config aside. Nothing else is ever changed. */
  fix: boolean;
  /** Absolute path of the config file (it may not exist). */
  configFile: string;
  /** The profile store for configFile; undefined when it could not be opened. */
  store: ProfileStore | undefined;
  source: DoctorSource;
  profileName: string;
  profile: Profile | undefined;
  /** True when the config file itself could not be read or validated (the config-file check reports it). */
  configUnreadable: boolean;
  /** The `sfoauth test` context the token group runs on (shares http, clock and the rotated-token saver). */
  verify: VerifyContext;
  /** Resolves when the port can be bound on every address; throws PortInUseError naming the holder otherwise. */
  checkPortFree: (port: number, addresses: string[], callbackUrl?: URL) => Promise<void>;
  /** Bound on each raw DNS lookup, TCP connect and TLS handshake. */
  probeTimeoutMs: number;
  /** The JWT bearer key and certificate files (platform/certificate.ts); the check skips without them. */
  keyFiles?: KeyFileTools;
  /** SFOAUTH_PRIVATE_KEY: the JWT bearer key given as PEM content instead of a file. Never printed. */
  privateKeyPem?: string;
}

export interface KeyFileTools {
  /** Throws a ConfigError naming the file when it cannot be read. */
  readPemFile(file: string): { text: string; mode: number; tooOpen: boolean };
  keyMatchesCertificate(privateKeyPem: string, certificatePem: string): boolean;
  certificateInfo(certificatePem: string, now: number): { expired: boolean; daysLeft: number; notAfter: Date; fingerprint256: string };
}

export interface DoctorCheck extends Check<DoctorContext> {
  group: DoctorGroup;
}

export function requireDoctorProfile(ctx: DoctorContext): Profile {
  if (!ctx.profile) throw new Error('doctor check ran without a profile; it must declare needs: ["profile"]');
  return ctx.profile;
}

/** The hosts the network group probes: the login host, and the instance (My Domain) host once known. */
export function hostsToProbe(profile: Profile): { role: 'login' | 'instance'; url: URL }[] {
  const out: { role: 'login' | 'instance'; url: URL }[] = [];
  const add = (role: 'login' | 'instance', raw: string | undefined) => {
    if (!raw) return;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return;
    }
    if (out.some((h) => h.url.host === url.host && h.url.protocol === url.protocol)) return;
    out.push({ role, url });
  };
  add('login', profile.loginUrl);
  add('instance', profile.instanceUrl);
  return out;
}

/** The TCP port of an http(s) URL. */
export function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'http:' ? 80 : 443;
}


/** 0o644 → "0644". */
export function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** The `code` of a Node system error (ENOENT, EACCES…), if any. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** Rejects with an error whose code is `code` when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, code = 'ETIMEDOUT'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ms} ms`), { code })), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
