// `runbook run FILE [--step ID | --section TITLE | --all] [--set NAME=VALUE]... [--yes] [--keep-going]
//                   [--timeout SECONDS] [--json] [--connection URL] [--history-dir DIR | --no-history]
//                   [--shell PATH]`
// Exit codes: 0 every command succeeded; 1 one failed (or timed out, or was cancelled); 2 usage
// error, unreadable file, unknown step, or a placeholder without a value (nothing runs); 3 a write
// command was refused (no --yes and no TTY to ask, or the answer was no).
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { allSteps, type Runbook, type Section, type Step } from '../core/runbook/model';
import { parseRunbook } from '../core/runbook/parse';
import { HistoryStore } from '../core/run/history';
import { normalizeName, validateValue } from '../core/run/placeholder-values';
import {
  Runner,
  type CommandResult,
  type ConfirmRequest,
  type PlaceholderRequest,
  type RunTarget,
  type StepResult,
} from '../core/run/runner';
import { isShellLanguage } from '../core/run/environment';
import { placeholdersNeedingValues } from '../core/run/shell-placeholders';
import type { CliIO } from './cli';
import { assessRunCommand, stepLevel } from '../core/check/run-findings';
import { findingLines, findingsJson } from './findings';

export interface RunCliIO extends CliIO {
  /** For prompts; default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Whether a person can answer prompts; default process.stdin.isTTY. */
  interactive?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  /** Called with a cancel function to wire Ctrl+C; returns the unhook. Default: process SIGINT. */
  onInterrupt?: (cancel: () => void) => () => void;
}

interface Args {
  file?: string;
  step?: string;
  section?: string;
  all: boolean;
  sets: Map<string, string>;
  yes: boolean;
  keepGoing: boolean;
  timeout?: number;
  json: boolean;
  connection?: string;
  historyDir?: string;
  noHistory: boolean;
  shell?: string;
}

const USAGE = `Usage: runbook run FILE (--step ID | --section TITLE | --all) [--set NAME=VALUE]...
                   [--yes] [--keep-going] [--timeout SECONDS] [--json]
                   [--connection URL] [--history-dir DIR | --no-history] [--shell PATH]
`;

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = {
    all: false,
    sets: new Map(),
    yes: false,
    keepGoing: false,
    json: false,
    noHistory: false,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const take = (): string => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case '--step':
        a.step = take();
        break;
      case '--section':
        a.section = take();
        break;
      case '--all':
        a.all = true;
        break;
      case '--set': {
        const kv = take();
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new UsageError(`--set expects NAME=VALUE, got "${kv}"`);
        a.sets.set(normalizeName(kv.slice(0, eq)), kv.slice(eq + 1));
        break;
      }
      case '--yes':
      case '-y':
        a.yes = true;
        break;
      case '--keep-going':
        a.keepGoing = true;
        break;
      case '--timeout': {
        const t = Number(take());
        if (!Number.isFinite(t) || t < 0)
          throw new UsageError('--timeout expects a number of seconds (0: none)');
        a.timeout = t;
        break;
      }
      case '--json':
        a.json = true;
        break;
      case '--connection':
        a.connection = take();
        break;
      case '--history-dir':
        a.historyDir = take();
        break;
      case '--no-history':
        a.noHistory = true;
        break;
      case '--shell':
        a.shell = take();
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        if (a.file) throw new UsageError(`one FILE only (got "${a.file}" and "${arg}")`);
        a.file = arg;
    }
  }
  if (!a.file) throw new UsageError('which runbook? give a FILE');
  const chosen = [a.step !== undefined, a.section !== undefined, a.all].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('choose what to run: --step ID, --section TITLE or --all');
  return a;
}

function findSection(sections: readonly Section[], title: string): Section | undefined {
  for (const s of sections) {
    if (s.title === title || s.title.toLowerCase() === title.toLowerCase()) return s;
    const inner = findSection(s.sections, title);
    if (inner) return inner;
  }
  return undefined;
}

function sectionTitles(sections: readonly Section[], out: string[] = []): string[] {
  for (const s of sections) {
    out.push(s.title);
    sectionTitles(s.sections, out);
  }
  return out;
}

