// The incident report as GitHub Markdown: title and span, a summary of what was found (worst
// status, each warning/critical finding with the runbook's causes and fixes, commands that
// failed), a timeline table, then one section per step run with the resolved command, findings,
// key figures, captured files, output link and the person's note.
import { basename, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StepStatus } from '../check/status';
import type { ReportCommand, ReportEntry, ReportModel, ReportProblem } from './model';
import type { ReportCause } from './stored-findings';

export interface RenderOptions {
  /** Times in UTC (default: the same report on every machine) or the machine's local time. */
  readonly timeZone?: 'utc' | 'local';
}

const MARK: Record<StepStatus, string> = {
  'not-run': '–',
  ok: '✓',
  cancelled: '⊘',
  warning: '⚠',
  failed: '✗',
  critical: '✖',
};

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** "2024-05-01 14:02:11" and the zone it is in ("UTC", "+02:00"). */
export function formatTime(iso: string, zone: 'utc' | 'local'): { date: string; time: string; zone: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { date: '', time: iso, zone: '' };
  if (zone === 'utc')
    return {
      date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
      time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
      zone: 'UTC',
    };
  const off = -d.getTimezoneOffset();
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`,
    zone: `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`,
  };
}

/** "850 ms", "2.3 s", "1 min 5 s", "1 h 2 min". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h ? `${h} h ${min} min` : `${min} min${sec ? ` ${sec} s` : ''}`;
}

const formatBytes = (n: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i ? v.toFixed(v < 10 ? 1 : 0) : v} ${units[i]}`;
};

/**
 * Text placed in Markdown prose: characters that would start code, emphasis, links, HTML or a
 * table cell are escaped. `_` inside a word (max_connections) is literal in GitHub Markdown and
 * stays readable; it is escaped only at a word's edge.
 */
