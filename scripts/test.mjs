// `npm test` runs every tier in order: unit (plain Node), integration (inside a real VS Code
// extension host) and e2e (a real VS Code in Chromium). `npm test -- unit` (or integration, e2e)
// runs one tier. Each tier prints its own summary; this script exits non-zero if any tier failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, statSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const tiers = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = tiers.length ? tiers : ['unit', 'integration', 'e2e'];

function find(dir, suffix, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, suffix, out);
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
}

mkdirSync('test-results', { recursive: true });
/** Each tier leaves `test-results/<tier>.json` = { passed, failed, skipped } for the closing line. */
function counts(tier) {
  const f = join('test-results', `${tier}.json`);
  if (!existsSync(f)) return null;
  return JSON.parse(readFileSync(f, 'utf8'));
}

const results = {};
const seconds = {};
for (const tier of wanted) {
  const tierStart = Date.now();
  if (tier === 'unit') {
    const files = ['src', 'test', 'webview', 'bench'].flatMap((d) => find(d, '.unit.test.ts')).sort();
    const tap = join('test-results', 'unit.tap');
    rmSync(join('test-results', 'unit.json'), { force: true });
    results.unit = run(process.execPath, [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ]);
    const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
    const n = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    writeFileSync(
      join('test-results', 'unit.json'),
      JSON.stringify({ passed: n('pass'), failed: n('fail'), skipped: n('skipped') }),
    );
  } else if (tier === 'integration' || tier === 'e2e') {
    rmSync(join('test-results', `${tier}.json`), { force: true });
    results[tier] = run(process.execPath, [`test/harness/${tier}.mjs`]);
  } else {
    console.error(`unknown test tier "${tier}": use unit, integration or e2e`);
    process.exit(2);
  }
  seconds[tier] = ((Date.now() - tierStart) / 1000).toFixed(1);
}
const total = { passed: 0, failed: 0, skipped: 0 };
for (const tier of Object.keys(results)) {
  const c = counts(tier);
  if (!c) {
    console.log(`${tier}: no result summary written (the tier did not finish)`);
    total.failed += 1;
    results[tier] = false;
    continue;
  }
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
}
console.log(
  '\ntiers: ' +
    Object.entries(results)
      .map(([k, ok]) => `${k} ${ok ? 'passed' : 'FAILED'} (${seconds[k]} s)`)
      .join(', '),
);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(Object.values(results).every(Boolean) ? 0 : 1);
