// Chrome trace event JSON: an object with "traceEvents" or a bare array (whose closing "]" may be
// missing: tools write traces incrementally). Events are streamed, never parsed as one document.
//  - B/E and X events become one track per (pid, tid): a CPU thread, or a CUDA stream in
//    torch.profiler/Kineto traces (pid = GPU, tid = stream), nested by time; self times feed the
//    merged tree, one top frame per track when there are several.
//  - CPU profile samples, when the trace has them (Chrome's Profile/ProfileChunk events, or the
//    "samples" + "stackFrames" of the JSON object format), are what the flame graph shows instead:
//    the duration events of such traces are the browser's own tasks.
// Imperfect input is repaired deliberately and reported in warnings; see matchBeginEnd.
import type { FlameProfile } from '../model';
import type { FlameBuilder, FrameInfo, TrackBuilder } from './builder';
import type { ImportContext } from './context';
import { ProfileError } from './errors';
import { packageOf, parseFrameText } from './frame-name';
import { float64s, int32s, type Growable } from './growable';
import { readJson } from './json-stream';
import { intervalsToTrack, samplesToTrack, trackToTree } from './timeline';
import { V8ProfileAccumulator } from './v8-profile';

interface TraceEvent {
  ph?: unknown;
  name?: unknown;
  cat?: unknown;
  pid?: unknown;
  tid?: unknown;
  ts?: unknown;
  dur?: unknown;
  tdur?: unknown;
  id?: unknown;
  args?: Record<string, unknown> | null;
  sf?: unknown;
  weight?: unknown;
}

class ThreadEvents {
  // X events and, after matching, B/E pairs: intervals in file order
  readonly start: Growable<Float64Array> = float64s(64);
  readonly end: Growable<Float64Array> = float64s(64);
  readonly frame: Growable<Int32Array> = int32s(64);
  /** File position of each interval: of the X event, or of the B event of a B/E pair. */
  readonly seq: Growable<Int32Array> = int32s(64);
  // B and E events in file order: kind 1 = B, 0 = E
  readonly beTs: Growable<Float64Array> = float64s(16);
  readonly beKind: Growable<Int32Array> = int32s(16);
  readonly beFrame: Growable<Int32Array> = int32s(16);
  readonly beName: Growable<Int32Array> = int32s(16);
  readonly beSeq: Growable<Int32Array> = int32s(16);
  /** Events of this thread seen so far. */
  count = 0;
  lastTime = -Infinity;
  constructor(
    readonly pid: string,
    readonly tid: string,
  ) {}
}

interface SampleRec {
  pid: string;
  tid: string;
  ts: number;
  sf: string;
  weight: number;
}

