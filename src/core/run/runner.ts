// The runner: runs a command, a step, a section or a whole runbook, with everything that makes it
// safe — trust, confirmation of writes, placeholder values as data, masking — and keeps each run's
// status, output and history. Several runs can go at once; each RunHandle has its own status.
// Everything outside (prompts, confirmation dialogs, trust, secrets) comes in as callbacks, so the
// VS Code layer and the CLI drive the same code.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import type { Assessment } from '../check/assess';
import type { Command, Placeholder, Runbook, Section, Step } from '../runbook/model';
import { allSteps } from '../runbook/model';
import { childEnv, chooseShell, interpreterFor, isShellLanguage } from './environment';
import { newId, type HistoryRecord, type HistoryStore } from './history';
import { MASK, Masker, isSecretName } from './mask';
import { executeProcess, type CommandStatus, type OutputChunk, type ProcessResult } from './process';
import { normalizeName, placeholderType, validateValue, type PlaceholderType } from './placeholder-values';
import {
  PlaceholderError,
  carrierName,
  displayCommand,
  placeholdersNeedingValues,
  rewriteShellCommand,
} from './shell-placeholders';
import type { ProcessRegistry } from './orphans';
import { execaSpawner, type Spawner } from './spawner';
import { executeSql, type SqlResultSet } from './sql';
import { classifySql, rewriteSqlPlaceholders } from './sql-text';
import { Variables, parseSetAnnotation, type CaptureSpec } from './variables';

export interface RunbookRef {
  /** The runbook file (its folder is the default working directory). */
  path: string;
  runbook: Runbook;
}

export interface PlaceholderRequest {
  name: string;
  placeholder: Placeholder;
  type: PlaceholderType;
  runbook: RunbookRef;
  step: Step;
  command: Command;
  /** Returns why a value is not acceptable, or null: use it to validate an input box. */
  validate(value: string): string | null;
}

export interface ConfirmRequest {
  runbook: RunbookRef;
  step: Step;
  /** The exact command as it will run, values in place, secrets masked. */
  command: string;
  /** Why it needs confirmation (the effect rule, or the author's `confirm`). */
  reason: string;
}

export interface RunnerOptions {
  /** Asked before anything is spawned or connected, every time. */
  isTrusted: () => boolean;
  /** Writes (and steps annotated `confirm`) run only when this returns true. */
  confirm: (req: ConfirmRequest) => Promise<boolean> | boolean;
  /** A value for a placeholder (undefined: none given; the step does not run). */
  resolve: (req: PlaceholderRequest) => Promise<string | undefined> | string | undefined;
  /** The database password (e.g. from SecretStorage); only asked for query steps. */
  databasePassword?: () => Promise<string | undefined> | string | undefined;
  connectionString?: string;
  history?: HistoryStore;
  spawner?: Spawner;
  /** Shell for command steps; empty: bash where present, sh otherwise. */
  shell?: string;
  /** Base environment for children; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Default per-step timeout (a step's `timeout=` annotation wins); 0: none. Default 300. */
  timeoutSeconds?: number;
  /** Output after which a command is stopped. Default 256 MB. */
  maxOutputBytes?: number;
  /** Default 2000 ms between SIGINT, SIGTERM and SIGKILL. */
  graceMs?: number;
  /** Characters of output kept in memory per command. Default 1 MB. */
  displayLimit?: number;
  /** False: stdout comes through a pipe even with history (see ProcessOptions.stdoutToFile). */
  stdoutToFile?: boolean;
  maxRows?: number;
  sqlConnectTimeoutMs?: number;
  /** Variables shared by runs (the extension's Variables view); default a fresh store. */
  variables?: Variables;
  /** Records live process groups so a later session can stop what a crash left behind. */
  registry?: ProcessRegistry;
  /**
   * Judges a finished command's output (recognizers and checks: check/run-findings.ts) before its
   * history record is written; the result goes on `CommandResult.assessment` and, without the
   * recognized data, into the record's `findings`. Null: nothing to judge. A throwing hook is ignored.
   */
  assess?: (result: CommandResult, step: Step, runbook: RunbookRef) => Assessment | null;
}

/** How a step reads when its run was cancelled while it waited for a value or a confirmation. */
export const CANCELLED_ASKING = 'cancelled while waiting for an answer: nothing was run';

