// speedscope's file format (https://www.speedscope.app/file-format-schema.json): shared frames and
// one or more profiles, "sampled" (stacks of frame indexes with weights, in time order) or
// "evented" (open/close events at times). Parsed whole, with a size limit. Several profiles with
// the same unit are merged under one top frame each; each also becomes a track. Invalid files
// (events that do not nest, out of order, never closed) are refused with the exact event.
import type { FlameProfile, FlameUnit } from '../model';
import { ProfileError } from './errors';
import type { ImportContext } from './context';
import { packageOf } from './frame-name';
import { readAll } from './source';
import { samplesToTrack } from './timeline';

const UNITS: Record<string, FlameUnit> = {
  none: 'count',
  nanoseconds: 'nanoseconds',
  microseconds: 'microseconds',
  milliseconds: 'milliseconds',
  seconds: 'seconds',
  bytes: 'bytes',
};

interface SsFrame {
  name?: unknown;
  file?: unknown;
  line?: unknown;
  col?: unknown;
}
interface SsProfile {
  type?: unknown;
  name?: unknown;
  unit?: unknown;
  startValue?: unknown;
  endValue?: unknown;
  samples?: unknown;
  weights?: unknown;
  events?: unknown;
}

export async function importSpeedscope({ source, b, opts }: ImportContext): Promise<FlameProfile> {
  const bytes = await readAll(source, opts.maxWholeBytes, 'speedscope JSON');
  let doc: {
    shared?: { frames?: unknown };
    profiles?: unknown;
    name?: unknown;
    activeProfileIndex?: unknown;
  };
  try {
    doc = JSON.parse(bytes.toString('utf8')) as typeof doc;
  } catch (err) {
    throw new ProfileError('invalid', `${source.name}: not valid JSON (${(err as Error).message})`);
  }
  const bad = (why: string): ProfileError =>
    new ProfileError('invalid', `${source.name}: invalid speedscope file: ${why}`);
  const rawFrames = doc?.shared?.frames;
  if (!Array.isArray(rawFrames)) throw bad('"shared.frames" is missing or not an array');
  if (!Array.isArray(doc.profiles) || doc.profiles.length === 0) throw bad('"profiles" is missing or empty');
  const frames = new Int32Array(rawFrames.length);
  rawFrames.forEach((fr: SsFrame, i) => {
    if (!fr || typeof fr.name !== 'string') throw bad(`frame ${i} has no name`);
    const file = typeof fr.file === 'string' && fr.file ? fr.file : undefined;
    frames[i] = b.frame({
      name: fr.name,
      file,
      line: typeof fr.line === 'number' ? fr.line : 0,
      column: typeof fr.col === 'number' ? fr.col : 0,
      pkg: packageOf(fr.name, file),
    });
  });

  const frameAt = (idx: unknown, label: string, where: string): number => {
    if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx >= frames.length)
      throw bad(
        `${label}: ${where} refers to frame ${JSON.stringify(idx)}, but there are ${frames.length} frames`,
      );
    return frames[idx] as number;
  };
  const profiles = doc.profiles as SsProfile[];
  const active = typeof doc.activeProfileIndex === 'number' ? doc.activeProfileIndex : 0;
  const first = profiles[active] ?? profiles[0];
  const unit = UNITS[String(first?.unit)];
  if (!unit) throw bad(`profile ${active} has unknown unit ${JSON.stringify(first?.unit)}`);
  const several = profiles.length > 1;
  let allEvented = true;
  profiles.forEach((p, pi) => {
    const label = `profile ${pi}${typeof p?.name === 'string' ? ` ("${p.name}")` : ''}`;
    if (!p || typeof p !== 'object') throw bad(`${label} is not an object`);
    if (UNITS[String(p.unit)] !== unit) {
      b.warn(`${label} is in ${String(p.unit)}, not ${unit} like profile ${active}: left out`);
      return;
    }
    const name = typeof p.name === 'string' && p.name ? p.name : `profile ${pi}`;
    const base = several
      ? b.child(b.root, b.frame({ name, group: true }, `\u0001profile\u0000${pi}`))
      : b.root;
    const track = b.track(name, 'samples');
    if (p.type === 'sampled') {
      allEvented = false;
      if (!Array.isArray(p.samples) || !Array.isArray(p.weights))
        throw bad(`${label}: sampled, without samples and weights`);
      if (p.samples.length !== p.weights.length)
        throw bad(`${label}: ${p.samples.length} samples but ${p.weights.length} weights`);
      const n = p.samples.length;
      const leaves = new Int32Array(n);
      const times = new Float64Array(n);
      let t = typeof p.startValue === 'number' ? p.startValue : 0;
      const stack: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = p.samples[i] as unknown;
        const w = p.weights[i] as unknown;
        if (!Array.isArray(s)) throw bad(`${label}: sample ${i} is not an array of frame indexes`);
        if (typeof w !== 'number' || !Number.isFinite(w)) throw bad(`${label}: weight ${i} is not a number`);
        stack.length = 0;
        for (const idx of s) stack.push(frameAt(idx, label, `sample ${i}`));
        leaves[i] = b.addStack(stack, 0, stack.length, w, base);
        times[i] = t;
        t += w;
      }
      samplesToTrack(b, track, base, leaves, times, n, t);
    } else if (p.type === 'evented') {
      importEvents(p, label, base, track);
    } else throw bad(`${label} has type ${JSON.stringify(p.type)}; expected "sampled" or "evented"`);
  });
  return b.build({
    format: 'speedscope',
    kind: allEvented ? 'trace' : 'cpu',
    unit,
    name: typeof doc.name === 'string' ? doc.name : undefined,
  });

  function importEvents(p: SsProfile, label: string, base: number, track: ReturnType<typeof b.track>): void {
    if (!Array.isArray(p.events)) throw bad(`${label}: evented, without events`);
    const open: Array<{
      frame: number;
      index: number;
      at: number;
      node: number;
      childTime: number;
      ev: number;
    }> = [];
    let last = -Infinity;
    const events = p.events as Array<{ type?: unknown; frame?: unknown; at?: unknown }>;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (!e || typeof e.at !== 'number' || !Number.isFinite(e.at))
        throw bad(`${label}: event ${i} has no numeric "at"`);
      if (e.at < last)
        throw bad(`${label}: events out of order: event ${i} at ${e.at} comes after an event at ${last}`);
      last = e.at;
      const frame = frameAt(e.frame, label, `event ${i}`);
      const fname = (idx: number): string => `${idx} (${b.frameNameOf(frames[idx] as number)})`;
      if (e.type === 'O') {
        const parent = open.length ? (open[open.length - 1] as (typeof open)[number]).node : base;
        const c = b.child(parent, frame);
        const ev = track.push(e.at, e.at, open.length, frame);
        open.push({ frame, index: e.frame as number, at: e.at, node: c < 0 ? parent : c, childTime: 0, ev });
      } else if (e.type === 'C') {
        const top = open[open.length - 1];
        if (!top)
          throw bad(
            `${label}: event ${i} closes frame ${fname(e.frame as number)} at ${e.at}, but no frame is open`,
          );
        if (top.frame !== frame)
          throw bad(
            `${label}: event ${i} closes frame ${fname(e.frame as number)} at ${e.at}, but the innermost open frame is ${fname(top.index)} (opened at ${top.at})`,
          );
        open.pop();
        const dur = e.at - top.at;
        b.addSelf(top.node, dur - top.childTime);
        if (top.ev >= 0) track.end.set(top.ev, e.at);
        const parent = open[open.length - 1];
        if (parent) parent.childTime += dur;
      } else throw bad(`${label}: event ${i} has type ${JSON.stringify(e.type)}; expected "O" or "C"`);
    }
    const unclosed = open[open.length - 1];
    if (unclosed)
      throw bad(
        `${label}: frame ${unclosed.index} (${b.frameNameOf(unclosed.frame)}) opened at ${unclosed.at} is never closed`,
      );
  }
}