export async function importChromeTrace({ source, b, opts }: ImportContext): Promise<FlameProfile> {
  const threads = new Map<string, ThreadEvents>();
  const processName = new Map<string, string>();
  const processLabel = new Map<string, string>();
  const threadName = new Map<string, string>();
  const processSort = new Map<string, number>();
  const threadSort = new Map<string, number>();
  const profiles = new Map<string, { acc: V8ProfileAccumulator; pid: string; tid: string }>();
  const samples: SampleRec[] = [];
  let stackFrames: Record<string, { name?: unknown; parent?: unknown }> | undefined;
  const nameIds = new Map<string, number>();
  let badTs = 0;
  let profilerSpans = 0;
  let asyncEvents = 0;
  let durationEvents = 0;
  let events = 0;

  const thread = (pid: string, tid: string): ThreadEvents => {
    const key = `${pid}\u0000${tid}`;
    let t = threads.get(key);
    if (!t) threads.set(key, (t = new ThreadEvents(pid, tid)));
    return t;
  };
  // Duration events get a local frame id while streaming; builder frames are made only for the
  // events that end up shown (a trace with CPU samples shows none of them).
  const localIds = new Map<string, number>();
  const localInfo: FrameInfo[] = [];
  const frameOf = (e: TraceEvent): number => {
    const name = typeof e.name === 'string' && e.name ? e.name : '(unnamed)';
    const a = e.args;
    const url = a && typeof a.url === 'string' && a.url ? a.url : undefined;
    const line = url && typeof a?.line === 'number' ? a.line : 0;
    const column = url && typeof a?.column === 'number' ? a.column : 0;
    const key = url ? `${name}\u0000${url}\u0000${line}\u0000${column}` : name;
    let id = localIds.get(key);
    if (id === undefined) {
      id = localInfo.length;
      localIds.set(key, id);
      localInfo.push(url ? { name, file: url, line, column, pkg: packageOf(name, url) } : { name });
    }
    return id;
  };
  const builderFrame: number[] = [];
  const resolveFrames = (a: Int32Array, n: number): void => {
    for (let i = 0; i < n; i++) {
      const local = a[i] as number;
      if (local < 0) continue;
      let f = builderFrame[local];
      if (f === undefined) {
        const info = localInfo[local] as FrameInfo;
        f = builderFrame[local] = info.file
          ? b.frame(info)
          : b.frame(parseFrameText(info.name), `\u0001ev\u0000${info.name}`);
      }
      a[i] = f;
    }
  };
  const nameId = (e: TraceEvent): number => {
    if (typeof e.name !== 'string' || !e.name) return -1;
    let id = nameIds.get(e.name);
    if (id === undefined) nameIds.set(e.name, (id = nameIds.size));
    return id;
  };

  const onEvent = (raw: unknown): void => {
    events++;
    if (!raw || typeof raw !== 'object') return;
    const e = raw as TraceEvent;
    const ph = e.ph;
    const pid = String(e.pid ?? '');
    const tid = String(e.tid ?? '');
    switch (ph) {
      case 'X':
      case 'B':
      case 'E': {
        if (e.cat === 'Trace') {
          // Kineto's "PyTorch Profiler (0)" span: the recording window itself, not work done in it
          profilerSpans++;
          return;
        }
        const ts = Number(e.ts);
        if (!Number.isFinite(ts)) {
          badTs++;
          return;
        }
        durationEvents++;
        const t = thread(pid, tid);
        if (ph === 'X') {
          const d = Number(e.dur ?? e.tdur ?? 0);
          const end = ts + (Number.isFinite(d) && d > 0 ? d : 0);
          t.start.push(ts);
          t.end.push(end);
          t.frame.push(frameOf(e));
          t.seq.push(t.count++);
          if (end > t.lastTime) t.lastTime = end;
        } else {
          t.beTs.push(ts);
          t.beKind.push(ph === 'B' ? 1 : 0);
          t.beFrame.push(ph === 'B' ? frameOf(e) : -1);
          t.beName.push(nameId(e));
          t.beSeq.push(t.count++);
          if (ts > t.lastTime) t.lastTime = ts;
        }
        return;
      }
      case 'M': {
        const a = e.args ?? {};
        if (e.name === 'process_name' && typeof a.name === 'string') processName.set(pid, a.name);
        else if (e.name === 'process_labels' && typeof a.labels === 'string') processLabel.set(pid, a.labels);
        else if (e.name === 'thread_name' && typeof a.name === 'string')
          threadName.set(`${pid}\u0000${tid}`, a.name);
        else if (e.name === 'process_sort_index' && typeof a.sort_index === 'number')
          processSort.set(pid, a.sort_index);
        else if (e.name === 'thread_sort_index' && typeof a.sort_index === 'number')
          threadSort.set(`${pid}\u0000${tid}`, a.sort_index);
        return;
      }
      case 'P': {
        if (e.name !== 'Profile' && e.name !== 'ProfileChunk') return;
        const data = (e.args?.data ?? {}) as {
          startTime?: unknown;
          endTime?: unknown;
          cpuProfile?: { nodes?: unknown; samples?: unknown; timeDeltas?: unknown; endTime?: unknown };
          timeDeltas?: unknown;
        };
        const key = `${pid}\u0000${String(e.id ?? '')}`;
        let p = profiles.get(key);
        if (!p) profiles.set(key, (p = { acc: new V8ProfileAccumulator(b), pid, tid }));
        if (e.name === 'Profile') {
          if (typeof data.startTime === 'number') p.acc.startTime = data.startTime;
          return;
        }
        p.tid = tid;
        const cp = data.cpuProfile ?? {};
        if (Array.isArray(cp.nodes)) for (const n of cp.nodes as unknown[]) p.acc.addNode(n);
        const deltas = Array.isArray(data.timeDeltas)
          ? data.timeDeltas
          : Array.isArray(cp.timeDeltas)
            ? cp.timeDeltas
            : [];
        const s = Array.isArray(cp.samples) ? (cp.samples as unknown[]) : [];
        for (let i = 0; i < s.length; i++) {
          p.acc.samples.push(Number(s[i]));
          p.acc.deltas.push(Number(deltas[i] ?? 0));
        }
        const end = typeof data.endTime === 'number' ? data.endTime : cp.endTime;
        if (typeof end === 'number') p.acc.endTime = end;
        return;
      }
      case 'b':
      case 'e':
      case 'n':
        asyncEvents++;
        return;
      default:
        return;
    }
  };

  const r = await readJson(source, {
    what: source.name,
    streamKeys: new Set(['traceEvents', 'samples']),
    maxMemberBytes: opts.maxMemberBytes,
    wholeBelow: opts.wholeJsonBelow,
    onElements(key, items) {
      if (key === null || key === 'traceEvents') for (const e of items) onEvent(e);
      else if (key === 'samples')
        for (const raw of items) {
          const s = raw as {
            pid?: unknown;
            tid?: unknown;
            ts?: unknown;
            sf?: unknown;
            weight?: unknown;
          } | null;
          if (!s || s.sf === undefined) continue;
          const ts = Number(s.ts);
          const w = Number(s.weight ?? 1);
          samples.push({
            pid: String(s.pid ?? ''),
            tid: String(s.tid ?? ''),
            ts: Number.isFinite(ts) ? ts : 0,
            sf: String(s.sf),
            weight: Number.isFinite(w) ? w : 1,
          });
        }
    },
    onMember(key, value) {
      if (key === 'stackFrames' && value && typeof value === 'object')
        stackFrames = value as Record<string, { name?: unknown; parent?: unknown }>;
    },
  });
  if (r.unterminated?.ignoredBytes)
    b.warn(
      `the trace ends in the middle of an event (${r.unterminated.ignoredBytes} bytes ignored): a cut-off file?`,
    );
  if (badTs) b.warn(`${badTs} events without a numeric "ts" were ignored`);

  const trackName = (pid: string, tid: string): string => {
    const proc = processLabel.get(pid) ?? processName.get(pid);
    const th = threadName.get(`${pid}\u0000${tid}`)?.trim();
    return `${proc ? `${proc} (${pid})` : `process ${pid}`} › ${th || (/^-?\d+$/.test(tid) ? `thread ${tid}` : tid)}`;
  };
  const isGpu = (pid: string, tid: string): boolean =>
    /^GPU\b/.test(processLabel.get(pid) ?? '') ||
    /^stream\b/i.test(tid) ||
    /^stream\b/i.test(threadName.get(`${pid}\u0000${tid}`) ?? '');

  const usable = [...profiles.values()].filter((p) => p.acc.nodeCount > 0);
  if (usable.length || (samples.length && stackFrames)) {
    if (durationEvents)
      b.warn(
        `${durationEvents} duration events (B/E/X) were left out: the flame graph shows this trace's CPU profile samples`,
      );
    let unit: 'microseconds' | 'samples' = 'microseconds';
    const several = usable.length + (samples.length && stackFrames ? 1 : 0) > 1;
    for (const p of usable) {
      const name = `CPU profile: ${trackName(p.pid, p.tid)}`;
      const base = several ? topFrame(b, name) : b.root;
      unit = p.acc.finish(base, b.track(name, 'samples')).unit;
    }
    if (samples.length && stackFrames)
      unit = importStackFrameSamples(b, samples, stackFrames, trackName, several);
    return b.build({ format: 'chrome-trace', kind: 'cpu', unit, timeUnit: 'microseconds' });
  }

  const list = [...threads.values()].filter((t) => t.start.length || t.beTs.length);
  if (events === 0) throw new ProfileError('invalid', `${source.name}: the trace has no events`);
  if (!list.length)
    throw new ProfileError(
      'invalid',
      `${source.name}: the trace has ${events} events but no B/E/X duration events or CPU profile samples to show`,
    );
  if (profilerSpans)
    b.warn(`${profilerSpans} profiler recording-window spans (category "Trace") are not shown`);
  if (asyncEvents)
    b.warn(`${asyncEvents} async events (b/e/n) are not shown: only thread duration events are`);
  list.sort((x, y) => {
    const gx = isGpu(x.pid, x.tid) ? 1 : 0;
    const gy = isGpu(y.pid, y.tid) ? 1 : 0;
    return (
      gx - gy ||
      (processSort.get(x.pid) ?? 0) - (processSort.get(y.pid) ?? 0) ||
      cmp(x.pid, y.pid) ||
      (threadSort.get(`${x.pid}\u0000${x.tid}`) ?? 0) - (threadSort.get(`${y.pid}\u0000${y.tid}`) ?? 0) ||
      cmp(x.tid, y.tid)
    );
  });
  let clipped = 0;
  for (const t of list) {
    const name = trackName(t.pid, t.tid);
    resolveFrames(t.frame.raw, t.start.length);
    resolveFrames(t.beFrame.raw, t.beTs.length);
    matchBeginEnd(b, t);
    const track = b.track(name, isGpu(t.pid, t.tid) ? 'gpu' : 'thread');
    const r2 = intervalsToTrack(b, track, t.start.raw, t.end.raw, t.frame.raw, t.start.length, t.seq.raw);
    clipped += r2.clipped;
    trackToTree(b, track, list.length > 1 ? topFrame(b, name) : b.root);
  }
  if (clipped)
    b.warn(
      `${clipped} events started inside another event but ended after it: they were cut at their parent's end`,
    );
  return b.build({ format: 'chrome-trace', kind: 'trace', unit: 'microseconds', timeUnit: 'microseconds' });
}

