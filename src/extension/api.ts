// What activate() returns: used by the in-host integration tests (and by other extensions, if ever).
import type { RunbookStore } from './runbook-store';
import type { RunbooksTreeProvider } from './runbooks-tree';
import type { RunController } from './run/run-controller';

export interface RunbookDebuggerApi {
  readonly version: 1;
  readonly store: RunbookStore;
  readonly tree: RunbooksTreeProvider;
  readonly controller: RunController;
}
