/**
 * Output of `sfoauth doctor`: the report on stdout for people, printed as the checks finish
 * (DoctorPrinter), or one JSON document on stdout with --json.
 */
import type { ChalkInstance } from 'chalk';
import { GROUP_TITLES, type DoctorGroup } from '../../core/doctor/context.js';
import type { CheckResult } from '../../core/checks/check.js';
import { CheckReportPrinter, githubAnnotations, renderCheck, summaryLine } from '../render-checks.js';
import { wrapLine } from '../wrap.js';
import type { DoctorReport, DoctorResult, DoctorStart } from '../../app/doctor.js';

export function doctorHeader(run: Pick<DoctorReport, 'source' | 'sourceDetail' | 'profile' | 'configFile'>): string {
  if (run.source === 'env') return `sfoauth doctor — credentials from ${run.sourceDetail}`;
  if (run.source === 'none') return `sfoauth doctor — no profile yet (config: ${run.configFile})`;
  return `sfoauth doctor — profile "${run.profile}" (${run.sourceDetail})`;
}

/**
 * The report, a piece at a time: the header, each group's title as the group comes up, each check as
 * its result lands (in report order, as runDoctor's onCheck gives them), then the verdict. A group where
 * everything was skipped takes one line, so its skips are held until the group shows a real result or ends.
 */
export class DoctorPrinter extends CheckReportPrinter<DoctorStart, DoctorResult> {
  private readonly seen: DoctorResult[] = [];
  private held: DoctorResult[] = [];
  private shownInGroup = false;
  /** The header and the first group's title. */
  start(): string[] {
    const first = this.run.checks[0];
    return [doctorHeader(this.run), ...(first ? this.groupTitle(first.group) : [])];
  }

  /** Possibly none: a skip is held for its group. */
  protected linesFor(r: DoctorResult): string[] {
    this.seen.push(r);
    const lines: string[] = [];
    if (r.status === 'skip' && !this.shownInGroup) this.held.push(r);
    else {
      lines.push(...this.held.flatMap((h) => renderCheck(h, this.c, this.width)), ...renderCheck(r, this.c, this.width));
      this.held = [];
      this.shownInGroup = true;
    }
    const next = this.run.checks[this.received];
    if (next?.group !== r.group) {
      // The group is complete: a group of nothing but skips says why in one line.
      if (this.held.length > 0) lines.push(`  ${this.c.dim(`- ${skipReason(this.held[0]!, this.seen)}`)}`);
      this.held = [];
      this.shownInGroup = false;
      if (next) lines.push(...this.groupTitle(next.group));
    }
    return lines;
  }

  private groupTitle(group: DoctorGroup): string[] {
    return ['', this.c.bold(GROUP_TITLES[group])];
  }
}

/** After the last check: the counts and the verdict. */
export function doctorVerdict(report: DoctorReport, c: ChalkInstance, width?: number): string[] {
  const failed = report.checks.some((r) => r.status === 'fail');
  const paint = failed ? c.red : report.checks.some((r) => r.status === 'warn') ? c.yellow : c.green;
  return ['', c.dim(summaryLine(report.checks)), ...wrapLine(paint(report.verdict), width)];
}

/** The whole report at once (as DoctorPrinter prints it live), for a run that has finished. */
export function renderDoctorReport(report: DoctorReport, c: ChalkInstance, width?: number): string[] {
  const printer = new DoctorPrinter({ ...report, checks: report.checks }, c, width);
  return [...printer.start(), ...report.checks.flatMap((r) => printer.add(r)), ...doctorVerdict(report, c, width)];
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
