import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanFailures } from './failures';
import { gpuCapture, sharedFixture } from './fixtures/load';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

test('CUDA out of memory (real PyTorch 2.11 message): tried / total / free / in use / reserved', () => {
  const [f, ...rest] = scanFailures(sharedFixture('gpu', 'torch.cuda-oom.txt'));
  assert.equal(rest.length, 0);
  assert.equal(f?.kind, 'cuda-oom');
  assert.deepEqual(f?.figures, {
    triedBytes: 400 * GiB,
    gpu: 0,
    totalBytes: 139.8 * GiB,
    freeBytes: 138.79 * GiB,
    processBytes: 1.01 * GiB,
    allocatedBytes: 297.06 * MiB,
    reservedUnallocatedBytes: 56.94 * MiB,
    occurrences: 1,
  });
  assert.match(f?.summary ?? '', /tried to allocate 400 GiB with 138\.8 GiB free of 139\.8 GiB/);
});

test('CUDA out of memory, the pre-2.1 wording', () => {
  const [f] = scanFailures(
    'RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 15.78 GiB total capacity; 14.56 GiB already allocated; 11.19 MiB free; 14.71 GiB reserved in total by PyTorch)',
  );
  assert.equal(f?.figures['triedBytes'], 20 * MiB);
  assert.equal(f?.figures['reservedBytes'], 14.71 * GiB);
  assert.equal(f?.figures['freeBytes'], 11.19 * MiB);
});

test('torch.load: corrupt, empty and missing checkpoints from the real captures; a good load is clean', () => {
  const kinds = (name: string): string[] => scanFailures(gpuCapture(name).output).map((f) => f.kind);
  assert.deepEqual(kinds('torch.load.corrupt.txt'), ['checkpoint-corrupt']);
  assert.deepEqual(kinds('torch.load.empty.txt'), ['checkpoint-empty']);
  assert.deepEqual(kinds('torch.load.missing.txt'), ['checkpoint-missing']);
  assert.deepEqual(kinds('torch.load.good.txt'), []);
  const missing = scanFailures(gpuCapture('torch.load.missing.txt').output)[0];
  assert.equal(missing?.figures['path'], '/tmp/nope.pth');
  assert.equal(missing?.line, 12);
  // An EOFError or a missing file outside torch.load is not a checkpoint problem.
  assert.deepEqual(scanFailures('Traceback (most recent call last):\n  File "x.py", line 1\nEOFError\n'), []);
  assert.deepEqual(
    scanFailures("FileNotFoundError: [Errno 2] No such file or directory: 'config.yaml'\n"),
    [],
  );
});

test('database connections: too many, refused (with host and port)', () => {
  const pg = scanFailures(
    'psql: error: connection to server at "db.internal" (10.0.0.5), port 5432 failed: FATAL:  sorry, too many clients already\n',
  );
  assert.deepEqual(
    pg.map((f) => f.kind),
    ['too-many-connections'],
  );
  assert.deepEqual(
    scanFailures('ERROR 1040 (HY000): Too many connections').map((f) => f.kind),
    ['too-many-connections'],
  );
  const refused = scanFailures(
    'psql: error: connection to server at "localhost" (127.0.0.1), port 5433 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n',
  );
  assert.equal(refused[0]?.kind, 'connection-refused');
  assert.equal(refused[0]?.figures['host'], 'localhost');
  assert.equal(refused[0]?.figures['port'], 5433);
  const curl = scanFailures(
    "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\ncurl: (7) Failed to connect to api port 80: Connection refused",
  );
  assert.equal(curl[0]?.figures['port'], 80);
  const node = scanFailures('Error: connect ECONNREFUSED 127.0.0.1:6379');
  assert.equal(node[0]?.figures['port'], 6379);
});

test('OOMKilled and Java OutOfMemoryError', () => {
  assert.deepEqual(
    scanFailures(
      '    State:          Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n',
    ).map((f) => f.kind),
    ['oom-killed'],
  );
  assert.deepEqual(
    scanFailures('"OOMKilled": false,').map((f) => f.kind),
    [],
  );
  const j = scanFailures(
    'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n\tat Main.main(Main.java:5)\n',
  );
  assert.equal(j[0]?.kind, 'java-oom');
  assert.equal(j[0]?.figures['space'], 'Java heap space');
});

test('repeated failures are counted once with occurrences; huge and binary-ish input is fine', () => {
  const text = Array.from({ length: 50 }, () => 'FATAL:  sorry, too many clients already').join('\n');
  const [f] = scanFailures(text);
  assert.equal(f?.figures['occurrences'], 50);
  const big = 'x'.repeat(200) + '\n';
  const huge = big.repeat(60000) + 'java.lang.OutOfMemoryError: Metaspace\n';
  const [j] = scanFailures(huge);
  assert.equal(j?.kind, 'java-oom');
  assert.equal(j?.line, 60001);
  assert.deepEqual(scanFailures('\u0000\u0001\uffff'), []);
});
