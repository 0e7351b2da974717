/** Output of `sfoauth test`: the report on stderr for people, one JSON document on stdout with --json. */
import type { IO } from '../io.js';
import { githubAnnotations, renderCheck, summaryLine } from '../render-checks.js';
import type { TestReport } from '../../app/test.js';
import { orgJson } from '../../core/salesforce/org-kind.js';

export function testHeader(profile: string, source: string, sourceDetail: string): string {
  return source === 'env' ? `sfoauth test — credentials from ${sourceDetail}` : `sfoauth test — profile "${profile}" (${sourceDetail})`;
}

export function renderTestSummary(report: TestReport, io: IO): string[] {
  const c = io.color;
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
