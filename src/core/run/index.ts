// The runner's public surface, for the VS Code layer and the CLI. No `vscode` here: trust,
// prompts, confirmation and secrets come in as callbacks (RunnerOptions).
//
// Design in one place:
//   - runner.ts     Runner.start(target) -> RunHandle (status per step, events, cancel, done).
//   - output-pipe.ts  output as bytes: plain lines go straight to the file and display; only lines
//                   with a control byte, a masking trigger or a secret take the text path
//                   (byte-scan.ts: a WebAssembly SIMD scan with a JS fallback; output-file.ts: the
//                   batched full-output file).
//   - process.ts    one child in its own process group; cancel/timeout/output cap stop the whole
//                   tree (SIGINT, SIGTERM, then SIGKILL after graceMs); leftovers are stopped too.
//   - spawner.ts    execa (default) or node:child_process behind one interface.
//   - shell-placeholders.ts  values never become shell text: `<x>` -> "${RUNBOOK_X}" + env var.
//   - sql.ts        query steps via pg: bind parameters, EXPLAIN ANALYZE writes rolled back,
//                   real cancel (pg_cancel_backend), plain connection errors.
//   - terminal.ts   colour -> style spans, every other escape sequence dropped.
//   - mask.ts       the one masking function (output, messages, commands, history).
//   - variables.ts  `::set NAME=value` lines and `set=NAME[=/regex/]` annotations.
//   - history.ts    JSONL index + output files, locked appends, bounded.
//   - orphans.ts    live process groups on disk; cleanOrphans() after a crash.
export { Runner, renderResultSets } from './runner';
export type {
  CommandResult,
  ConfirmRequest,
  PlaceholderRequest,
  RunEvent,
  RunHandle,
  RunOptions,
  RunResult,
  RunTarget,
  RunbookRef,
  RunnerOptions,
  StepResult,
  StepStatus,
} from './runner';
export type { CommandStatus, OutputChunk } from './process';
export type { StyledSpan, TextStyle } from './terminal';
export { Variables, parseSetAnnotation, type VariableEntry, type VariablesChange } from './variables';
export { HistoryStore, type HistoryRecord } from './history';
export { ProcessRegistry } from './orphans';
export { Masker, MASK, isSecretName } from './mask';
export {
  placeholderType,
  validateValue,
  normalizeName,
  envNameFor,
  type PlaceholderType,
} from './placeholder-values';
export { displayCommand } from './shell-placeholders';
export { execaSpawner, nodeSpawner, type Spawner } from './spawner';
export { INSTALL_HINTS, missingToolMessage } from './missing-tool';
export { childEnv, chooseShell } from './environment';
export { listProcesses, type ProcessInfo } from './processes';
