// Runs steps from VS Code: builds the core Runner with VS Code's trust, prompts, confirmation and
// secret storage, and keeps the live status of every step and command for the tree, the output
// panel and the status bar. The runner itself refuses to spawn in an untrusted workspace; the check
// here only adds a helpful message.
import * as vscode from 'vscode';
import type { Section, Step } from '../../core/runbook/model';
import type { AssessedFinding, Assessment } from '../../core/check/assess';
import { assessRunCommand, stepLevel, stepOutcome } from '../../core/check/run-findings';
import type { Level, StepStatus as CheckStatus } from '../../core/check/status';
import { HistoryStore } from '../../core/run/history';
import { ProcessRegistry } from '../../core/run/orphans';
import {
  Runner,
  type RunEvent,
  type RunHandle,
  type RunbookRef,
  type RunTarget,
  type StepStatus,
} from '../../core/run/runner';
import { Variables, type VariableEntry } from '../../core/run/variables';
import type { RunbookEntry } from '../runbook-store';
import { Settings } from '../ids';
import { confirmWrite, makePasswordProvider, makeResolver } from './prompts';
import { migrateHistory } from './history-folder';
import type { HistoryLocation } from './history-location';

export interface StepState {
  status: StepStatus;
  runId: string;
  message?: string;
  /** The worst check level of the step's command outputs; undefined when nothing was judged. */
  level?: Level;
  /** How the run ended joined with the level (ok / warning / critical / failed / refused / cancelled / not-run). */
  outcome: CheckStatus;
  /** Findings of every command of the last run, in command order. */
  findings: AssessedFinding[];
  /** Problems with the step's own checks (expect= annotations). */
  diagnostics: string[];
  /** Whether any command's output was recognized (the results view has something to show). */
  recognized: boolean;
}

export interface RunInfo {
  handle: RunHandle;
  entry: RunbookEntry;
  title: string;
  startedAt: number;
  /** Cancelled with the run: closes the input box or picker the run is waiting on. */
  cancellation: vscode.CancellationTokenSource;
}

const VARIABLES_KEY = 'runbookDebugger.variables';