export type RunTarget =
  | { kind: 'command'; runbook: RunbookRef; step: Step; commandIndex: number }
  | { kind: 'step'; runbook: RunbookRef; step: Step }
  | { kind: 'steps'; runbook: RunbookRef; steps: readonly Step[] }
  | { kind: 'section'; runbook: RunbookRef; section: Section }
  | { kind: 'runbook'; runbook: RunbookRef };

export interface RunOptions {
  /** Run the remaining steps after one fails. */
  keepGoing?: boolean;
  /** Overrides the runner's default timeout for this run (annotations still win). */
  timeoutSeconds?: number;
}

export type StepStatus = 'queued' | 'running' | 'skipped' | CommandStatus;

export interface CommandResult {
  index: number;
  kind: 'command' | 'script' | 'query';
  /** The command as a person reads it, values in place, secrets masked. */
  text: string;
  status: CommandStatus;
  exitCode: number | null;
  signal?: string | null;
  startedAt: string;
  durationMs: number;
  /** Masked output (the last displayLimit characters); for queries a text rendering. */
  output: string;
  outputFile?: string;
  message?: string;
  missingTool?: string;
  /** Query steps: result sets, and whether it ran inside BEGIN ... ROLLBACK. */
  sql?: { results: SqlResultSet[]; rolledBack: boolean; target?: string; error?: unknown };
  historyId?: string;
  /** What the `assess` hook made of the output: recognized data, findings, level. */
  assessment?: Assessment;
}

export interface StepResult {
  stepId: string;
  title: string;
  status: StepStatus;
  commands: CommandResult[];
  message?: string;
  /** Names of placeholders that got no value (the step did not run). */
  missing?: string[];
}

export interface RunResult {
  runId: string;
  status: CommandStatus;
  steps: StepResult[];
}

export type RunEvent =
  | { type: 'step-start'; runId: string; stepId: string }
  | { type: 'command-start'; runId: string; stepId: string; index: number; text: string }
  | { type: 'output'; runId: string; stepId: string; index: number; chunk: OutputChunk }
  | { type: 'command-end'; runId: string; stepId: string; result: CommandResult }
  | { type: 'step-end'; runId: string; result: StepResult }
  | { type: 'variable'; runId: string; name: string; value: string }
  | { type: 'run-end'; runId: string; result: RunResult };

export interface RunHandle {
  readonly id: string;
  readonly target: RunTarget;
  /** Live status of each step of the run. */
  readonly steps: ReadonlyMap<string, StepStatus>;
  readonly status: 'running' | CommandStatus;
  cancel(): void;
  onEvent(listener: (e: RunEvent) => void): () => void;
  readonly done: Promise<RunResult>;
}

/** Sends an event to the run's listeners; `listening` says whether there are any right now. */
type Emit = ((e: RunEvent) => void) & { listening: () => boolean };

const SEVERITY: CommandStatus[] = [
  'ok',
  'failed',
  'output-limit',
  'timeout',
  'error',
  'refused',
  'cancelled',
];
const worst = (a: CommandStatus, b: CommandStatus): CommandStatus =>
  SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a;

function stepsOf(target: RunTarget): Step[] {
  switch (target.kind) {
    case 'command':
    case 'step':
      return [target.step];
    case 'steps':
      return [...target.steps];
    case 'section': {
      const out: Step[] = [];
      const visit = (s: Section): void => {
        out.push(...s.steps);
        s.sections.forEach(visit);
      };
      visit(target.section);
      return out.sort((a, b) => a.line - b.line);
    }
    case 'runbook':
      return allSteps(target.runbook.runbook);
  }
}

type CommandKind = 'command' | 'script' | 'query';

function commandKind(step: Step): CommandKind {
  if (step.kind === 'query') return 'query';
  if (step.kind === 'script' && !isShellLanguage(step.annotations.language ?? step.language)) return 'script';
  return 'command';
}

export class Runner {
  readonly variables: Variables;
  private readonly active = new Map<string, RunHandle>();

  constructor(private readonly opts: RunnerOptions) {
    this.variables = opts.variables ?? new Variables();
  }

  /** Runs in progress. */
  running(): RunHandle[] {
    return [...this.active.values()];
  }

  cancelAll(): void {
    for (const h of this.active.values()) h.cancel();
  }