export function escapeInline(s: string): string {
  return s
    .replace(/[\\`*[\]<|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

/** A table cell: inline escaping, and no line breaks. */
const cell = (s: string): string => escapeInline(s).trim() || ' ';

/** A code span that survives backticks inside the text. */
export function codeSpan(s: string): string {
  const text = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${padded}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run in the text. */
function codeBlock(text: string, lang: string): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, ...text.replace(/\r\n/g, '\n').split('\n'), fence];
}

/** A link to a local file (absolute paths only), optionally at a line. */
function fileLink(label: string, path: string, line?: number): string {
  if (!isAbsolute(path)) return escapeInline(label);
  return `[${escapeInline(label)}](${pathToFileURL(path).href}${line ? `#L${line}` : ''})`;
}

function causeLine(c: ReportCause, runbook: string): string {
  const where = c.line ? fileLink(`${basename(runbook)}:${c.line}`, runbook, c.line) : '';
  const section = c.section ? `*${escapeInline(c.section)}*` : '';
  const at = [section, where].filter(Boolean).join(', ');
  return `${escapeInline(c.text)}${at ? ` (${at})` : ''}`;
}

function problemLines(p: ReportProblem, model: ReportModel, when: (iso: string) => string): string[] {
  const step = `${escapeInline(p.runbookTitle)} › ${escapeInline(p.stepTitle)}`;
  const times = p.entries.length > 1 ? `, seen in ${p.entries.length} runs` : '';
  const anchors = p.entries
    .map((k) => model.entries.findIndex((e) => e.key === k) + 1)
    .filter((n) => n > 0)
    .map((n) => `[#${n}](#step-${n})`)
    .join(' ');
  const what = p.command ? `${codeSpan(p.command)} ${escapeInline(p.message)}` : escapeInline(p.message);
  const out = [
    `- ${MARK[p.level]} **${p.level}**: ${what} (${step}, ${when(p.firstAt)}${times}; ${anchors})`,
  ];
  for (const c of p.causes) out.push(`  - Cause and fix: ${causeLine(c, p.runbook)}`);
  return out;
}

const statusWord = (c: ReportCommand): string =>
  `${c.status}${c.exitCode !== null && c.exitCode !== 0 ? ` (exit ${c.exitCode})` : ''}`;

/** The timeline's "result" column: the headline finding, or why the command failed. */
function headlineOf(e: ReportEntry): string {
  for (const level of ['critical', 'warning'] as const)
    for (const c of e.commands) {
      const f = c.findings.find((x) => x.level === level);
      if (f) return f.message;
    }
  const failed = e.commands.find((c) => !['ok', 'cancelled', 'refused'].includes(c.status));
  if (failed) return failed.message ?? statusWord(failed);
  const stopped = e.commands.find((c) => c.status !== 'ok');
  if (stopped) return stopped.message ?? stopped.status;
  const ok = e.commands.flatMap((c) => c.findings)[0];
  return ok?.message ?? e.commands.flatMap((c) => c.figures)[0] ?? '–';
}

function commandLines(c: ReportCommand, runbook: string): string[] {
  const out: string[] = [];
  out.push(...codeBlock(c.command, 'sh'), '');
  const facts = [
    `**Status:** ${MARK[c.outcome]} ${c.outcome}${c.outcome === c.status ? '' : ` (command ${c.status})`}${c.exitCode !== null && c.exitCode !== 0 ? ` (exit ${c.exitCode})` : ''} in ${formatMs(c.durationMs)}${c.message ? `: ${escapeInline(c.message)}` : ''}`,
  ];
  if (c.recognizer) facts.push(`**Recognized:** ${escapeInline(c.recognizer)}`);
  out.push(...facts.map((f) => `- ${f}`));
  if (c.findings.length) {
    out.push('- **Findings:**');
    for (const f of c.findings) {
      out.push(`  - ${MARK[f.level]} ${escapeInline(f.message)}`);
      for (const cause of f.causes) out.push(`    - Cause and fix: ${causeLine(cause, runbook)}`);
    }
  }
  if (c.figures.length) out.push(`- **Key figures:** ${c.figures.map(escapeInline).join('; ')}`);
  if (c.excerpt) {
    out.push('- **Error output:**', '');
    out.push(...codeBlock(c.excerpt, 'text').map((l) => (l ? `  ${l}` : l)), '');
  }
  for (const cap of c.captures)
    out.push(
      `- **Captured ${cap.kind}:** ${fileLink(basename(cap.path), cap.path)} ${codeSpan(cap.path)}${cap.bytes !== undefined ? `, ${formatBytes(cap.bytes)}` : ''}`,
    );
  if (c.output) out.push(`- **Full output:** ${fileLink(basename(c.output), c.output)}`);
  const vars = Object.entries(c.variables);
  if (vars.length) out.push(`- **Values:** ${vars.map(([k, v]) => codeSpan(`${k}=${v}`)).join(', ')}`);
  return out;
}

export function renderReportMarkdown(model: ReportModel, options: RenderOptions = {}): string {
  const zone = options.timeZone ?? 'utc';
  const gen = formatTime(model.generatedAt, zone);
  const first = model.from ? formatTime(model.from, zone) : undefined;
  const last = model.to ? formatTime(model.to, zone) : undefined;
  const oneDay = !!first && !!last && first.date === last.date;
  /** Times within one day print as HH:MM:SS; across days with the date. */
  const when = (iso: string): string => {
    const t = formatTime(iso, zone);
    return oneDay ? t.time : `${t.date} ${t.time}`;
  };
  const out: string[] = [`# ${escapeInline(model.title)}`, ''];
  const c = model.counts;
  out.push(
    `Generated ${gen.date} ${gen.time} ${gen.zone}.` +
      (first && last
        ? ` ${c.steps} step run${c.steps === 1 ? '' : 's'} (${c.commands} command${c.commands === 1 ? '' : 's'}) from ${c.runbooks} runbook${c.runbooks === 1 ? '' : 's'}, ${first.date} ${first.time} to ${oneDay ? last.time : `${last.date} ${last.time}`} ${first.zone}.`
        : ' No runs were selected.'),
    '',
    '## Summary',
    '',
  );
  const parts: string[] = [];
  if (c.critical) parts.push(`${c.critical} critical finding${c.critical === 1 ? '' : 's'}`);
  if (c.warning) parts.push(`${c.warning} warning${c.warning === 1 ? '' : 's'}`);
  if (c.failed) parts.push(`${c.failed} failed command${c.failed === 1 ? '' : 's'}`);
  out.push(
    `**Overall: ${MARK[model.status]} ${model.status}**${parts.length ? ` (${parts.join(', ')})` : ''}`,
    '',
  );
  if (model.problems.length) {
    for (const p of model.problems) out.push(...problemLines(p, model, when));
    out.push('');
  } else if (model.entries.length) {
    out.push('No check crossed a limit and every command ran to the end.', '');
  }

  if (model.entries.length) {
    out.push('## Timeline', '');
    out.push(`| # | Time (${first?.zone ?? gen.zone}) | Step | Status | Duration | Result |`);
    out.push('|---|---|---|---|---|---|');
    model.entries.forEach((e, i) => {
      const ms = Date.parse(e.endedAt) - Date.parse(e.startedAt);
      out.push(
        `| [${i + 1}](#step-${i + 1}) | ${when(e.startedAt)} | ${cell(`${e.runbookTitle} › ${e.stepTitle}`)} | ${MARK[e.status]} ${e.status} | ${formatMs(ms)} | ${cell(headlineOf(e))} |`,
      );
    });
    out.push('', '## Steps', '');
    model.entries.forEach((e, i) => {
      out.push(`<a id="step-${i + 1}"></a>`, '');
      out.push(`### ${i + 1}. ${escapeInline(e.stepTitle)} (${MARK[e.status]} ${e.status})`, '');
      out.push(
        `${when(e.startedAt)} · ${fileLink(e.runbookTitle, e.runbook)} · step ${codeSpan(e.stepId)} · run ${codeSpan(e.runId)}`,
        '',
      );
      if (e.note) {
        out.push(...e.note.split(/\r?\n/).map((l, j) => `> ${j === 0 ? '**Note:** ' : ''}${l}`), '');
      }
      const many = e.commands.length > 1;
      e.commands.forEach((cmd, j) => {
        if (many) out.push(`#### Command ${j + 1} of ${e.commands.length} (${when(cmd.startedAt)})`, '');
        out.push(...commandLines(cmd, e.runbook), '');
      });
    });
  }
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}
