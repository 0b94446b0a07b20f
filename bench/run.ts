// `npm run bench [-- FILTER]`: runs every bench/*.bench.ts (or those whose file name has FILTER) and prints one line per measure:
//   name: ratio x (subject ms vs baseline ms), goal
// Results also go to bench/results/latest.json.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runMeasure, type Measure, type MeasureResult } from './harness';

const filter = process.argv[2];
const dir = __dirname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
// A filter that names bench files loads only those (their setup may start a browser or a JVM);
// otherwise every file loads and the filter picks measures by name.
const byFile = filter ? all.filter((f) => f.includes(filter)) : [];
const files = byFile.length ? byFile : all;
async function main(): Promise<void> {
  const results: MeasureResult[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as {
      default: Measure[] | (() => Promise<Measure[]>);
    };
    const measures = typeof mod.default === 'function' ? await mod.default() : mod.default;
    for (const m of measures) {
      if (filter && !byFile.length && !m.name.includes(filter)) continue;
      const r = await runMeasure(m);
      results.push(r);
      const goal =
        r.goal !== undefined ? `, goal <= ${r.goal}x ${r.ratio <= r.goal ? 'met' : 'NOT MET'}` : '';
      console.log(
        `${r.name}: ${r.ratio.toFixed(2)}x ${r.baseline} (${r.subjectMs.toFixed(1)} ms ${r.subject} vs ${r.baselineMs.toFixed(1)} ms${goal})`,
      );
    }
  }
  mkdirSync(join(dir, 'results'), { recursive: true });
  writeFileSync(join(dir, 'results', 'latest.json'), JSON.stringify(results, null, 2));
  if (!results.length)
    console.log(filter ? `no measure matches "${filter}"` : 'no measures found in bench/*.bench.ts');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
