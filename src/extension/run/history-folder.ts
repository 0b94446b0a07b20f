// Where Run History lives, and moving an older history there once.
//
// History used to live in the window's workspace storage. code-server gives a reopened tab a new
// workspace-storage folder (while the old extension host may still hold the old one), so Run History
// looked empty after a reopen. It now lives in the extension's global storage, in a folder named by
// a stable hash of what the window has open: the workspace folders, or the one runbook file when no
// folder is open. No `vscode` import: the extension passes plain paths and URI strings.
//
// The history folder's index is shared with other processes (other windows, the CLI) through the
// lock directory `index.lock` that HistoryStore takes (atomic mkdir, stale after 10 s). Migration
// takes the same lock on both folders, so no append is lost or torn while records move.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { withHistoryLock, type HistoryRecord } from '../../core/run/history';

/** What a window has open, as URI strings. */
export type WindowScope = { folders: readonly string[] } | { file: string } | { none: true };

/** A stable name for a window's history folder: the same folders (in any order) give the same key. */
export function historyKey(scope: WindowScope): string {
  const what =
    'folders' in scope
      ? `folders\n${[...scope.folders].sort().join('\n')}`
      : 'file' in scope
        ? `file\n${scope.file}`
        : 'none';
  return createHash('sha256').update(what).digest('hex').slice(0, 16);
}

/** `<global storage>/history/<key>`. */
export function historyFolder(globalStorage: string, scope: WindowScope): string {
  return join(globalStorage, 'history', historyKey(scope));
}

const INDEX = 'index.jsonl';

/**
 * Moves the history kept in `from` (an `index.jsonl` and the output files its records name) into
 * `to`, once: afterwards `from` holds no index, so a later call does nothing. When `to` has no index
 * yet the files are renamed; otherwise the records are merged (by id, oldest first) and each output
 * file moved beside them. Anything else in `from` (the process registry's `running/`) stays.
 * Returns how many records were moved.
 */
export async function migrateHistory(from: string, to: string): Promise<number> {
  if (resolve(from) === resolve(to) || !(await exists(join(from, INDEX)))) return 0;
  return withHistoryLock(from, () =>
    withHistoryLock(to, async () => {
      const oldIndex = join(from, INDEX);
      // Another window may have moved it while this one waited for the lock.
      if (!(await exists(oldIndex))) return 0;
      const records = parseIndex(await readFile(oldIndex, 'utf8'));
      const newIndex = join(to, INDEX);
      if (!(await exists(newIndex))) {
        for (const r of records) await placeOutput(from, to, r);
        await moveFile(oldIndex, newIndex);
        await rmdir(join(from, 'output')).catch(() => undefined);
        return records.length;
      }
      const present = parseIndex(await readFile(newIndex, 'utf8'));
      const ids = new Set(present.map((r) => r.id));
      const added = records.filter((r) => !ids.has(r.id));
      for (const r of records) await placeOutput(from, to, r);
      // Oldest first, as appends leave them: list() reads the file backwards for newest first.
      const merged = [...present, ...added].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
      const tmp = `${newIndex}.${process.pid}.migrate.tmp`;
      await writeFile(tmp, merged.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
      await rename(tmp, newIndex);
      await unlink(oldIndex);
      await rmdir(join(from, 'output')).catch(() => undefined);
      return added.length;
    }),
  );
}

/** The records of an index file, skipping lines a crash cut short (as HistoryStore does). */
function parseIndex(text: string): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as HistoryRecord;
      if (r && r.v === 1 && typeof r.id === 'string' && typeof r.startedAt === 'string') out.push(r);
    } catch {
      // torn line
    }
  }
  return out;
}

/** Records are data: an output path that leads outside its history folder is never followed. */
function inside(dir: string, relative: string): string | undefined {
  const file = resolve(dir, relative);
  return file.startsWith(resolve(dir) + sep) ? file : undefined;
}

/**
 * Moves a record's output file beside the record. When the new folder has it already (the same run,
 * moved by a migration a crash interrupted) the old copy is dropped.
 */
async function placeOutput(from: string, to: string, r: HistoryRecord): Promise<void> {
  if (!r.outputFile) return;
  const source = inside(from, r.outputFile);
  const target = inside(to, r.outputFile);
  if (!source || !target || !(await exists(source))) return;
  if (await exists(target)) return rm(source, { force: true });
  await mkdir(resolve(target, '..'), { recursive: true });
  await moveFile(source, target);
}

/** rename, or copy and delete where the two folders are on different file systems. */
async function moveFile(source: string, target: string): Promise<void> {
  try {
    await rename(source, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(source, target);
    await unlink(source);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