/** Placeholders of the selected steps that nothing will fill: not --set, not in the env, not set by an earlier step. */
function unfilled(
  steps: readonly Step[],
  sets: ReadonlyMap<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const produced = new Set<string>();
  const missing: string[] = [];
  for (const step of steps) {
    for (const c of step.commands) {
      const needed =
        step.kind === 'query' ||
        (!isShellLanguage(step.annotations.language ?? step.language) && step.kind === 'script')
          ? c.placeholders
          : placeholdersNeedingValues(c.text, c.placeholders);
      for (const p of needed) {
        const key = normalizeName(p.name);
        if (sets.has(key) || produced.has(key) || (p.syntax === 'env' && env[p.name] !== undefined)) continue;
        if (!missing.includes(p.name)) missing.push(p.name);
      }
      for (const m of c.text.matchAll(/::set ([A-Za-z_][A-Za-z0-9_-]*)=/g))
        produced.add(normalizeName(m[1]!));
    }
    const set = step.annotations.extra?.set;
    if (set)
      for (const m of set.matchAll(/(?:^|,)\s*([A-Za-z_][A-Za-z0-9_-]*)/g))
        produced.add(normalizeName(m[1]!));
  }
  return missing;
}

export function defaultHistoryDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.RUNBOOK_HISTORY_DIR) return env.RUNBOOK_HISTORY_DIR;
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'runbook-debugger', 'history');
}

const indent = (text: string): string => text.replace(/\n/g, '\n    ');

const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;

function commandJson(c: CommandResult): Record<string, unknown> {
  return {
    text: c.text,
    status: c.status,
    exitCode: c.exitCode,
    durationMs: Math.round(c.durationMs),
    output: c.output,
    ...(c.message ? { message: c.message } : {}),
    ...(c.missingTool ? { missingTool: c.missingTool } : {}),
    ...(c.outputFile ? { outputFile: c.outputFile } : {}),
    ...(c.sql ? { sql: { results: c.sql.results, rolledBack: c.sql.rolledBack } } : {}),
    recognizer: c.assessment?.recognizer ?? null,
    level: c.assessment?.level ?? null,
    findings: c.assessment ? findingsJson(c.assessment) : [],
    data: c.assessment?.data ?? null,
  };
}

function stepJson(r: StepResult): Record<string, unknown> {
  return {
    step: r.stepId,
    title: r.title,
    status: r.status,
    level: stepLevel(r.commands.map((c) => c.assessment)) ?? null,
    ...(r.message ? { message: r.message } : {}),
    ...(r.missing ? { missing: r.missing } : {}),
    commands: r.commands.map(commandJson),
  };
}

