// V8 .cpuprofile (Chrome DevTools, `node --cpu-prof`): the `nodes[]` form, streamed, and the old
// `head` tree form. Weights are the time between samples, in microseconds.
import type { FlameProfile } from '../model';
import type { ImportContext } from './context';
import { ProfileError } from './errors';
import { readJson } from './json-stream';
import { V8ProfileAccumulator } from './v8-profile';

const STREAMED = new Set(['nodes', 'samples', 'timeDeltas', 'timestamps']);

export async function importCpuProfile({ source, b, opts }: ImportContext): Promise<FlameProfile> {
  const acc = new V8ProfileAccumulator(b);
  let badNumbers = 0;
  const pushNumbers = (into: number[], items: unknown[]): void => {
    for (const x of items) {
      if (typeof x === 'number') into.push(x);
      else badNumbers++;
    }
  };
  const r = await readJson(source, {
    what: source.name,
    streamKeys: STREAMED,
    maxMemberBytes: opts.maxMemberBytes,
    wholeBelow: opts.wholeJsonBelow,
    onElements(key, items) {
      if (key === 'nodes') for (const n of items) acc.addNode(n);
      else if (key === 'samples') pushNumbers(acc.samples, items);
      else if (key === 'timeDeltas') pushNumbers(acc.deltas, items);
      else if (key === 'timestamps') pushNumbers(acc.timestamps, items);
    },
    onMember(key, value) {
      if (key === 'startTime' && typeof value === 'number') acc.startTime = value;
      else if (key === 'endTime' && typeof value === 'number') acc.endTime = value;
      else if (key === 'head') acc.addTree(value);
    },
  });
  if (r.root !== 'object')
    throw new ProfileError('invalid', `${source.name}: a .cpuprofile is a JSON object`);
  if (acc.nodeCount === 0)
    throw new ProfileError('invalid', `${source.name}: no profile nodes (neither "nodes" nor "head")`);
  if (badNumbers) b.warn(`${badNumbers} non-numeric entries in samples/timeDeltas were ignored`);
  const { unit } = acc.finish(b.root, b.track('CPU profile', 'samples'));
  return b.build({ format: 'cpuprofile', kind: 'cpu', unit, timeUnit: 'microseconds' });
}