  start(target: RunTarget, runOpts: RunOptions = {}): RunHandle {
    const id = newId();
    const steps = stepsOf(target);
    const statuses = new Map<string, StepStatus>(steps.map((s) => [s.id, 'queued']));
    const listeners = new Set<(e: RunEvent) => void>();
    const abort = new AbortController();
    let status: RunHandle['status'] = 'running';
    const emit: Emit = Object.assign(
      (e: RunEvent): void => {
        for (const l of listeners) {
          try {
            l(e);
          } catch {
            // a listener's failure is not the run's
          }
        }
      },
      { listening: () => listeners.size > 0 },
    );
    const handle: RunHandle = {
      id,
      target,
      steps: statuses,
      get status() {
        return status;
      },
      cancel: () => abort.abort(),
      onEvent: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      done: undefined as unknown as Promise<RunResult>,
    };
    const done = (async (): Promise<RunResult> => {
      // Let callers subscribe before the first event.
      await Promise.resolve();
      const results: StepResult[] = [];
      let failed = false;
      for (const step of steps) {
        if (abort.signal.aborted || (failed && !runOpts.keepGoing)) {
          const st: StepStatus = abort.signal.aborted ? 'cancelled' : 'skipped';
          statuses.set(step.id, st);
          const r: StepResult = { stepId: step.id, title: step.title, status: st, commands: [] };
          results.push(r);
          emit({ type: 'step-end', runId: id, result: r });
          continue;
        }
        statuses.set(step.id, 'running');
        emit({ type: 'step-start', runId: id, stepId: step.id });
        const only = target.kind === 'command' ? target.commandIndex : undefined;
        const r = await this.runStep(id, target.runbook, step, only, abort.signal, runOpts, emit);
        statuses.set(step.id, r.status);
        results.push(r);
        emit({ type: 'step-end', runId: id, result: r });
        if (r.status !== 'ok' && r.status !== 'skipped') failed = true;
      }
      let overall: CommandStatus = 'ok';
      for (const r of results)
        if (r.status !== 'skipped' && r.status !== 'queued' && r.status !== 'running')
          overall = worst(overall, r.status);
      status = overall;
      const result: RunResult = { runId: id, status: overall, steps: results };
      this.active.delete(id);
      emit({ type: 'run-end', runId: id, result });
      return result;
    })();
    (handle as { done: Promise<RunResult> }).done = done;
    this.active.set(id, handle);
    return handle;
  }

  /** Convenience: start and wait. */
  run(target: RunTarget, runOpts: RunOptions = {}): Promise<RunResult> {
    return this.start(target, runOpts).done;
  }

