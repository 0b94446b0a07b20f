// The incident report as GitHub Markdown: title and span, a summary of what was found (worst
// status, each warning/critical finding with the runbook's causes and fixes, commands that
// failed), a timeline table, then one section per step run with the resolved command, findings,
// key figures, captured files, output link and the person's note.
import { basename, isAbsolute, relative } from 'node:path';
import type { StepStatus } from '../check/status';
import type { ReportCommand, ReportEntry, ReportModel, ReportProblem } from './model';
import type { ReportCause } from './stored-findings';

export interface RenderOptions {
  /** Times in UTC (default: the same report on every machine) or the machine's local time. */
  readonly timeZone?: 'utc' | 'local';
  /** The folder the report is saved in: links to runbooks, profiles and outputs are relative to it. */
  readonly linkBase?: string;
}

const MARK: Record<StepStatus, string> = {
  'not-run': '–',
  ok: '✓',
  refused: '⊘',
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

type Link = (label: string, path: string, line?: number) => string;

/**
 * Links to local files, relative to the folder the report will be read from (`linkBase`): VS Code's
 * Markdown preview and GitHub both follow relative links (and `#L13` to a line), while neither
 * opens `file:` URLs. Without a base, or for a path on another drive, the label is plain text.
 */
function linker(base: string | undefined): Link {
  return (label, path, line) => {
    if (!base || !isAbsolute(path)) return escapeInline(label);
    const rel = relative(base, path);
    if (!rel || isAbsolute(rel)) return escapeInline(label);
    const target = rel
      .split(/[\\/]/)
      .map((seg) =>
        encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
      )
      .join('/');
    return `[${escapeInline(label)}](${target}${line ? `#L${line}` : ''})`;
  };
}

function causeLine(c: ReportCause, runbook: string, link: Link): string {
  const where = c.line ? link(`${basename(runbook)}:${c.line}`, runbook, c.line) : '';
  const section = c.section ? `*${escapeInline(c.section)}*` : '';
  const at = [section, where].filter(Boolean).join(', ');
  return `${escapeInline(c.text)}${at ? ` (${at})` : ''}`;
}

function problemLines(
  p: ReportProblem,
  model: ReportModel,
  when: (iso: string) => string,
  link: Link,
): string[] {
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
  for (const c of p.causes) out.push(`  - Cause and fix: ${causeLine(c, p.runbook, link)}`);
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

/**
 * One command's record. No lists here: a bullet under a heading such as "Rollback checklist" would
 * read as a manual step to the runbook parser; facts are lines (hard breaks), findings a table.
 */
function commandLines(c: ReportCommand, runbook: string, link: Link): string[] {
  const out: string[] = [];
  // The report is Markdown with shell blocks: `skip` keeps Runbook Debugger from offering to run
  // them again when the report is opened (it is a record, not a runbook); GitHub hides the comment.
  out.push('<!-- runbook: skip -->', '', ...codeBlock(c.command, 'sh'), '');
  const facts = [
    `**Status:** ${MARK[c.outcome]} ${c.outcome}${c.outcome === c.status ? '' : ` (command ${c.status})`}${c.exitCode !== null && c.exitCode !== 0 ? ` (exit ${c.exitCode})` : ''} in ${formatMs(c.durationMs)}${c.message ? `: ${escapeInline(c.message)}` : ''}`,
  ];
  if (c.recognizer) facts.push(`**Recognized:** ${escapeInline(c.recognizer)}`);
  if (c.figures.length) facts.push(`**Key figures:** ${c.figures.map(escapeInline).join('; ')}`);
  for (const cap of c.captures)
    facts.push(
      `**Captured ${cap.kind}:** ${link(basename(cap.path), cap.path)} ${codeSpan(cap.path)}${cap.bytes !== undefined ? `, ${formatBytes(cap.bytes)}` : ''}`,
    );
  if (c.output) facts.push(`**Full output:** ${link(basename(c.output), c.output)} ${codeSpan(c.output)}`);
  const vars = Object.entries(c.variables);
  if (vars.length) facts.push(`**Values:** ${vars.map(([k, v]) => codeSpan(`${k}=${v}`)).join(', ')}`);
  out.push(facts.join('\\\n'), '');
  if (c.findings.length) {
    const withCauses = c.findings.some((f) => f.causes.length);
    out.push(withCauses ? '| Finding | Cause and fix |\n|---|---|' : '| Finding |\n|---|');
    for (const f of c.findings) {
      const causes = f.causes.map((x) => causeLine(x, runbook, link)).join('<br>');
      out.push(`| ${MARK[f.level]} ${cell(f.message)} |${withCauses ? ` ${causes || '–'} |` : ''}`);
    }
    out.push('');
  }
  if (c.excerpt) out.push('**Error output:**', '', ...codeBlock(c.excerpt, 'text'), '');
  return out;
}

export function renderReportMarkdown(model: ReportModel, options: RenderOptions = {}): string {
  const zone = options.timeZone ?? 'utc';
  const link = linker(options.linkBase);
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
    for (const p of model.problems) out.push(...problemLines(p, model, when, link));
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
    out.push('', '## Details', '');
    model.entries.forEach((e, i) => {
      out.push(`<a id="step-${i + 1}"></a>`, '');
      out.push(`### ${i + 1}. ${escapeInline(e.stepTitle)} (${MARK[e.status]} ${e.status})`, '');
      out.push(
        `${when(e.startedAt)} · ${link(e.runbookTitle, e.runbook)} · step ${codeSpan(e.stepId)} · run ${codeSpan(e.runId)}`,
        '',
      );
      if (e.note) {
        out.push(...e.note.split(/\r?\n/).map((l, j) => `> ${j === 0 ? '**Note:** ' : ''}${l}`), '');
      }
      const many = e.commands.length > 1;
      e.commands.forEach((cmd, j) => {
        if (many) out.push(`#### Command ${j + 1} of ${e.commands.length} (${when(cmd.startedAt)})`, '');
        out.push(...commandLines(cmd, e.runbook, link), '');
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
