// ApacheBench against a local HTTP server whose answers are known: every 10th request is a 500 and
// every 20th is slow. Skips when `ab` (apache2-utils) is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { recognize } from './index';
import { parseApacheBench, type ApacheBench } from './apache-bench';
import { evaluate } from '../check/evaluate';

const run = promisify(execFile);
const hasAb = !spawnSync('ab', ['-V'], { stdio: 'ignore' }).error;

test("ab: percentiles, non-2xx answers, and the seed's error-rate and P95 checks", async (t) => {
  if (!hasAb) return t.skip('ab not installed (apt-get install apache2-utils)');
  let n = 0;
  const server = createServer((_req, res) => {
    const i = n++;
    setTimeout(
      () => {
        res.statusCode = i % 10 === 0 ? 500 : 200;
        res.end('ok');
      },
      i % 20 === 0 ? 40 : 0,
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const { stdout } = await run('ab', ['-n', '200', '-c', '5', `http://127.0.0.1:${port}/`], {
      timeout: 60_000,
    });
    const r = recognize(`ab -n 200 -c 5 http://127.0.0.1:${port}/`, stdout);
    assert.equal(r?.kind, 'apache-bench');
    const d = r?.data as ApacheBench;
    assert.equal(d.complete, 200);
    assert.equal(d.non2xx, 20);
    assert.deepEqual(Object.keys(d.percentilesMs).map(Number), [50, 66, 75, 80, 90, 95, 98, 99, 100]);
    assert.ok((d.percentilesMs[100] ?? 0) >= 40, 'the slow answers are the longest');
    const e = evaluate(r);
    const err = e.findings.find((f) => f.metric === 'http.error_rate_pct');
    assert.equal(err?.message, `127.0.0.1:${port}/ error rate 10% > 5% (critical)`);
    const p95 = e.findings.find((f) => f.metric === 'http.latency_p95');
    assert.equal(p95?.level, 'ok');
    assert.match(p95?.message ?? '', / P95 latency [\d.]+ ms ≤ 2 s \(ok\)$/);
    const strict = evaluate(r, { expect: ['http.latency_p95 > 1ms: warning, > 1s: critical'] });
    assert.equal(strict.findings.find((f) => f.metric === 'http.latency_p95')?.level, 'warning');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('ab output cut short, and not ab at all', () => {
  assert.equal(
    parseApacheBench('This is ApacheBench, Version 2.3\napr_socket_connect(): Connection refused (111)\n'),
    null,
  );
  assert.equal(
    recognize('ab -n 10 http://127.0.0.1:9/', 'apr_socket_connect(): Connection refused (111)\n')?.kind,
    'failures',
  );
  const partial = parseApacheBench('Complete requests:      10\nFailed requests:        10\n');
  assert.equal(partial?.failed, 10);
  assert.deepEqual(partial?.percentilesMs, {});
});