export async function runCommand(argv: readonly string[], io: RunCliIO): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`runbook run: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  const env = io.env ?? process.env;
  const file = resolve(args.file!);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    io.stderr(
      `runbook run: cannot read ${args.file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? err)}\n`,
    );
    return 2;
  }
  const runbook: Runbook = parseRunbook(text, { fileName: basename(file) });
  const every = allSteps(runbook);
  const ref = { path: file, runbook };
  let target: RunTarget;
  let selected: Step[];
  if (args.step !== undefined) {
    const step = every.find((s) => s.id === args.step);
    if (!step) {
      io.stderr(
        `runbook run: no step "${args.step}" in ${args.file}. ${every.length ? `Steps: ${every.map((s) => s.id).join(', ')}` : 'It has no runnable steps.'}\n`,
      );
      return 2;
    }
    target = { kind: 'step', runbook: ref, step };
    selected = [step];
  } else if (args.section !== undefined) {
    const section = findSection(runbook.sections, args.section);
    if (!section) {
      const titles = sectionTitles(runbook.sections);
      io.stderr(
        `runbook run: no section "${args.section}" in ${args.file}.${titles.length ? ` Sections: ${titles.join(' | ')}` : ''}\n`,
      );
      return 2;
    }
    target = { kind: 'section', runbook: ref, section };
    selected = every.filter((s) => s.line >= section.line && s.line <= section.endLine);
  } else {
    target = { kind: 'runbook', runbook: ref };
    selected = every;
  }
  if (!selected.some((s) => s.kind !== 'manual')) {
    io.stderr(`runbook run: nothing to run: the selected steps have no commands\n`);
    return 2;
  }

  const interactive = io.interactive ?? Boolean((process.stdin as { isTTY?: boolean }).isTTY);
  if (!interactive) {
    const missing = unfilled(selected, args.sets, env);
    if (missing.length) {
      io.stderr(
        `runbook run: no value for ${missing.map((m) => `<${m}>`).join(', ')}; give ${missing.map((m) => `--set ${m}=VALUE`).join(' ')}. Nothing was run.\n`,
      );
      return 2;
    }
  }

  // Lines are queued as they arrive, so answers typed (or piped) ahead of a prompt are not lost;
  // end of input answers every later prompt with "" (no / no value).
  let rl: ReturnType<typeof createInterface> | undefined;
  const lines: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let inputEnded = false;
  const ask = async (question: string): Promise<string> => {
    if (!rl) {
      rl = createInterface({ input: io.stdin ?? process.stdin, terminal: false });
      rl.on('line', (l) => (waiting.length ? waiting.shift()!(l) : lines.push(l)));
      rl.on('close', () => {
        inputEnded = true;
        while (waiting.length) waiting.shift()!(null);
      });
    }
    io.stderr(question);
    if (lines.length) return lines.shift()!;
    if (inputEnded) return '';
    return (await new Promise<string | null>((r) => waiting.push(r))) ?? '';
  };
  const confirm = async (req: ConfirmRequest): Promise<boolean> => {
    if (args.yes) return true;
    if (!interactive) {
      io.stderr(
        `runbook run: not running a command that changes things without --yes:\n    ${indent(req.command)}\n  (${req.reason})\n`,
      );
      return false;
    }
    const answer = await ask(
      `This command changes things (${req.reason}):\n    ${indent(req.command)}\nRun it? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim());
  };
  const resolveValue = async (req: PlaceholderRequest): Promise<string | undefined> => {
    const given = args.sets.get(normalizeName(req.name));
    if (given !== undefined) return given;
    if (!interactive) return undefined;
    for (let tries = 0; tries < 3; tries++) {
      const v = await ask(`Value for <${req.name}> (${req.type}) in: ${req.command.text.split('\n')[0]}\n> `);
      const problem = validateValue(req.name, v);
      if (!problem) return v;
      io.stderr(`  ${problem}\n`);
    }
    return undefined;
  };

  const runner = new Runner({
    isTrusted: () => true, // the person at the terminal chose this file and these steps
    confirm,
    resolve: resolveValue,
    databasePassword: () => env.PGPASSWORD,
    ...(args.connection ? { connectionString: args.connection } : {}),
    ...(args.noHistory ? {} : { history: new HistoryStore(args.historyDir ?? defaultHistoryDir(env)) }),
    ...(args.shell ? { shell: args.shell } : {}),
    env,
    ...(args.timeout !== undefined ? { timeoutSeconds: args.timeout } : {}),
    assess: assessRunCommand,
  });

  const handle = runner.start(target, { keepGoing: args.keepGoing });
  let interrupted = false;
  const unhook = (io.onInterrupt ?? defaultInterrupt)(() => {
    interrupted = true;
    handle.cancel();
  });
  if (!args.json) {
    handle.onEvent((e) => {
      if (e.type === 'step-start') {
        const s = selected.find((x) => x.id === e.stepId);
        io.stdout(`\n▶ ${e.stepId}${s && s.title !== e.stepId ? `: ${s.title}` : ''}\n`);
      } else if (e.type === 'command-start') io.stdout(`$ ${e.text}\n`);
      else if (e.type === 'output') (e.chunk.stream === 'stderr' ? io.stderr : io.stdout)(e.chunk.text);
      else if (e.type === 'command-end') {
        const c = e.result;
        const mark = c.status === 'ok' ? '✓' : '✗';
        io.stdout(`${mark} ${c.status} (${secs(c.durationMs)})${c.message ? `: ${c.message}` : ''}\n`);
        if (c.assessment)
          for (const line of findingLines(c.assessment, basename(file))) io.stdout(`  ${line}\n`);
      } else if (e.type === 'step-end' && e.result.commands.length === 0 && e.result.message)
        io.stdout(`${e.result.status}: ${e.result.message}\n`);
      else if (e.type === 'variable') io.stdout(`  set ${e.name}=${e.value}\n`);
    });
  }
  const result = await handle.done.finally(() => {
    unhook();
    rl?.close();
  });

  if (args.json) {
    const steps = result.steps.map(stepJson);
    io.stdout(JSON.stringify(args.step !== undefined ? steps[0] : steps, null, 2) + '\n');
  } else {
    const counts = new Map<string, number>();
    for (const s of result.steps) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    const levels = new Map<string, number>();
    for (const s of result.steps) {
      const level = stepLevel(s.commands.map((c) => c.assessment));
      if (level && level !== 'ok') levels.set(level, (levels.get(level) ?? 0) + 1);
    }
    const checks = [...levels].map(([k, n]) => `${n} ${k}`).join(', ');
    io.stdout(
      `\n${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}${checks ? `; checks: ${checks}` : ''}\n`,
    );
  }
  const statuses = result.steps.map((s) => s.status);
  if (result.steps.some((s) => s.missing?.length)) return 2;
  if (
    statuses.includes('refused') &&
    !statuses.some((s) => ['failed', 'timeout', 'output-limit', 'error'].includes(s))
  )
    return 3;
  if (interrupted) return 130;
  return statuses.every((s) => s === 'ok' || s === 'skipped') ? 0 : 1;
}

function defaultInterrupt(cancel: () => void): () => void {
  const onSig = (): void => cancel();
  process.on('SIGINT', onSig);
  process.on('SIGTERM', onSig);
  return () => {
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
  };
}
