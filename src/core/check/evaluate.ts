// Judges a recognized output against the author's expectations and the default checks, and says
// which figure crossed which limit: "GPU 0 memory used 97.1% > 95% (critical)".
import { recognizerFor } from '../recognize/index';
import type { FailureKind, Metric, Recognition, Sample } from '../recognize/types';
import { formatValue, parseBytes, parseCores, parseDuration } from '../recognize/units';
import { GLOBAL_DEFAULTS } from './defaults';
import { parseExpect, type Condition, type Op, type Rule, type Value } from './expect-syntax';
import { worstLevel, type Level } from './status';

export interface Finding {
  /** The recognizer whose output was judged; null when the output was not recognized. */
  readonly recognizer: string | null;
  readonly level: Level;
  readonly message: string;
  /** Where the finding came from: an author's expectation, a default check, or a known failure. */
  readonly source: 'author' | 'default' | 'failure';
  readonly metric?: string;
  readonly label?: string;
  readonly value?: number | string;
  /** The limit as the message prints it. */
  readonly threshold?: string;
  /** The check as written. */
  readonly rule?: string;
  readonly failure?: FailureKind;
}

export interface Evaluation {
  /** Worst level of the findings; ok when nothing crossed a limit. */
  readonly level: Level;
  readonly findings: Finding[];
  /** Problems with the expectations themselves (syntax, unknown figure, unit mismatch). */
  readonly diagnostics: string[];
}

export interface EvaluateOptions {
  /** The step's expect annotations. */
  readonly expect?: readonly string[];
  /** Figures known outside the output, e.g. `run.duration`, `run.exit_code` from the runner. */
  readonly extraMetrics?: readonly Metric[];
}

type Converted = { ok: true; value: number | string; shown: string } | { ok: false; why: string };

const UNIT_WORD: Record<string, string> = {
  percent: 'a percentage',
  bytes: 'a size',
  seconds: 'a duration',
  cores: 'CPU cores',
  count: 'a count',
  ratio: 'a ratio',
  watts: 'watts',
  celsius: 'a temperature',
  mhz: 'a clock rate',
  text: 'text',
};

/** A written value in the figure's dimension, or why it cannot be. */
export function convertValue(v: Value, dimension: Metric['dimension']): Converted {
  if (v.kind === 'text') {
    if (dimension === 'text') return { ok: true, value: v.text, shown: v.text };
    return { ok: false, why: `'${v.text}' is text but the figure is ${UNIT_WORD[dimension]}` };
  }
  const n = v.number;
  const u = v.unit;
  const bad = (): Converted => ({
    ok: false,
    why: `'${v.text}' is not ${UNIT_WORD[dimension]}${u ? ` (unit '${u}')` : ''}`,
  });
  let value: number | null = null;
  switch (dimension) {
    case 'percent':
      value = u === '' || u === '%' ? n : null;
      break;
    case 'bytes':
      value = parseBytes(`${n}${u}`);
      break;
    case 'seconds':
      value = parseDuration(`${n}${u}`);
      break;
    case 'cores':
      value = parseCores(`${n}${u}`) ?? (/^cores?$/.test(u) ? n : null);
      break;
    case 'count':
      value = u === '' ? n : null;
      break;
    case 'ratio':
      value = u === '' || u === 'x' ? n : null;
      break;
    case 'watts':
      value = u === '' || u === 'W' ? n : u === 'kW' ? n * 1000 : null;
      break;
    case 'celsius':
      value = u === '' || u === 'C' || u === '°C' ? n : null;
      break;
    case 'mhz':
      value = u === '' || u === 'MHz' ? n : u === 'GHz' ? n * 1000 : null;
      break;
    case 'text':
      return { ok: true, value: v.text, shown: v.text };
  }
  if (value === null) return bad();
  return { ok: true, value, shown: formatValue(value, dimension) };
}

const NEGATED: Record<Op, string> = {
  '>': '≤',
  '>=': '<',
  '<': '≥',
  '<=': '>',
  '==': '≠',
  '!=': '=',
  '~': 'does not contain',
  in: 'not in',
  'not in': 'in',
};

function compare(op: Op, a: number | string, values: readonly (number | string)[]): boolean {
  const b = values[0];
  if (b === undefined) return false;
  const eq = (x: number | string, y: number | string): boolean =>
    typeof x === 'string' || typeof y === 'string'
      ? String(x).toLowerCase() === String(y).toLowerCase()
      : x === y;
  switch (op) {
    case '>':
      return typeof a === 'number' && typeof b === 'number' && a > b;
    case '>=':
      return typeof a === 'number' && typeof b === 'number' && a >= b;
    case '<':
      return typeof a === 'number' && typeof b === 'number' && a < b;
    case '<=':
      return typeof a === 'number' && typeof b === 'number' && a <= b;
    case '==':
      return eq(a, b);
    case '!=':
      return !eq(a, b);
    case '~':
      return String(a).toLowerCase().includes(String(b).toLowerCase());
    case 'in':
      return values.some((v) => eq(a, v));
    case 'not in':
      return !values.some((v) => eq(a, v));
  }
}