function cmp(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function topFrame(b: FlameBuilder, name: string): number {
  const c = b.child(b.root, b.frame({ name, group: true }, `\u0001track\u0000${name}`));
  return c < 0 ? b.root : c;
}

/**
 * Pairs one thread's B and E events into intervals. Events are taken in time order, file order at
 * equal times. An E closes the innermost open B of the same name (or the innermost, when the E has
 * no name). At one timestamp, an E that matches the innermost open frame goes before one that does
 * not (tools write simultaneous ends in any order); an E whose name is open deeper closes the
 * frames above it too; an E matching nothing open waits for the B events of the same timestamp
 * (a zero-length call written end-first) and is dropped otherwise. B events never closed end at
 * the thread's last timestamp. Every repair is counted in a warning.
 */
function matchBeginEnd(b: FlameBuilder, t: ThreadEvents): void {
  const n = t.beTs.length;
  if (!n) return;
  const ts = t.beTs.raw;
  const kind = t.beKind.raw;
  const frame = t.beFrame.raw;
  const name = t.beName.raw;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => (ts[x] as number) - (ts[y] as number) || x - y);
  const open: number[] = []; // indexes of B events
  let forcedClose = 0;
  let dropped = 0;
  const close = (depth: number, at: number): void => {
    while (open.length > depth) {
      const bi = open.pop() as number;
      t.start.push(ts[bi] as number);
      t.end.push(at);
      t.frame.push(frame[bi] as number);
      t.seq.push(t.beSeq.get(bi));
    }
  };
  const matches = (ei: number, bi: number | undefined): boolean =>
    bi !== undefined && ((name[ei] as number) < 0 || name[ei] === name[bi]);
  /** Closes the frame E event ei names; false when nothing open matches. */
  const closeFor = (ei: number): boolean => {
    const at = ts[ei] as number;
    if (matches(ei, open[open.length - 1])) {
      close(open.length - 1, at);
      return true;
    }
    for (let d = open.length - 2; d >= 0; d--)
      if (matches(ei, open[d])) {
        forcedClose += open.length - 1 - d;
        close(d, at);
        return true;
      }
    return false;
  };
  let i = 0;
  while (i < n) {
    let j = i;
    const at = ts[order[i] as number] as number;
    while (j < n && ts[order[j] as number] === at) j++;
    const group = Array.from(order.subarray(i, j));
    const waiting: number[] = [];
    for (let k = 0; k < group.length; k++) {
      let ev = group[k] as number;
      if (kind[ev] === 1) {
        open.push(ev);
        continue;
      }
      const top = open[open.length - 1];
      if (!matches(ev, top))
        // a later E of this timestamp (before any B) that ends the innermost frame goes first
        for (let m = k + 1; m < group.length && kind[group[m] as number] === 0; m++)
          if (matches(group[m] as number, top)) {
            const other = group[m] as number;
            group[m] = ev;
            group[k] = other;
            ev = other;
            break;
          }
      if (!closeFor(ev)) waiting.push(ev);
    }
    for (const ev of waiting) if (!closeFor(ev)) dropped++;
    i = j;
  }
  const unclosed = open.length;
  close(0, t.lastTime);
  if (forcedClose)
    b.warn(`${forcedClose} events were still open when an enclosing E event closed: they end with it`);
  if (dropped) b.warn(`${dropped} E events matched no open B event and were ignored`);
  if (unclosed)
    b.warn(`${unclosed} B events were never closed: they end at the last timestamp of their thread`);
}

