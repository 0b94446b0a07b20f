// Moving a FlameProfile between threads (worker → extension host) or to the webview without
// copying its columns: the structured clone keeps typed arrays, and listing their buffers as
// transferables moves them instead. fromMessage checks what arrives before anything trusts it.
import type { FlameProfile, StackTree, TrackEvents, FrameTable } from '../model';

/** Every ArrayBuffer behind the profile's typed arrays, each once (postMessage's transfer list). */
export function transferables(p: FlameProfile): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView): void => {
    if (a.buffer instanceof ArrayBuffer) set.add(a.buffer);
  };
  const f = p.frames;
  [f.name, f.file, f.line, f.column, f.pkg].forEach(add);
  if (f.flags) add(f.flags);
  const t = p.tree;
  [t.parent, t.frame, t.depth, t.self, t.total, t.subtreeEnd].forEach(add);
  for (const tr of p.tracks) {
    const e = tr.events;
    [e.start, e.end, e.depth, e.frame].forEach(add);
  }
  return [...set];
}

/** Validates a structurally cloned profile: array types and lengths agree. Throws when not. */
export function fromMessage(data: unknown): FlameProfile {
  const p = data as FlameProfile;
  const fail = (what: string): never => {
    throw new Error(`not a flame profile message: ${what}`);
  };
  if (!p || typeof p !== 'object' || !Array.isArray(p.strings)) fail('no strings');
  const frames = p.frames as FrameTable;
  checkColumns(
    frames,
    {
      name: Int32Array,
      file: Int32Array,
      line: Int32Array,
      column: Int32Array,
      pkg: Int32Array,
    },
    'frames',
    fail,
  );
  if (frames.flags !== undefined) checkColumns(frames, { flags: Uint8Array }, 'frames', fail);
  const tree = p.tree as StackTree;
  checkColumns(
    tree,
    {
      parent: Int32Array,
      frame: Int32Array,
      depth: Uint16Array,
      self: Float64Array,
      total: Float64Array,
      subtreeEnd: Int32Array,
    },
    'tree',
    fail,
  );
  if (!Array.isArray(p.tracks)) fail('no tracks');
  for (const t of p.tracks)
    checkColumns(
      t.events as TrackEvents,
      { start: Float64Array, end: Float64Array, depth: Uint16Array, frame: Int32Array },
      'track',
      fail,
    );
  return p;
}

function checkColumns(
  value: unknown,
  cols: Record<string, new (n: number) => ArrayBufferView>,
  what: string,
  fail: (w: string) => never,
): void {
  const obj = value as { length: number } & Record<string, unknown>;
  if (!obj || typeof obj.length !== 'number') fail(`${what} has no length`);
  for (const [k, ctor] of Object.entries(cols)) {
    const a = obj[k];
    if (!(a instanceof ctor) || (a as unknown as { length: number }).length !== obj.length)
      fail(`${what}.${k} is not a ${ctor.name} of length ${obj.length}`);
  }
}