const plural = (path: string, n: number): string => {
  const noun = path.split('.')[0] ?? 'rows';
  const nice: Record<string, string> = { gpu: 'GPUs', plan: 'plan nodes', connections: 'rows' };
  const word = nice[noun] ?? noun;
  return `${n} ${n === 1 ? word.replace(/s$/, '') : word}`;
};

interface Subject {
  /** "GPU 0 memory used", "max pods memory (pod x)". */
  readonly label: string;
  readonly sampleLabel?: string;
  readonly value: number | string;
}

/** The row a message names: the one furthest beyond the limit (any) or closest to it (all). */
function pick(samples: readonly Sample[], op: Op, extreme: 'far' | 'near'): Sample | undefined {
  if (!samples.length) return undefined;
  const up = op === '>' || op === '>=';
  const down = op === '<' || op === '<=';
  if (!up && !down) return samples[0];
  const wantHigh = (up && extreme === 'far') || (down && extreme === 'near');
  return samples.reduce((best, s) =>
    typeof s.value === 'number' &&
    typeof best.value === 'number' &&
    (wantHigh ? s.value > best.value : s.value < best.value)
      ? s
      : best,
  );
}

function aggregateSubject(rule: Rule, metric: Metric): Subject | null {
  const nums = metric.samples.filter((s): s is Sample & { value: number } => typeof s.value === 'number');
  const n = metric.samples.length;
  switch (rule.aggregate) {
    case 'count':
      return { label: `number of ${metric.description} figures`, value: n };
    case 'max':
    case 'min': {
      if (!nums.length) return null;
      const s = nums.reduce((a, b) =>
        rule.aggregate === 'max' ? (b.value > a.value ? b : a) : b.value < a.value ? b : a,
      );
      return {
        label: `${rule.aggregate === 'max' ? 'highest' : 'lowest'} ${metric.description} (${s.label})`,
        sampleLabel: s.label,
        value: s.value,
      };
    }
    case 'sum':
    case 'avg': {
      if (!nums.length) return null;
      const sum = nums.reduce((a, b) => a + b.value, 0);
      return {
        label: `${rule.aggregate === 'sum' ? 'total' : 'average'} ${metric.description} over ${plural(rule.path, nums.length)}`,
        value: rule.aggregate === 'sum' ? sum : sum / nums.length,
      };
    }
    default:
      return null;
  }
}

interface RuleResult {
  finding?: Finding;
  diagnostic?: string;
}

function evaluateRule(
  rule: Rule,
  metric: Metric,
  recognizer: string | null,
  source: 'author' | 'default',
): RuleResult {
  const dimension = rule.aggregate === 'count' ? 'count' : metric.dimension;
  // Convert every condition's values first: a unit mistake is the author's to fix, not a finding.
  const conds: { c: Condition; values: (number | string)[]; shown: string }[] = [];
  for (const c of rule.conditions) {
    if (dimension === 'text' && ['>', '>=', '<', '<='].includes(c.op))
      return { diagnostic: `check "${rule.source}": ${rule.path} is text; compare it with ==, !=, ~ or in` };
    if (dimension !== 'text' && c.op === '~')
      return {
        diagnostic: `check "${rule.source}": '~' (contains) needs a text figure; ${rule.path} is ${UNIT_WORD[dimension]}`,
      };
    const converted = c.values.map((v) => convertValue(v, dimension));
    const badOne = converted.find((x): x is { ok: false; why: string } => !x.ok);
    if (badOne) return { diagnostic: `check "${rule.source}": ${badOne.why}` };
    const okOnes = converted as { ok: true; value: number | string; shown: string }[];
    const shown =
      okOnes.length > 1 || c.op === 'in' || c.op === 'not in'
        ? `(${okOnes.map((x) => x.shown).join(', ')})`
        : (okOnes[0]?.shown ?? '');
    conds.push({ c, values: okOnes.map((x) => x.value), shown });
  }
  const fmt = (v: number | string): string => formatValue(v, dimension);
  const base = { recognizer, source, metric: rule.path, rule: rule.source };

  if (!metric.samples.length) {
    return {
      finding: {
        ...base,
        level: 'ok',
        message: `no ${metric.description} figures in the output (${rule.path})`,
      },
    };
  }

  const scalar = aggregateSubject(rule, metric);
  let fired: { level: Level; subject: Subject; cond: (typeof conds)[number]; extra: number } | null = null;
  for (const k of conds) {
    let subject: Subject;
    let extra = 0;
    if (rule.aggregate === 'any' || rule.aggregate === 'all') {
      const hits = metric.samples.filter((s) => compare(k.c.op, s.value, k.values));
      const holds = rule.aggregate === 'any' ? hits.length > 0 : hits.length === metric.samples.length;
      if (!holds) continue;
      const s = pick(hits, k.c.op, rule.aggregate === 'any' ? 'far' : 'near');
      if (!s) continue;
      subject = {
        label:
          rule.aggregate === 'all'
            ? `all ${plural(rule.path, hits.length)}: ${s.label} ${metric.description}`
            : `${s.label} ${metric.description}`,
        sampleLabel: s.label,
        value: s.value,
      };
      extra = rule.aggregate === 'any' ? hits.length - 1 : 0;
    } else {
      if (!scalar || !compare(k.c.op, scalar.value, k.values)) continue;
      subject = scalar;
    }
    if (!fired || (k.c.level === 'critical' && fired.level !== 'critical'))
      fired = { level: k.c.level, subject, cond: k, extra };
  }

  if (fired) {
    const more = fired.extra > 0 ? `, and ${fired.extra} more` : '';
    return {
      finding: {
        ...base,
        level: fired.level,
        message: `${fired.subject.label} ${fmt(fired.subject.value)} ${opText(fired.cond.c.op)} ${fired.cond.shown} (${fired.level})${more}`,
        ...(fired.subject.sampleLabel !== undefined ? { label: fired.subject.sampleLabel } : {}),
        value: fired.subject.value,
        threshold: fired.cond.shown,
      },
    };
  }
  // Nothing crossed: name the row nearest to the first limit.
  const first = conds[0];
  if (!first) return {};
  let subject: Subject | null = scalar;
  if (rule.aggregate === 'any' || rule.aggregate === 'all') {
    const s = pick(metric.samples, first.c.op, 'far');
    subject = s ? { label: `${s.label} ${metric.description}`, sampleLabel: s.label, value: s.value } : null;
  }
  if (!subject)
    return {
      finding: { ...base, level: 'ok', message: `no numeric ${metric.description} figures (${rule.path})` },
    };
  return {
    finding: {
      ...base,
      level: 'ok',
      message: `${subject.label} ${fmt(subject.value)} ${NEGATED[first.c.op]} ${first.shown} (ok)`,
      ...(subject.sampleLabel !== undefined ? { label: subject.sampleLabel } : {}),
      value: subject.value,
      threshold: first.shown,
    },
  };
}

