import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { assess, stepCheckOptions } from './assess';
import { causeItemsFromRunbook } from './diagnose';
import { parseRunbook } from '../runbook/parse';
import { allSteps } from '../runbook/model';
import { gpuCapture } from '../recognize/fixtures/load';

const seed = readFileSync(
  resolve(__dirname, '..', '..', '..', '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt'),
  'utf8',
);
const runbook = parseRunbook(seed);
const causes = causeItemsFromRunbook(runbook);

test("the seed's torch.load step on a corrupt checkpoint: critical, pointing at model file corruption", () => {
  const step = allSteps(runbook).find((s) => s.commands.some((c) => c.text.includes('torch.load')));
  assert.ok(step, 'the seed has the torch.load step');
  const cap = gpuCapture('torch.load.corrupt.txt');
  const a = assess(step.commands[0]?.text ?? '', cap.output, { ...stepCheckOptions(step), causes });
  assert.equal(a.recognizer, 'failures');
  assert.equal(a.level, 'critical');
  assert.deepEqual(a.findings[0]?.causes.map((c) => c.text).slice(0, 2), [
    'Model file corruption or version mismatch',
    'Implement model health checks and automatic reloading',
  ]);
  // The result is plain JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a);
});

test("the seed's nvidia-smi step, busy GPU: ok, no causes; unrecognized output: null recognizer, ok", () => {
  const step = allSteps(runbook).find((s) => s.commands.some((c) => c.text.trim() === 'nvidia-smi'));
  assert.ok(step);
  const a = assess('nvidia-smi', gpuCapture('nvidia-smi.busy.txt').output, {
    ...stepCheckOptions(step),
    causes,
  });
  assert.equal(a.recognizer, 'nvidia-smi');
  assert.equal(a.level, 'ok');
  assert.ok(a.findings.every((f) => f.causes.length === 0));
  const none = assess('echo hi', 'hi\n', { causes });
  assert.deepEqual([none.recognizer, none.data, none.level, none.findings], [null, null, 'ok', []]);
});

test('an author cause= annotation wins over term matching', () => {
  const a = assess(
    'nvidia-smi',
    gpuCapture('nvidia-smi.busy.txt').output.replace('41843MiB / 143771MiB', '143000MiB / 143771MiB'),
    {
      causes,
      cause: 'Large model loading times',
    },
  );
  assert.equal(a.level, 'critical');
  const f = a.findings.find((x) => x.level === 'critical');
  assert.deepEqual(f?.causes, [
    {
      text: 'Large model loading times → Cache models in memory or use model serving infrastructure',
      section: 'Common Causes and Fixes',
      line: 21,
      by: 'annotation',
    },
  ]);
});