  private async runStep(
    runId: string,
    ref: RunbookRef,
    step: Step,
    onlyIndex: number | undefined,
    signal: AbortSignal,
    runOpts: RunOptions,
    emit: Emit,
  ): Promise<StepResult> {
    const base = { stepId: step.id, title: step.title };
    if (step.kind === 'manual' || !step.commands.length)
      return { ...base, status: 'skipped', commands: [], message: 'a manual step: nothing to run' };
    if (!this.opts.isTrusted())
      return {
        ...base,
        status: 'refused',
        commands: [],
        message: 'This workspace is not trusted, so nothing is run. Trust the workspace to run steps.',
      };
    const commands =
      onlyIndex === undefined
        ? step.commands.map((c, i) => [c, i] as const)
        : [[step.commands[onlyIndex]!, onlyIndex] as const];
    if (onlyIndex !== undefined && !step.commands[onlyIndex])
      return {
        ...base,
        status: 'error',
        commands: [],
        message: `step ${step.id} has no command #${onlyIndex + 1}`,
      };
    const kind = commandKind(step);
    const env = this.opts.env ?? process.env;
    const masker = Masker.fromEnv(env, this.variables.secretValues());

    let captures: CaptureSpec[] = [];
    const setAnnotation = step.annotations.extra?.set;
    if (setAnnotation) {
      try {
        captures = parseSetAnnotation(setAnnotation);
      } catch (err) {
        return { ...base, status: 'error', commands: [], message: (err as Error).message };
      }
    }

    // Every value first: nothing runs until the whole step can.
    const values = new Map<string, string>();
    const missing: string[] = [];
    for (const [command] of commands) {
      const needed = this.neededPlaceholders(kind, command);
      if (typeof needed === 'string') return { ...base, status: 'error', commands: [], message: needed };
      for (const p of needed) {
        const key = normalizeName(p.name);
        if (values.has(key) || missing.includes(p.name)) continue;
        let value = this.variables.get(p.name);
        if (value === undefined && p.syntax === 'env') value = env[p.name];
        if (value === undefined) {
          value = await this.opts.resolve({
            name: p.name,
            placeholder: p,
            type: placeholderType(p.name),
            runbook: ref,
            step,
            command,
            validate: (v) => validateValue(p.name, v),
          });
          if (value === undefined) {
            missing.push(p.name);
            continue;
          }
          const problem = validateValue(p.name, value);
          if (problem) return { ...base, status: 'error', commands: [], message: problem };
          this.variables.set(p.name, value, 'placeholder');
        }
        if (isSecretName(p.name)) masker.addSecret(value);
        values.set(key, value);
      }
    }
    // A prompt closed by cancelling the run is a cancel, not a missing value.
    if (signal.aborted)
      return {
        ...base,
        status: 'cancelled',
        commands: [],
        ...(missing.length ? { missing } : {}),
        message: CANCELLED_ASKING,
      };
    if (missing.length)
      return {
        ...base,
        status: 'error',
        commands: [],
        missing,
        message: `no value for ${missing.map((m) => `<${m}>`).join(', ')}: nothing was run`,
      };

    const cwd = step.annotations.cwd
      ? isAbsolute(step.annotations.cwd)
        ? step.annotations.cwd
        : resolvePath(dirname(ref.path), step.annotations.cwd)
      : dirname(resolvePath(ref.path));
    if (!existsSync(cwd) || !statSync(cwd).isDirectory())
      return { ...base, status: 'error', commands: [], message: `working directory ${cwd} does not exist` };

    const timeoutSeconds =
      step.annotations.timeoutSeconds ?? runOpts.timeoutSeconds ?? this.opts.timeoutSeconds ?? 300;
    const results: CommandResult[] = [];
    let status: CommandStatus = 'ok';
    const captured: (string | undefined)[] = captures.map(() => undefined);
    let lastLine = '';
    for (const [command, index] of commands) {
      if (signal.aborted) {
        status = 'cancelled';
        break;
      }
      const r = await this.runCommand(
        runId,
        ref,
        step,
        kind,
        command,
        index,
        values,
        masker,
        cwd,
        timeoutSeconds,
        captures,
        signal,
        emit,
      );
      results.push(r.result);
      emit({ type: 'command-end', runId, stepId: step.id, result: r.result });
      for (const s of r.sets) this.setVariable(runId, s.name, s.value, `step:${step.id}`, masker, emit);
      r.captured.forEach((v, i) => {
        if (v !== undefined) captured[i] = v;
      });
      if (r.lastLine) lastLine = r.lastLine;
      status = r.result.status;
      if (status !== 'ok') break;
    }
    if (status === 'ok')
      captures.forEach((c, i) => {
        const v = c.regex ? captured[i] : lastLine;
        if (v !== undefined && v !== '') this.setVariable(runId, c.name, v, `step:${step.id}`, masker, emit);
      });
    const failedOne = results.find((r) => r.status !== 'ok');
    return {
      ...base,
      status,
      commands: results,
      ...(failedOne?.message ? { message: failedOne.message } : {}),
    };
  }

  private setVariable(
    runId: string,
    name: string,
    value: string,
    source: string,
    masker: Masker,
    emit: Emit,
  ): void {
    this.variables.set(name, value, source);
    if (isSecretName(name)) masker.addSecret(value);
    emit({ type: 'variable', runId, name, value: isSecretName(name) ? MASK : masker.mask(value) });
  }

  /** Placeholders a command needs values for, or why it cannot take any. */
  private neededPlaceholders(kind: CommandKind, command: Command): Placeholder[] | string {
    if (!command.placeholders.length) return [];
    if (kind === 'command') return placeholdersNeedingValues(command.text, command.placeholders);
    if (kind === 'query') return [...command.placeholders];
    const p = command.placeholders[0]!;
    return `${p.raw} is in a script: values cannot be pasted into script text safely; read it from the environment instead (e.g. os.environ["${carrierName(p)}"]) and the runner will not ask for it`;
  }

