/**
 * Output of `sfoauth test`: the report on stdout for people (the header, then each check as it lands,
 * then the verdict), or one JSON document on stdout with --json.
 */
import type { ChalkInstance } from 'chalk';
import { CheckReportPrinter, githubAnnotations, renderCheck, summaryLine } from '../render-checks.js';
import type { CheckResult } from '../../core/checks/check.js';
import type { TestReport, TestStart } from '../../app/test.js';
import { orgJson } from '../../core/salesforce/org-kind.js';

export function testHeader(profile: string, source: string, sourceDetail: string): string {
  return source === 'env' ? `sfoauth test — credentials from ${sourceDetail}` : `sfoauth test — profile "${profile}" (${sourceDetail})`;
}

/** The report, a piece at a time: the header, then each check as runTest's onCheck hands it over (in report order). */
export class TestPrinter extends CheckReportPrinter<TestStart, CheckResult> {
  start(): string[] {
    return [testHeader(this.run.profile, this.run.source, this.run.sourceDetail)];
  }

  protected linesFor(r: CheckResult): string[] {
    return renderCheck(r, this.c, this.width);
  }
}

export function renderTestSummary(report: TestReport, c: ChalkInstance): string[] {
  const verdict = report.ok ? c.green('OK') : c.red('FAILED');
  return [`${verdict}: ${summaryLine(report.checks)}`];
}

/** The stable JSON contract of `sfoauth test --json`. */
export function testJson(report: TestReport): unknown {
  return {
    ok: report.ok,
    profile: report.profile,
    source: report.source,
    instanceUrl: report.instanceUrl ?? null,
    org: orgJson(report.org),
    checks: report.checks.map((r) => ({
      id: r.id,
      status: r.status,
      summary: r.summary,
      fix: r.fix ?? null,
      durationMs: r.durationMs,
    })),
  };
}

export { renderCheck, githubAnnotations };
