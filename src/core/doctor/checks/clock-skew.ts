/**
 * Network: this machine's clock agrees with Salesforce's, read from the `Date` header of a GET to the
 * login host (through the same HTTP client, and so the same proxy, as every other request). A clock
 * off by minutes makes ID tokens look expired or not yet valid and certificates look wrong.
 */
import { NetworkError } from '../../../errors.js';
import { networkFailure, outcomeFromError, pass, skip, warn } from '../../checks/check.js';
import { requireDoctorProfile, type DoctorCheck } from '../context.js';

/** Warn above this much difference. */
export const MAX_SKEW_MS = 2 * 60 * 1000;

export const clockSkewCheck: DoctorCheck = {
  id: 'clock-skew',
  group: 'network',
  title: 'Clock',
  needs: ['tcp-tls'],
  async run(ctx) {
    const profile = requireDoctorProfile(ctx);
    const url = `${profile.loginUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const t0 = ctx.clock.now();
    let date: string | null;
    try {
      const res = await ctx.http.request({ method: 'GET', url, idempotent: true });
      date = res.headers.get('date');
    } catch (err) {
      if (err instanceof NetworkError) return networkFailure(err, 'check your network and proxy settings');
      return outcomeFromError(err);
    }
    const t1 = ctx.clock.now();
    const server = date === null ? Number.NaN : Date.parse(date);
    if (Number.isNaN(server)) return skip(`${new URL(url).host} sent no usable Date header, so the clock could not be compared`);
    // The header was written somewhere between sending and receiving, and has whole seconds only:
    // compare with the midpoint and allow that second.
    const skew = Math.round(server - (t0 + t1) / 2);
    const text = describeSkew(skew);
    if (Math.abs(skew) > MAX_SKEW_MS + 1000) {
      return warn(
        `this machine's clock is ${text} Salesforce's (${new URL(url).host} says ${new Date(server).toISOString()})`,
        'turn on automatic time synchronisation (Linux: `timedatectl set-ntp true`; macOS: System Settings → General → Date & Time; Windows: Settings → Time & language → Set time automatically)',
      );
    }
    const host = new URL(url).host;
    return pass(Math.abs(skew) < 1500 ? `agrees with ${host} to the second` : `this machine is ${text} ${host} (under the ${MAX_SKEW_MS / 60000} min that matters)`);
  },
};

/** "3 min 5 s behind", "12 s ahead of" (followed by whose clock). */
export function describeSkew(skewMs: number): string {
  const s = Math.max(1, Math.round(Math.abs(skewMs) / 1000));
  const amount = s >= 120 ? `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}` : `${s} s`;
  // A server ahead of us means our clock is behind.
  return skewMs > 0 ? `${amount} behind` : `${amount} ahead of`;
}
