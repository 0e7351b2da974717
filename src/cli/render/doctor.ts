/** Output of `sfoauth doctor`: the report on stderr for people, one JSON document on stdout with --json. */
import { DOCTOR_GROUPS, GROUP_TITLES } from '../../core/doctor/context.js';
import type { CheckResult } from '../../core/checks/check.js';
import type { IO } from '../io.js';
import { githubAnnotations, renderCheck, summaryLine } from '../render-checks.js';
import { wrapLine } from '../wrap.js';
import type { DoctorReport } from '../../app/doctor.js';

export function doctorHeader(report: DoctorReport): string {
  if (report.source === 'env') return `sfoauth doctor — credentials from ${report.sourceDetail}`;
  if (report.source === 'none') return `sfoauth doctor — no profile yet (config: ${report.configFile})`;
  return `sfoauth doctor — profile "${report.profile}" (${report.sourceDetail})`;
}

/** Header, each group with its checks (a group where everything was skipped takes one line), then the verdict. */
/** `width`: the terminal's, to wrap fix and detail lines to (cli/wrap.ts); undefined for none. */
export function renderDoctorReport(report: DoctorReport, io: Pick<IO, 'color'>, width?: number): string[] {
  const c = io.color;
  const lines = [doctorHeader(report)];
  for (const group of DOCTOR_GROUPS) {
    const results = report.checks.filter((r) => r.group === group);
    if (results.length === 0) continue;
    lines.push('', c.bold(GROUP_TITLES[group]));
    if (results.every((r) => r.status === 'skip')) {
      lines.push(`  ${c.dim(`- ${skipReason(results[0]!, report.checks)}`)}`);
      continue;
    }
    for (const r of results) lines.push(...renderCheck(r, c, width));
  }
  lines.push('', c.dim(summaryLine(report.checks)));
  const failed = report.checks.some((r) => r.status === 'fail');
  lines.push(...wrapLine(failed ? c.red(report.verdict) : report.checks.some((r) => r.status === 'warn') ? c.yellow(report.verdict) : c.green(report.verdict), width));
  return lines;
}

/**
 * Why a skipped check was skipped, traced back to the check that started it: a whole group skipped
 * because "Login host" was skipped because "Profile" found nothing says "Profile", not "Login host".
 */
export function skipReason(result: CheckResult, all: readonly CheckResult[]): string {
  let current = result;
  for (let i = 0; i < all.length && current.blockedBy !== undefined; i++) {
    const cause = all.find((r) => r.id === current.blockedBy);
    if (!cause) break;
    current = cause;
  }
  if (current === result) return result.summary;
  return current.status === 'skip' && current.blockedBy === undefined && current.summary.startsWith('skipped:')
    ? current.summary
    : `skipped: "${current.title}" did not pass`;
}

/** The stable JSON contract of `sfoauth doctor --json`. */
export function doctorJson(report: DoctorReport): unknown {
  return {
    ok: report.ok,
    profile: report.source === 'none' ? null : report.profile,
    source: report.source,
    verdict: report.verdict,
    firstFix: report.firstFix ?? null,
    checks: report.checks.map((r) => ({
      id: r.id,
      group: r.group,
      status: r.status,
      summary: r.summary,
      detail: r.detail ?? [],
      fix: r.fix ?? null,
      durationMs: r.durationMs,
    })),
  };
}

export { githubAnnotations };
