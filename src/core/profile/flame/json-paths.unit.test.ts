// JSON profiles take one of two paths: parsed whole (small files) or streamed (large ones, gzip).
// Both must give exactly the same model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { importProfile } from './import';
import { FIXTURES, SPEEDSCOPE } from './test-support';

const FILES = [
  resolve(SPEEDSCOPE, 'Chrome/65/simple.cpuprofile'),
  resolve(SPEEDSCOPE, 'Chrome/65/sucrase.cpuprofile'),
  resolve(SPEEDSCOPE, 'node/10.11.0/example.cpuprofile'),
  resolve(SPEEDSCOPE, 'Chrome/69/Heap-20181005T144546.heapprofile'),
  resolve(SPEEDSCOPE, 'Chrome/116/Trace-20230603T221323.json'),
  resolve(SPEEDSCOPE, 'trace-event/simple-partial-trailing-comma.json'),
  resolve(SPEEDSCOPE, 'trace-event/multi-thread-with-samples.json'),
  resolve(SPEEDSCOPE, 'trace-event/zero-duration-events.json'),
  resolve(FIXTURES, 'gpu/torch.profiler.trace.json'),
];

test('streamed and whole-parsed JSON give the same profile', async () => {
  for (const path of FILES) {
    const whole = await importProfile({ path });
    const streamed = await importProfile({ path }, { wholeJsonBelow: 0 });
    assert.deepEqual(streamed, whole, path);
  }
});
