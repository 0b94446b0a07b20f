// What the profile viewer's host accepts from its page, and where a frame's file is on disk.
// No `vscode` import: both are plain functions, unit-tested in Node. The page is untrusted input
// (it renders names from the profile), so a message passes the strict schema, then range checks;
// a source path opens only when it resolves (symlinks followed) to a file inside a workspace folder.
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateMessage } from '../../../webview/shared/validate';
import { MAX_STATE_CHARS, pageMessages, type PageMessage } from '../../../webview/profile/protocol';

export interface MessageLimits {
  /** Objects in the heap dump shown (0 when the view is not a heap dump). */
  objects: number;
  /** Classes in its histogram. */
  classes: number;
}

const MAX_PATH_CHARS = 4096;
const MAX_LINE = 10_000_000;

export function parsePageMessage(
  raw: unknown,
  limits: MessageLimits,
): { ok: true; message: PageMessage } | { ok: false; error: string } {
  const r = validateMessage(pageMessages, raw);
  if (!r.ok) return r;
  const m = r.message;
  const int = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;
  switch (m.type) {
    case 'openSource':
      if (!m.file || m.file.length > MAX_PATH_CHARS || m.file.includes('\0'))
        return { ok: false, error: 'openSource: file must be a path of 1 to 4096 characters' };
      if (!int(m.line, 0, MAX_LINE) || !int(m.column, 0, MAX_LINE))
        return { ok: false, error: 'openSource: line and column must be whole numbers >= 0' };
      break;
    case 'treemap':
      if (limits.objects <= 0) return { ok: false, error: 'treemap: this view shows no heap dump' };
      if (!int(m.node, -1, limits.objects - 1))
        return { ok: false, error: `treemap: node must be -1 or an object index below ${limits.objects}` };
      break;
    case 'retainers':
      if (!int(m.classIndex, 0, limits.classes - 1))
        return { ok: false, error: `retainers: classIndex must be a class index below ${limits.classes}` };
      break;
    case 'saveState':
      if (m.state.length > MAX_STATE_CHARS)
        return { ok: false, error: `saveState: more than ${MAX_STATE_CHARS} characters` };
      break;
  }
  return { ok: true, message: m };
}

export interface SourceFs {
  /** The real path (symlinks resolved) when `path` is an existing regular file, else undefined. */
  realFile(path: string): string | undefined;
  /** The real path of a workspace folder. */
  realDir(path: string): string | undefined;
}

/** Longest tail of an absolute path tried against each workspace folder (captured elsewhere). */
const MAX_TAIL_SEGMENTS = 8;

/**
 * The file on disk a profile frame names, inside one of `roots` (workspace folder paths), or
 * undefined. Accepts a path (absolute, or relative to a folder), a file: URL, and bundler URLs
 * such as webpack:///./src/app.ts (their path is tried relative to each folder). A path captured on
 * another machine (/home/ci/app/src/a.ts) matches the same tail inside a folder (src/a.ts).
 */
export function resolveSourcePath(file: string, roots: readonly string[], fs: SourceFs): string | undefined {
  const realRoots = roots.map((r) => fs.realDir(r)).filter((r): r is string => r !== undefined);
  if (!realRoots.length || !file || file.includes('\0')) return undefined;
  const inside = (p: string): string | undefined => {
    const real = fs.realFile(p);
    if (!real) return undefined;
    return realRoots.some((root) => isWithin(root, real)) ? real : undefined;
  };
  const tryRelative = (rel: string): string | undefined => {
    const clean = normalize(rel.replace(/^[\\/]+/, '').replace(/^(\.[\\/])+/, ''));
    if (!clean || clean === '.' || clean.startsWith('..') || isAbsolute(clean)) return undefined;
    for (const root of realRoots) {
      const found = inside(join(root, clean));
      if (found) return found;
    }
    return undefined;
  };

  let path = file;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(file)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    try {
      path = fileURLToPath(file);
    } catch {
      return undefined;
    }
  } else if (scheme && !/^[a-zA-Z]:[\\/]/.test(file)) {
    // node:internal/..., or a scheme that only names a place in a bundle or on a server.
    if (scheme === 'node' || scheme === 'internal' || scheme === 'wasm') return undefined;
    const rest = file.slice(scheme.length + 1).replace(/^\/\/[^/]*/, '');
    return tryRelative(rest.replace(/[?#].*$/, ''));
  }
  if (!isAbsolute(path)) return tryRelative(path);
  const direct = inside(normalize(path));
  if (direct) return direct;
  const parts = normalize(path)
    .split(/[\\/]+/)
    .filter(Boolean);
  for (let n = Math.min(MAX_TAIL_SEGMENTS, parts.length - 1); n >= 1; n--) {
    const found = tryRelative(parts.slice(parts.length - n).join(sep));
    if (found) return found;
  }
  return undefined;
}

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