  private async runCommand(
    runId: string,
    ref: RunbookRef,
    step: Step,
    kind: CommandKind,
    command: Command,
    index: number,
    values: ReadonlyMap<string, string>,
    masker: Masker,
    cwd: string,
    timeoutSeconds: number,
    captures: CaptureSpec[],
    signal: AbortSignal,
    emit: Emit,
  ): Promise<{
    result: CommandResult;
    sets: { name: string; value: string }[];
    captured: (string | undefined)[];
    lastLine: string;
  }> {
    const display = masker.mask(displayCommand(command.text, command.placeholders, values));
    const historyId = newId();
    const startedAt = new Date().toISOString();
    const none = { sets: [], captured: [], lastLine: '' };
    const finish = async (result: CommandResult): Promise<CommandResult> => {
      if (this.opts.assess) {
        try {
          const a = this.opts.assess(result, step, ref);
          if (a) result.assessment = a;
        } catch {
          // Judging the output is extra: a bug there must not lose the run or its history.
        }
      }
      if (this.opts.history) {
        const rec: HistoryRecord = {
          v: 1,
          id: historyId,
          runId,
          runbook: ref.path,
          runbookTitle: ref.runbook.title,
          stepId: step.id,
          stepTitle: step.title,
          commandIndex: index,
          kind,
          command: result.text,
          status: result.status,
          exitCode: result.exitCode,
          signal: result.signal ?? null,
          startedAt: result.startedAt,
          durationMs: Math.round(result.durationMs),
          ...(result.outputFile ? { outputFile: `output/${historyId}.log` } : {}),
          ...(result.message ? { message: result.message } : {}),
          variables: Object.fromEntries(
            [...values].map(([k, v]) => [k, isSecretName(k) ? MASK : masker.mask(v)]),
          ),
          findings: result.assessment ? withoutData(result.assessment) : null,
        };
        try {
          await this.opts.history.append(rec);
          result.historyId = historyId;
        } catch (err) {
          result.message = [result.message, `(not saved to history: ${(err as Error).message})`]
            .filter(Boolean)
            .join(' ');
        }
      }
      return result;
    };
    const early = (status: CommandStatus, message: string): CommandResult => ({
      index,
      kind,
      text: display,
      status,
      exitCode: null,
      startedAt,
      durationMs: 0,
      output: '',
      message: masker.mask(message),
    });

    // Confirmation of writes, with the exact command shown.
    const sqlClass = kind === 'query' ? classifySql(command.text) : undefined;
    const isWrite =
      kind === 'query'
        ? sqlClass!.write || (command.effect === 'write' && !sqlClass!.explainAnalyzeWrite)
        : command.effect === 'write';
    if (isWrite || step.annotations.confirm) {
      const reason =
        step.annotations.confirm && !isWrite
          ? 'the runbook asks for confirmation of this step'
          : command.effectReason;
      const ok = await this.opts.confirm({ runbook: ref, step, command: display, reason });
      if (signal.aborted) return { result: await finish(early('cancelled', CANCELLED_ASKING)), ...none };
      if (!ok)
        return {
          result: await finish(
            early('refused', `not run: this command changes things and was not confirmed (${reason})`),
          ),
          ...none,
        };
    }
    if (signal.aborted) return { result: early('cancelled', 'cancelled before it started'), ...none };

    emit({ type: 'command-start', runId, stepId: step.id, index, text: display });
    const timeoutMs = Math.max(0, timeoutSeconds * 1000);

    if (kind === 'query') {
      let sqlText: string;
      let params: string[];
      try {
        ({ text: sqlText, params } = rewriteSqlPlaceholders(command.text, command.placeholders, values));
      } catch (err) {
        return { result: await finish(early('error', (err as Error).message)), ...none };
      }
      const env = this.opts.env ?? process.env;
      const r = await executeSql(sqlText, params, {
        ...(this.opts.connectionString ? { connectionString: this.opts.connectionString } : {}),
        env,
        ...(this.opts.databasePassword ? { password: this.opts.databasePassword } : {}),
        isTrusted: this.opts.isTrusted,
        masker,
        timeoutMs,
        ...(this.opts.sqlConnectTimeoutMs ? { connectTimeoutMs: this.opts.sqlConnectTimeoutMs } : {}),
        ...(this.opts.maxRows ? { maxRows: this.opts.maxRows } : {}),
        signal,
      });
      const output = renderResultSets(r.results);
      if (output)
        emit({
          type: 'output',
          runId,
          stepId: step.id,
          index,
          chunk: { stream: 'stdout', text: output, spans: [] },
        });
      const result: CommandResult = {
        index,
        kind,
        text: display,
        status: r.status,
        exitCode: null,
        startedAt: r.startedAt,
        durationMs: r.durationMs,
        output,
        ...(r.message ? { message: r.message } : {}),
        sql: {
          results: r.results,
          rolledBack: r.rolledBack,
          ...(r.target ? { target: r.target } : {}),
          ...(r.error ? { error: r.error } : {}),
        },
      };
      return { result: await finish(result), ...none };
    }

    let req;
    const env = childEnv(this.opts.env ?? process.env);
    if (kind === 'command') {
      let rw;
      try {
        rw = rewriteShellCommand(command.text, command.placeholders, values);
      } catch (err) {
        if (err instanceof PlaceholderError)
          return { result: await finish(early('error', err.message)), ...none };
        throw err;
      }
      req = {
        file: chooseShell(this.opts.shell, env),
        args: ['-c', rw.text],
        cwd,
        env: { ...env, ...rw.env },
      };
    } else {
      const language = step.annotations.language ?? step.language;
      const interp = interpreterFor(language);
      if (!interp)
        return {
          result: await finish(early('error', `no interpreter known for ${language ?? 'this'} scripts`)),
          ...none,
        };
      req = {
        file: interp.file,
        args: interp.args,
        cwd,
        env,
        stdin: command.text.endsWith('\n') ? command.text : command.text + '\n',
      };
    }
    const outputFile = this.opts.history?.outputPath(historyId);
    let pid: number | undefined;
    const r: ProcessResult = await executeProcess(req, {
      spawner: this.opts.spawner ?? execaSpawner,
      isTrusted: this.opts.isTrusted,
      masker,
      timeoutMs,
      maxOutputBytes: this.opts.maxOutputBytes ?? 256 << 20,
      graceMs: this.opts.graceMs ?? 2000,
      displayLimit: this.opts.displayLimit ?? 1 << 20,
      ...(outputFile ? { outputFile } : {}),
      ...(this.opts.stdoutToFile === false ? { stdoutToFile: false } : {}),
      signal,
      captures: captures.filter((c) => c.regex).map((c) => c.regex!),
      onOutput: (chunk) => emit({ type: 'output', runId, stepId: step.id, index, chunk }),
      wantsOutput: emit.listening,
      onStart: (p) => {
        pid = p;
        this.opts.registry?.add(p, display, outputFile);
      },
    });
    if (pid !== undefined) this.opts.registry?.remove(pid);
    // Captures were passed without the last-line specs: map them back to capture indexes.
    const regexCaptured: (string | undefined)[] = [];
    let k = 0;
    for (const c of captures) regexCaptured.push(c.regex ? r.captured[k++] : undefined);
    const result: CommandResult = {
      index,
      kind,
      text: display,
      status: r.status,
      exitCode: r.exitCode,
      signal: r.signal,
      startedAt: r.startedAt,
      durationMs: r.durationMs,
      output: r.output,
      ...(r.outputFile ? { outputFile: r.outputFile } : {}),
      ...(r.message ? { message: r.message } : {}),
      ...(r.missingTool ? { missingTool: r.missingTool } : {}),
    };
    return { result: await finish(result), sets: r.sets, captured: regexCaptured, lastLine: r.lastLine };
  }
}

