// pprof profile.proto (Go, the Node/Python pprof agents, `perf_to_profile`), usually gzipped:
// decoded by the maintained `pprof-format` package, whole, under the size limit. Frames are
// functions (a location's inlined lines become their own frames, outermost first); the weight is
// one of the file's sample types: the one asked for, else the file's default, else the last.
import { Profile } from 'pprof-format';
import type { FlameProfile, FlameUnit } from '../model';
import type { ImportContext } from './context';
import { ProfileError } from './errors';
import { packageOf } from './frame-name';
import { readAll } from './source';

type Numeric = number | bigint;
const num = (v: Numeric | undefined): number => (v === undefined ? 0 : Number(v));

export async function importPprof({ source, b, opts }: ImportContext): Promise<FlameProfile> {
  const bytes = await readAll(source, opts.maxWholeBytes, 'a pprof profile');
  let p: Profile;
  try {
    p = Profile.decode(bytes);
  } catch (err) {
    throw new ProfileError(
      'invalid',
      `${source.name}: not a valid pprof profile (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const strings = p.stringTable.strings;
  // The decoder stops quietly at the end of the data: a cut file shows as references to strings,
  // functions or locations that are not there, which a valid profile never has.
  let dangling = 0;
  const str = (i: Numeric | undefined): string => {
    const v = strings[num(i)];
    if (v === undefined) dangling++;
    return v ?? '';
  };
  const types = p.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }));
  if (!types.length)
    throw new ProfileError('invalid', `${source.name}: the pprof profile declares no sample types`);
  const listed = types.map((t) => `${t.type}/${t.unit}`).join(', ');
  let which: number;
  if (opts.sampleType) {
    which = types.findIndex((t) => t.type === opts.sampleType);
    if (which < 0)
      throw new ProfileError(
        'invalid',
        `${source.name}: no sample type "${opts.sampleType}" (the file has ${listed})`,
      );
  } else {
    const def = str(p.defaultSampleType);
    which = def ? types.findIndex((t) => t.type === def) : -1;
    if (which < 0) which = types.length - 1;
  }
  const chosen = types[which] as { type: string; unit: string };

  const functions = new Map<number, { name: string; file: string; start: number }>();
  for (const f of p.function)
    functions.set(num(f.id), {
      name: str(f.name) || str(f.systemName),
      file: str(f.filename),
      start: num(f.startLine),
    });
  const mappings = new Map<number, string>();
  for (const m of p.mapping) mappings.set(num(m.id), str(m.filename));
  const frameOfFunction = (fid: number, line: number): number => {
    const fn = functions.get(fid);
    if (!fn) dangling++;
    const name = fn?.name || `function ${fid}`;
    const file = fn?.file || undefined;
    return b.frame(
      // Go-style qualified names ("runtime.main") say the package better than the file's folder
      { name, file, line: fn?.start || line, pkg: packageOf(name) ?? packageOf(name, file) },
      `${name}\u0000${file ?? ''}`,
    );
  };
  // Each location as frames, outermost first (its lines are listed innermost first).
  const locations = new Map<number, number[]>();
  for (const loc of p.location) {
    const frames: number[] = [];
    for (let i = loc.line.length - 1; i >= 0; i--) {
      const l = loc.line[i];
      if (l) frames.push(frameOfFunction(num(l.functionId), num(l.line)));
    }
    if (!frames.length) {
      const dso = mappings.get(num(loc.mappingId));
      const name = `0x${BigInt(loc.address).toString(16)}`;
      frames.push(
        b.frame(
          { name, pkg: dso ? packageOf(name, undefined, dso) : undefined },
          `\u0001addr\u0000${name}\u0000${dso ?? ''}`,
        ),
      );
    }
    locations.set(num(loc.id), frames);
  }
  const stack: number[] = [];
  for (const s of p.sample) {
    stack.length = 0;
    for (let i = s.locationId.length - 1; i >= 0; i--) {
      const frames = locations.get(num(s.locationId[i]));
      if (frames) for (const f of frames) stack.push(f);
      else dangling++;
    }
    b.addStack(stack, 0, stack.length, num(s.value[which]));
  }
  if (dangling)
    throw new ProfileError(
      'invalid',
      `${source.name}: the pprof profile refers ${dangling} times to strings, functions or locations it does not contain (a truncated or corrupt file)`,
    );
  const unit = unitOf(chosen.type, chosen.unit);
  const kind = unit === 'bytes' || /alloc|inuse|space|objects|heap/i.test(chosen.type) ? 'allocation' : 'cpu';
  return b.build({
    format: 'pprof',
    kind,
    unit,
    name: types.length > 1 ? `${chosen.type} (of ${listed})` : chosen.type,
  });
}

function unitOf(type: string, unit: string): FlameUnit {
  switch (unit) {
    case 'nanoseconds':
    case 'microseconds':
    case 'milliseconds':
    case 'seconds':
    case 'bytes':
      return unit;
    case 'count':
      return type === 'samples' ? 'samples' : 'count';
    default:
      return 'count';
  }
}
