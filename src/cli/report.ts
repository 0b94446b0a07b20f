// `runbook report [--since TIME] [--run RUNID]... [--out FILE] [--json] [--title TEXT]
//                 [--note STEP=TEXT]... [--utc] [--history-dir DIR]`
// An incident report (Markdown, or the report model as JSON) over the history `runbook run` writes.
// Without --since or --run: the runs of the last 24 hours. Exit codes: 0 report written (also when
// nothing matched: the report says so); 2 usage error, unreadable history option, unwritable --out.
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildReportModel } from '../core/report/model';
import { renderReportMarkdown } from '../core/report/markdown';
import { gatherReportInputs } from '../core/report/gather';
import { selectRecords, summarizeRuns } from '../core/report/select';
import { parseSince } from '../core/report/since';
import { stepKey } from '../core/report/model';
import { HistoryStore } from '../core/run/history';
import { Masker } from '../core/run/mask';
import { UsageError, walkArgs } from './args';
import type { CliIO } from './cli';
import { defaultHistoryDir } from './run';

export interface ReportCliIO extends CliIO {
  env?: Readonly<Record<string, string | undefined>>;
  /** For tests: the time `--since 2h` counts back from. */
  now?: () => Date;
}

const USAGE = `Usage: runbook report [--since TIME] [--run RUNID]... [--out FILE] [--json]
                      [--title TEXT] [--note STEP=TEXT]... [--utc] [--history-dir DIR]

  --since TIME      runs started at or after TIME: an ISO date/time (2024-05-01, 2024-05-01T14:00Z)
                    or a span back from now (30m, 2h, 1d, 1w); default 24h when no --run is given
  --run RUNID       a run from history (a unique prefix is enough); repeat for several
  --out FILE        write the report to FILE instead of standard output
  --json            the report as JSON (entries, findings, problems) instead of Markdown
  --title TEXT      the report's title
  --note STEP=TEXT  a note on a step: STEP is a step id (every run of it) or RUNID/STEPID
  --utc             times in UTC (default: this machine's time zone)
  --history-dir DIR the history folder (default: the one \`runbook run\` writes)
`;

interface Args {
  since?: string;
  runs: string[];
  out?: string;
  json: boolean;
  title?: string;
  notes: [string, string][];
  utc: boolean;
  historyDir?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { runs: [], json: false, notes: [], utc: false };
  walkArgs(argv, (flag, take, arg) => {
    switch (flag) {
      case '--since':
        a.since = take();
        break;
      case '--run':
        a.runs.push(take());
        break;
      case '--out':
      case '-o':
        a.out = take();
        break;
      case '--json':
        a.json = true;
        break;
      case '--title':
        a.title = take();
        break;
      case '--note': {
        const kv = take();
        const k = kv.indexOf('=');
        if (k <= 0) throw new UsageError(`--note expects STEP=TEXT, got "${kv}"`);
        a.notes.push([kv.slice(0, k), kv.slice(k + 1)]);
        break;
      }
      case '--utc':
        a.utc = true;
        break;
      case '--history-dir':
        a.historyDir = take();
        break;
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument "${arg}"`);
    }
  });
  return a;
}

export async function reportCommand(argv: readonly string[], io: ReportCliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`runbook report: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  const env = io.env ?? process.env;
  const now = io.now?.() ?? new Date();
  let since: Date | undefined;
  if (args.since !== undefined || !args.runs.length) {
    const parsed = parseSince(args.since ?? '24h', now);
    if (!parsed.ok) {
      io.stderr(`runbook report: --since: ${parsed.error}\n`);
      return 2;
    }
    since = parsed.date;
  }

  const store = new HistoryStore(args.historyDir ?? defaultHistoryDir(env));
  const all = await store.list();
  const { records, unknownRuns } = selectRecords(all, { ...(since ? { since } : {}), runIds: args.runs });
  if (unknownRuns.length) {
    const recent = summarizeRuns(all)
      .slice(0, 10)
      .map((r) => `  ${r.runId}  ${r.startedAt}  ${r.runbookTitle}: ${r.steps.slice(0, 2).join(', ')}`);
    io.stderr(
      `runbook report: no run ${unknownRuns.map((r) => `"${r}"`).join(', ')} in ${store.dir} (an id or a unique prefix)` +
        (recent.length ? `. Recent runs:\n${recent.join('\n')}\n` : '; the history is empty.\n'),
    );
    return 2;
  }

  const notes: Record<string, string> = {};
  for (const [step, text] of args.notes) {
    const keys = [...new Set(records.map(stepKey))].filter((k) => k === step || k.endsWith(`/${step}`));
    if (!keys.length) {
      io.stderr(`runbook report: --note: no step "${step}" among the selected runs\n`);
      return 2;
    }
    for (const k of keys) notes[k] = notes[k] ? `${notes[k]}\n${text}` : text;
  }

  const gathered = await gatherReportInputs(store.dir, records);
  const model = buildReportModel(records, {
    ...gathered,
    notes,
    historyDir: store.dir,
    now,
    masker: Masker.fromEnv(env),
    ...(args.title !== undefined ? { title: args.title } : {}),
  });
  const text = args.json
    ? JSON.stringify(model, null, 2) + '\n'
    : renderReportMarkdown(model, {
        timeZone: args.utc ? 'utc' : 'local',
        // Links are relative to where the report is read from: beside --out, else here.
        linkBase: args.out !== undefined ? dirname(resolve(args.out)) : process.cwd(),
      });

  if (!records.length)
    io.stderr(
      `runbook report: no runs ${since ? `since ${since.toISOString()}` : 'selected'} in ${store.dir}; try --since 7d or --run RUNID\n`,
    );
  if (args.out === undefined) {
    io.stdout(text);
    return 0;
  }
  try {
    await writeFile(args.out, text, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    io.stderr(
      `runbook report: cannot write ${args.out}: ${code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'is a directory' : String(code ?? err)}\n`,
    );
    return 2;
  }
  io.stderr(`runbook report: wrote ${args.out} (${model.counts.steps} step runs, overall ${model.status})\n`);
  return 0;
}