export class RunController implements vscode.Disposable {
  readonly runner: Runner;
  readonly history: HistoryStore;
  readonly variables: Variables;
  /** Settles once a history left in the old per-window folder has moved into `history` (never rejects). */
  readonly historyReady: Promise<void>;
  private readonly states = new Map<string, StepState>();
  private readonly runs = new Map<string, RunInfo>();
  /** The run a prompt is for: the runner passes each run's own RunbookRef object to its prompts. */
  private readonly runOfRef = new WeakMap<RunbookRef, RunInfo>();
  private readonly stateChanged = new vscode.EventEmitter<void>();
  private readonly runEvent = new vscode.EventEmitter<{ info: RunInfo; event: RunEvent }>();
  private readonly runStarted = new vscode.EventEmitter<RunInfo>();
  /** Step or run status changed (tree icons, status bar). */
  readonly onDidChangeState = this.stateChanged.event;
  readonly onRunEvent = this.runEvent.event;
  readonly onDidStartRun = this.runStarted.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    location: HistoryLocation,
  ) {
    this.history = new HistoryStore(location.history);
    this.historyReady = migrateHistory(location.legacy, location.history).then(
      (moved) => {
        if (moved)
          console.log(`Runbook Debugger: moved ${moved} Run History record(s) to ${location.history}`);
      },
      (err: unknown) =>
        console.warn(`Runbook Debugger: Run History in ${location.legacy} was not moved: ${String(err)}`),
    );
    // Process groups a crashed or reloaded window left running are stopped now; the registry
    // only signals a pid whose kernel start time still matches, so reused pids are safe.
    const registry = new ProcessRegistry(location.registry);
    void registry.cleanOrphans().then((stopped) => {
      if (stopped.length)
        console.log(
          `Runbook Debugger: stopped ${stopped.length} process group(s) left by a previous session`,
        );
    });
    this.variables = new Variables(
      context.workspaceState.get<VariableEntry[]>(VARIABLES_KEY, []).filter((v) => !v.secret),
    );
    const unsubscribe = this.variables.onDidChange(() => {
      // Secret-looking values stay in memory only.
      void context.workspaceState.update(
        VARIABLES_KEY,
        this.variables.list().filter((v) => !v.secret),
      );
    });
    this.disposables.push({ dispose: unsubscribe });
    const resolver = makeResolver(context.workspaceState);
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);
    this.runner = new Runner({
      isTrusted: () => vscode.workspace.isTrusted,
      confirm: (req) =>
        config().get<boolean>(Settings.confirmWrites, true)
          ? this.ask(req, false, (token) => confirmWrite(req, token))
          : true,
      resolve: (req) => this.ask(req, undefined, (token) => resolver(req, token)),
      databasePassword: makePasswordProvider(context.secrets),
      get connectionString() {
        return config().get<string>(Settings.databaseUrl) || process.env['DATABASE_URL'] || undefined;
      },
      history: this.history,
      registry,
      get shell() {
        // Restricted Mode ignores this machine setting (and nothing runs there anyway).
        return vscode.workspace.isTrusted ? config().get<string>(Settings.shell) || undefined : undefined;
      },
      get timeoutSeconds() {
        return config().get<number>(Settings.timeoutSeconds, 300);
      },
      variables: this.variables,
      assess: assessRunCommand,
    });
    this.disposables.push(this.stateChanged, this.runEvent, this.runStarted);
  }

  stateOf(entry: RunbookEntry, stepId: string): StepState | undefined {
    return this.states.get(key(entry, stepId));
  }

  active(): RunInfo[] {
    return [...this.runs.values()];
  }

  info(runId: string): RunInfo | undefined {
    return this.runs.get(runId);
  }

  runStep(entry: RunbookEntry, step: Step, commandIndex?: number): Promise<RunHandle | undefined> {
    const runbook = this.ref(entry);
    const target: RunTarget =
      commandIndex === undefined
        ? { kind: 'step', runbook, step }
        : { kind: 'command', runbook, step, commandIndex };
    return this.start(entry, target, step.title);
  }

  runSection(entry: RunbookEntry, section: Section): Promise<RunHandle | undefined> {
    return this.start(entry, { kind: 'section', runbook: this.ref(entry), section }, section.title);
  }

  runRunbook(entry: RunbookEntry): Promise<RunHandle | undefined> {
    return this.start(entry, { kind: 'runbook', runbook: this.ref(entry) }, entry.runbook.title);
  }

  cancel(runId: string): void {
    const info = this.runs.get(runId);
    if (!info) return;
    // The runner's signal first: whatever a prompt answers after this, nothing is spawned.
    info.handle.cancel();
    info.cancellation.cancel();
  }

  cancelAll(): void {
    for (const id of [...this.runs.keys()]) this.cancel(id);
    this.runner.cancelAll();
  }

  private ref(entry: RunbookEntry): RunbookRef {
    return { path: entry.uri.fsPath, runbook: entry.runbook };
  }

  /**
   * Asks through `prompt` with the run's cancellation token; a cancel ends the wait at once with
   * `onCancel` (an input box closes; a modal stays until answered, and its answer is ignored).
   */
  private ask<T>(
    req: { runbook: RunbookRef; step: Step },
    onCancel: T,
    prompt: (token: vscode.CancellationToken) => Thenable<T>,
  ): Promise<T> {
    const info = this.runOfRef.get(req.runbook);
    if (!info) return Promise.resolve(prompt(new vscode.CancellationTokenSource().token));
    const token = info.cancellation.token;
    // The run is already cancelled when the token fires: the runner reports the step as cancelled.
    const stopped = (): T => onCancel;
    if (token.isCancellationRequested) return Promise.resolve(stopped());
    return new Promise<T>((resolve, reject) => {
      const sub = token.onCancellationRequested(() => resolve(stopped()));
      prompt(token).then(
        (value) => {
          sub.dispose();
          resolve(token.isCancellationRequested ? stopped() : value);
        },
        (err: unknown) => {
          sub.dispose();
          reject(err);
        },
      );
    });
  }

  private async start(entry: RunbookEntry, target: RunTarget, title: string): Promise<RunHandle | undefined> {
    if (!vscode.workspace.isTrusted) {
      // The runner would refuse too; this says why and offers the way out.
      const manage = 'Manage Workspace Trust';
      void vscode.window
        .showWarningMessage('This workspace is in Restricted Mode, so runbook steps are not run.', manage)
        .then((c) => c === manage && vscode.commands.executeCommand('workbench.trust.manage'));
    }
    if (entry.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Only runbooks saved on disk can be run.');
      return undefined;
    }
    const handle = this.runner.start(target);
    const info: RunInfo = {
      handle,
      entry,
      title,
      startedAt: Date.now(),
      cancellation: new vscode.CancellationTokenSource(),
    };
    this.runs.set(handle.id, info);
    // The runner asks nothing before its first step, which waits a tick: this is in time.
    this.runOfRef.set(target.runbook, info);
    const fresh = (status: StepStatus): StepState => ({
      status,
      runId: handle.id,
      outcome: 'not-run',
      findings: [],
      diagnostics: [],
      recognized: false,
    });
    for (const [stepId, status] of handle.steps) this.states.set(key(entry, stepId), fresh(status));
    // Each command's assessment, per step, until the step ends.
    const judged = new Map<string, Assessment[]>();
    handle.onEvent((event) => {
      if (event.type === 'step-start') this.setState(entry, event.stepId, fresh('running'));
      if (event.type === 'command-end' && event.result.assessment) {
        const list = judged.get(event.stepId) ?? [];
        list.push(event.result.assessment);
        judged.set(event.stepId, list);
      }
      if (event.type === 'step-end') {
        const r = event.result;
        const assessments = judged.get(r.stepId) ?? [];
        judged.delete(r.stepId);
        const level = stepLevel(assessments);
        const { status, message } = r;
        this.setState(entry, r.stepId, {
          status,
          runId: handle.id,
          ...(message ? { message } : {}),
          ...(level ? { level } : {}),
          outcome: stepOutcome(status, level),
          findings: assessments.flatMap((a) => a.findings),
          diagnostics: assessments.flatMap((a) => a.diagnostics),
          recognized: assessments.some((a) => a.recognizer !== null),
        });
      }
      this.runEvent.fire({ info, event });
      if (event.type === 'run-end') {
        this.runs.delete(handle.id);
        info.cancellation.dispose();
        this.stateChanged.fire();
      }
    });
    this.runStarted.fire(info);
    this.stateChanged.fire();
    return handle;
  }

  private setState(entry: RunbookEntry, stepId: string, state: StepState): void {
    this.states.set(key(entry, stepId), state);
    this.stateChanged.fire();
  }

  dispose(): void {
    // Runs still going when the window closes or reloads are stopped (whole process groups).
    this.cancelAll();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function key(entry: RunbookEntry, stepId: string): string {
  return `${entry.uri.toString()}#${stepId}`;
}