function withoutData(a: Assessment): Omit<Assessment, 'data'> {
  const { data: _data, ...rest } = a;
  return rest;
}

/** Result sets as aligned text, for the live view, the CLI and `output` in JSON. */
export function renderResultSets(sets: readonly SqlResultSet[]): string {
  const parts: string[] = [];
  for (const s of sets) {
    if (!s.columns.length) {
      parts.push(`${s.command}${s.rowCount !== null && s.command !== 'BEGIN' ? ` ${s.rowCount}` : ''}\n`);
      continue;
    }
    const cells = s.rows.map((row) =>
      row.map((v) => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))),
    );
    // EXPLAIN text output: one column of plan lines, shown as is.
    if (s.command === 'EXPLAIN' && s.columns.length === 1) {
      parts.push(cells.map((r) => r[0]).join('\n') + '\n');
      continue;
    }
    const widths = s.columns.map((c, i) =>
      Math.min(60, Math.max(c.name.length, ...cells.map((r) => (r[i] ?? '').length))),
    );
    const line = (vals: string[]): string =>
      vals
        .map((v, i) => v.padEnd(widths[i]!))
        .join(' | ')
        .trimEnd();
    const out = [
      line(s.columns.map((c) => c.name)),
      widths.map((w) => '-'.repeat(w)).join('-+-'),
      ...cells.map(line),
    ];
    const n = s.rowCount ?? s.rows.length;
    out.push(`(${n} row${n === 1 ? '' : 's'}${s.truncated ? `, first ${s.rows.length} shown` : ''})`);
    parts.push(out.join('\n') + '\n');
  }
  return parts.join('\n');
}