/** The JSON object format's "samples" + "stackFrames" (Hermes, some Chrome exports). */
function importStackFrameSamples(
  b: FlameBuilder,
  samples: SampleRec[],
  stackFrames: Record<string, { name?: unknown; parent?: unknown }>,
  trackName: (pid: string, tid: string) => string,
  several: boolean,
): 'samples' {
  const byThread = new Map<string, SampleRec[]>();
  for (const s of samples) {
    const key = `${s.pid}\u0000${s.tid}`;
    let l = byThread.get(key);
    if (!l) byThread.set(key, (l = []));
    l.push(s);
  }
  const multi = several || byThread.size > 1;
  let unknown = 0;
  for (const list of byThread.values()) {
    const first = list[0] as SampleRec;
    const name = trackName(first.pid, first.tid);
    const base = multi ? topFrame(b, name) : b.root;
    const memo = new Map<string, number>();
    const nodeOf = (sf: string): number => {
      const hit = memo.get(sf);
      if (hit !== undefined) return hit;
      const chain: string[] = [];
      for (let id: string | undefined = sf; id !== undefined && chain.length <= b.limits.maxDepth;) {
        if (memo.has(id)) break;
        const fr: { name?: unknown; parent?: unknown } | undefined = stackFrames[id];
        if (!fr) {
          if (id === sf) unknown++;
          break;
        }
        chain.push(id);
        id = fr.parent === undefined || fr.parent === null ? undefined : String(fr.parent);
      }
      const last = chain[chain.length - 1];
      const above = last !== undefined ? stackFrames[last]?.parent : undefined;
      let node =
        above !== undefined && above !== null && memo.has(String(above))
          ? (memo.get(String(above)) as number)
          : base;
      for (let k = chain.length - 1; k >= 0; k--) {
        const id = chain[k] as string;
        const text = String(stackFrames[id]?.name ?? '(unnamed)');
        const c = b.child(node, b.frame(parseFrameText(text), `\u0001sf\u0000${text}`));
        if (c >= 0) node = c;
        memo.set(id, node);
      }
      memo.set(sf, node);
      return node;
    };
    list.sort((x, y) => x.ts - y.ts);
    const leaves = new Int32Array(list.length);
    const times = new Float64Array(list.length);
    list.forEach((s, i) => {
      const leaf = nodeOf(s.sf);
      b.addSelf(leaf, s.weight);
      leaves[i] = leaf;
      times[i] = s.ts;
    });
    const track: TrackBuilder = b.track(name, 'samples');
    samplesToTrack(b, track, base, leaves, times, list.length, times[list.length - 1] ?? 0);
  }
  if (unknown) b.warn(`${unknown} samples name a stack frame that is not in "stackFrames"`);
  return 'samples';
}
