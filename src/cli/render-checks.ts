/** Renders check results (test, doctor) as terminal lines: an icon, the title, the summary, then the fix. */
import type { ChalkInstance } from 'chalk';
import type { CheckResult, CheckStatus } from '../core/checks/check.js';
import { wrapLine } from './wrap.js';

const ICONS: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

const DETAIL_INDENT = '      ';
/** A detail that starts with a label ("Cause: ", "Setup: ") or spaces continues under its text. */
const DETAIL_LABEL = /^(?:[A-Z][A-Za-z ]{0,11}: +| +)/;

/**
 * `width` is the terminal's (cli/wrap.ts): the detail and fix lines wrap to it, under their text;
 * undefined (not a terminal) keeps each on one line.
 */
export function renderCheck(r: CheckResult, c: ChalkInstance, width?: number): string[] {
  const paint = { pass: c.green, warn: c.yellow, fail: c.red, skip: c.dim }[r.status];
  // The result line continues under the title, past "  ✓ ".
  const lines = wrapLine(`  ${paint(ICONS[r.status])} ${c.bold(r.title)}: ${r.summary} ${c.dim(`(${r.durationMs} ms)`)}`, width, 4);
  for (const d of r.detail ?? []) lines.push(...wrapLine(`${DETAIL_INDENT}${c.dim(d)}`, width, DETAIL_INDENT.length + (DETAIL_LABEL.exec(d)?.[0].length ?? 0)));
  if (r.fix && (r.status === 'fail' || r.status === 'warn')) lines.push(...wrapLine(`${DETAIL_INDENT}${c.cyan('→ Fix:')} ${r.fix}`, width, DETAIL_INDENT.length + '→ Fix: '.length));
  return lines;
}

export function countStatuses(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const n: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const r of results) n[r.status]++;
  return n;
}

export function summaryLine(results: readonly CheckResult[]): string {
  const n = countStatuses(results);
  return `${n.pass} passed, ${n.warn} warning${n.warn === 1 ? '' : 's'}, ${n.fail} failed, ${n.skip} skipped`;
}

/** GitHub Actions annotations (`::error::`), one per failed check; newlines must be %0A-escaped. */
export function githubAnnotations(results: readonly CheckResult[], prefix: string): string[] {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return results
    .filter((r) => r.status === 'fail')
    .map((r) => `::error title=${esc(`${prefix}: ${r.title}`).replace(/,/g, '%2C').replace(/:/g, '%3A')}::${esc(r.summary + (r.fix ? `\nFix: ${r.fix}` : ''))}`);
}

/**
 * What the live reports of `test` and `doctor` share (cli/progress.ts LivePrinter): the run they print,
 * the colours and width, and a count of the results received, which names the check awaited next.
 */
export abstract class CheckReportPrinter<Run extends { readonly checks: readonly { readonly title: string }[] }, R extends CheckResult> {
  protected received = 0;
  protected readonly run: Run;
  protected readonly c: ChalkInstance;
  protected readonly width: number | undefined;

  /** `width`: the terminal's, to wrap fix and detail lines to (cli/wrap.ts); undefined for none. */
  constructor(run: Run, c: ChalkInstance, width?: number) {
    this.run = run;
    this.c = c;
    this.width = width;
  }

  abstract start(): string[];

  /** The lines `r` makes printable now; results come in report order. */
  add(r: R): string[] {
    this.received++;
    return this.linesFor(r);
  }

  /** The title of the check the report waits for, for a spinner; undefined once all are in. */
  inFlight(): string | undefined {
    return this.run.checks[this.received]?.title;
  }

  protected abstract linesFor(r: R): string[];
}