const opText = (op: Op): string => (op === '~' ? 'contains' : op);

/** Evaluates the author's expectations and the default checks on a recognized output. */
export function evaluate(recognition: Recognition | null, options: EvaluateOptions = {}): Evaluation {
  const expect = options.expect ?? [];
  const parsed = parseExpect(expect);
  const diagnostics = parsed.diagnostics.map(
    (d) => `expect "${expect[d.index] ?? ''}": column ${d.column}: ${d.message}`,
  );
  const metrics = new Map<string, Metric>();
  for (const m of [...(recognition?.metrics ?? []), ...(options.extraMetrics ?? [])]) metrics.set(m.path, m);
  const recognizer = recognition?.kind ?? null;
  const findings: Finding[] = [];

  const authorPaths = new Set(parsed.rules.map((r) => r.path));
  const off = new Set(parsed.off);
  for (const rule of parsed.rules) {
    const metric = metrics.get(rule.path);
    if (!metric) {
      const known = [...metrics.keys()].filter((k) => k !== 'failures.kind' || recognizer === 'failures');
      diagnostics.push(
        recognition
          ? `check "${rule.source}": no figure '${rule.path}' in ${recognition.title} output${known.length ? ` (it has ${known.join(', ')})` : ''}`
          : `check "${rule.source}": the output was not recognized, so '${rule.path}' is unknown`,
      );
      continue;
    }
    const r = evaluateRule(rule, metric, recognizer, 'author');
    if (r.diagnostic) diagnostics.push(r.diagnostic);
    if (r.finding) findings.push(r.finding);
  }

  if (!off.has('*')) {
    const defaults = [
      ...(recognition ? (recognizerFor(recognition.kind)?.defaults ?? []) : []),
      ...GLOBAL_DEFAULTS,
    ];
    const rules = parseExpect(defaults).rules;
    const seen = new Set<string>();
    for (const rule of rules) {
      if (authorPaths.has(rule.path) || off.has(rule.path) || seen.has(rule.source)) continue;
      seen.add(rule.source);
      const metric = metrics.get(rule.path);
      if (!metric) continue; // defaults apply only where the figure exists
      const r = evaluateRule(rule, metric, recognizer, 'default');
      if (r.finding) findings.push(r.finding);
    }
  }

  if (!off.has('failures') && !authorPaths.has('failures.kind')) {
    for (const f of recognition?.failures ?? []) {
      findings.push({
        recognizer,
        level: 'critical',
        message: `${f.summary} (critical)`,
        source: 'failure',
        failure: f.kind,
        metric: 'failures.kind',
        value: f.kind,
      });
    }
  }
  return { level: worstLevel(findings.map((f) => f.level)), findings, diagnostics };
}
