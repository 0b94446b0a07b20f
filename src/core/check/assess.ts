// One call for the CLI and the extension: recognize a command's output, judge it against the
// step's expectations and the defaults, and attach the runbook's matching causes to each warning
// or critical finding. The result is plain JSON (`runbook recognize --json` prints it as is).
import { recognize } from '../recognize/index';
import type { Metric, RecognizerInput } from '../recognize/types';
import type { Step } from '../runbook/model';
import { diagnose, type CauseItem, type DiagnosisMatch } from './diagnose';
import { evaluate, type Finding } from './evaluate';
import type { Level } from './status';

export interface AssessedFinding extends Finding {
  /** The runbook's cause/fix items for this finding, best first (empty for ok findings). */
  readonly causes: readonly { text: string; section: string; line?: number; by: DiagnosisMatch['by'] }[];
}

export interface Assessment {
  readonly recognizer: string | null;
  readonly title: string | null;
  readonly data: unknown;
  readonly level: Level;
  readonly findings: AssessedFinding[];
  /** Problems with the step's expectations. */
  readonly diagnostics: string[];
}

export interface AssessOptions {
  readonly expect?: readonly string[];
  readonly extraMetrics?: readonly Metric[];
  /** The runbook's cause/fix items (causeItemsFromRunbook). */
  readonly causes?: readonly CauseItem[];
  /** The step's `cause=` annotation. */
  readonly cause?: string;
  /** How many causes to attach per finding; default 3. */
  readonly maxCauses?: number;
}

/** The expect and cause annotations of a step, as assess() takes them. */
export function stepCheckOptions(step: Step): Pick<AssessOptions, 'expect' | 'cause'> {
  const cause = step.annotations.extra?.['cause'];
  return {
    ...(step.annotations.expect ? { expect: step.annotations.expect } : {}),
    ...(cause ? { cause } : {}),
  };
}

export function assess(command: string, output: RecognizerInput, options: AssessOptions = {}): Assessment {
  const recognition = recognize(command, output);
  const evaluation = evaluate(recognition, {
    ...(options.expect ? { expect: options.expect } : {}),
    ...(options.extraMetrics ? { extraMetrics: options.extraMetrics } : {}),
  });
  const max = options.maxCauses ?? 3;
  const findings = evaluation.findings.map((f) => ({
    ...f,
    causes: diagnose(f, options.causes ?? [], options.cause)
      .slice(0, max)
      .map((d) => ({
        text: d.item.text,
        section: d.item.section,
        ...(d.item.line !== undefined ? { line: d.item.line } : {}),
        by: d.by,
      })),
  }));
  return {
    recognizer: recognition?.kind ?? null,
    title: recognition?.title ?? null,
    data: recognition?.data ?? null,
    level: evaluation.level,
    findings,
    diagnostics: evaluation.diagnostics,
  };
}
