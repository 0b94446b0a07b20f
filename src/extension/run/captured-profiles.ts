// A step that captures a profile (`jmap -dump:...,file=heapdump.hprof`, `py-spy record -o ...`,
// `node --cpu-prof`) ends with the profile open in the viewer: the files its resolved command names
// and wrote during the run (src/core/report/captures.ts) open beside the runbook, without focus.
import * as vscode from 'vscode';
import { dirname, isAbsolute, resolve } from 'node:path';
import { allSteps } from '../../core/runbook/model';
import { writtenCaptures } from '../../core/report/captures';
import type { RunController } from './run-controller';

type Open = (
  uri: vscode.Uri,
  options: { viewColumn?: vscode.ViewColumn; preserveFocus?: boolean },
) => Promise<void>;

export function openCapturedProfiles(controller: RunController, open: Open): vscode.Disposable {
  return controller.onRunEvent(({ info, event }) => {
    if (event.type !== 'command-end') return;
    const r = event.result;
    if (r.status !== 'ok' || r.kind === 'query') return;
    const step = allSteps(info.entry.runbook).find((s) => s.id === event.stepId);
    const folder = dirname(info.entry.uri.fsPath);
    const cwd = step?.annotations.cwd;
    const dir = cwd ? (isAbsolute(cwd) ? cwd : resolve(folder, cwd)) : folder;
    void writtenCaptures(r.text, dir, Date.parse(r.startedAt), r.durationMs).then((files) => {
      for (const f of files.filter((c) => c.kind !== 'file' && c.bytes > 0)) {
        open(vscode.Uri.file(f.path), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }).catch(
          (err: unknown) =>
            void vscode.window.showWarningMessage(
              `Captured ${f.path}, but it could not be opened: ${err instanceof Error ? err.message : String(err)}`,
            ),
        );
      }
    });
  });
}
