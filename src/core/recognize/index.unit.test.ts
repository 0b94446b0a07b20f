// The dispatcher: every sample goes to its own recognizer, by command and by sniffing alone; no
// recognizer claims another tool's output; unrecognized output stays plain text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRecognizers, recognize } from './index';
import { gpuCapture, localFixture, sharedDir, sharedFixture } from './fixtures/load';

const pev2 = (...p: string[]): string =>
  readFileSync(
    join(sharedDir, 'fixtures', 'public', 'dalibo-pev2', 'src', 'services', '__tests__', ...p),
    'utf8',
  );

/** [command, output, kind] */
const SAMPLES: [string, string, string][] = [
  ['kubectl top pods', localFixture('kubectl-top-pods.txt'), 'kubectl-top-pods'],
  ['kubectl top pods -A --containers', localFixture('kubectl-top-pods-containers-A.txt'), 'kubectl-top-pods'],
  ['kubectl top nodes', localFixture('kubectl-top-nodes.txt'), 'kubectl-top-nodes'],
  ['kubectl get pods -A -o wide', localFixture('kubectl-get-pods-A-wide.txt'), 'kubectl-get-pods'],
  ['docker stats --no-stream', localFixture('docker-stats.txt'), 'docker-stats'],
  ['nvidia-smi', gpuCapture('nvidia-smi.busy.txt').output, 'nvidia-smi'],
  ['nvidia-smi -q -x', sharedFixture('gpu', 'nvidia-smi.q.busy.xml'), 'nvidia-smi-xml'],
  [
    gpuCapture('nvidia-smi.query-gpu.busy.csv.txt').command,
    gpuCapture('nvidia-smi.query-gpu.busy.csv.txt').output,
    'nvidia-smi-query-gpu',
  ],
  [
    gpuCapture('nvidia-smi.dmon.busy.txt').command,
    gpuCapture('nvidia-smi.dmon.busy.txt').output,
    'nvidia-smi-dmon',
  ],
  [
    'python -c "print(torch.cuda.memory_summary())"',
    sharedFixture('gpu', 'torch.memory_summary.txt'),
    'torch-memory-summary',
  ],
  ['psql -c "EXPLAIN ANALYZE ..."', pev2('from-text', '19-plan'), 'explain'],
  [
    'psql -c "EXPLAIN (FORMAT JSON) ..."',
    pev2('11-psql-frames', 'json-1-aligned-unicode-double-double-double.plan'),
    'explain',
  ],
  [gpuCapture('torch.load.corrupt.txt').command, gpuCapture('torch.load.corrupt.txt').output, 'failures'],
  ['python train.py', sharedFixture('gpu', 'torch.cuda-oom.txt'), 'failures'],
];

test('each sample is recognized by its own recognizer, with and without the command', () => {
  for (const [command, output, kind] of SAMPLES) {
    assert.equal(recognize(command, output)?.kind, kind, command);
    assert.equal(recognize('', output)?.kind, kind, `${command} (sniffed)`);
  }
});

test("no recognizer claims another tool's output", () => {
  for (const [command, output, kind] of SAMPLES) {
    for (const r of allRecognizers()) {
      if (r.kind === kind) continue;
      // Sniffing without the command: only the sample's own recognizer may answer.
      assert.equal(r.parse(output, ''), null, `${r.kind} parsed the ${kind} sample (${command})`);
    }
  }
});

test('plain text, empty output and unknown rows stay unrecognized; a known failure alone is reported', () => {
  for (const text of [
    '',
    '\n\n',
    'hello world\n',
    'Everything is fine.\n',
    gpuCapture('nvidia-smi.L.txt').output,
    gpuCapture('torch.load.good.txt').output,
  ]) {
    assert.equal(recognize('echo', text), null, JSON.stringify(text.slice(0, 40)));
  }
  assert.equal(recognize('SELECT 1', { columns: ['?column?'], rows: [[1]] }), null);
  const f = recognize(
    'curl http://localhost:8080/health',
    'curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused\n',
  );
  assert.equal(f?.kind, 'failures');
  assert.equal(f?.failures[0]?.kind, 'connection-refused');
});

test('a recognized output also carries the known failures in it', () => {
  const r = recognize('kubectl get pods', localFixture('kubectl-get-pods.txt'));
  assert.equal(r?.kind, 'kubectl-get-pods');
  assert.deepEqual(
    r?.failures.map((f) => f.kind),
    ['oom-killed'],
  );
});

test('property: recognize never throws, whatever the text or rows', () => {
  const seeds = SAMPLES.map(([, o]) => o);
  fc.assert(
    fc.property(
      fc.constantFrom(...seeds),
      fc.nat(),
      fc.nat(),
      fc.string({ maxLength: 20 }),
      (text, a, b, junk) => {
        const i = a % (text.length + 1);
        const j = Math.min(text.length, i + (b % 200));
        // Cut, splice junk into, or drop a slice of a real output.
        recognize('', text.slice(0, i) + junk + text.slice(j));
        recognize('', text.slice(i));
      },
    ),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(
      fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 }),
      fc.array(fc.array(fc.anything(), { maxLength: 5 }), { maxLength: 5 }),
      (columns, rows) => {
        recognize('SELECT * FROM pg_stat_activity', { columns, rows });
        recognize('EXPLAIN SELECT 1', { columns, rows });
      },
    ),
    { numRuns: 300 },
  );
});
