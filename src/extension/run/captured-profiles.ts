// Profiles a step captures (`jmap -dump:...,file=heapdump.hprof`, `py-spy record -o ...`,
// `node --cpu-prof`): the files its resolved command names and wrote during the run
// (src/core/report/captures.ts) are offered with "Open Profile" when the command ends, and open by
// themselves when the step asks with the annotation `open=profile`. Run History offers them too.
import * as vscode from 'vscode';
import { dirname, isAbsolute, resolve } from 'node:path';
import { allSteps } from '../../core/runbook/model';
import { writtenCaptures, type WrittenCapture } from '../../core/report/captures';
import type { HistoryRecord } from '../../core/run/history';
import type { RunController } from './run-controller';
import { Commands } from '../ids';

type Open = (
  uri: vscode.Uri,
  options: { viewColumn?: vscode.ViewColumn; preserveFocus?: boolean },
) => Promise<void>;

const profilesOnly = (files: WrittenCapture[]): WrittenCapture[] =>
  files.filter((c) => c.kind !== 'file' && c.bytes > 0);

export function openCapturedProfiles(controller: RunController, open: Open): vscode.Disposable {
  const openOne = (path: string): void => {
    open(vscode.Uri.file(path), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }).catch(
      (err: unknown) =>
        void vscode.window.showWarningMessage(
          `Captured ${path}, but it could not be opened: ${err instanceof Error ? err.message : String(err)}`,
        ),
    );
  };
  const onEnd = controller.onRunEvent(({ info, event }) => {
    if (event.type !== 'command-end') return;
    const r = event.result;
    if (r.status !== 'ok' || r.kind === 'query') return;
    const step = allSteps(info.entry.runbook).find((s) => s.id === event.stepId);
    const folder = dirname(info.entry.uri.fsPath);
    const cwd = step?.annotations.cwd;
    const dir = cwd ? (isAbsolute(cwd) ? cwd : resolve(folder, cwd)) : folder;
    const asked = step?.annotations.extra?.['open'] === 'profile';
    void writtenCaptures(r.text, dir, Date.parse(r.startedAt), r.durationMs).then((files) => {
      for (const f of profilesOnly(files)) {
        if (asked) {
          openOne(f.path);
          continue;
        }
        const name = f.path.split('/').pop() ?? f.path;
        void vscode.window
          .showInformationMessage(
            `"${step?.title ?? 'The step'}" captured a ${f.kind}: ${name}`,
            'Open Profile',
          )
          .then((choice) => choice && openOne(f.path));
      }
    });
  });
  const fromHistory = vscode.commands.registerCommand(
    Commands.openCapturedProfile,
    async (records?: HistoryRecord[] | { records?: HistoryRecord[] }) => {
      const recs = Array.isArray(records) ? records : (records?.records ?? []);
      const found: WrittenCapture[] = [];
      for (const rec of recs) {
        if (!isAbsolute(rec.runbook)) continue;
        found.push(
          ...profilesOnly(
            await writtenCaptures(
              rec.command,
              dirname(rec.runbook),
              Date.parse(rec.startedAt),
              rec.durationMs,
            ),
          ),
        );
      }
      if (!found.length) {
        void vscode.window.showInformationMessage('This run captured no profile that still exists.');
        return;
      }
      const pick =
        found.length === 1
          ? found[0]
          : (
              await vscode.window.showQuickPick(
                found.map((f) => ({
                  label: f.path.split('/').pop() ?? f.path,
                  description: f.kind,
                  detail: f.path,
                  f,
                })),
                { placeHolder: 'Open which captured profile?' },
              )
            )?.f;
      if (pick) openOne(pick.path);
    },
  );
  return vscode.Disposable.from(onEnd, fromHistory);
}
