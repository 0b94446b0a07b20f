// nvidia-smi in every form, on the real H200 captures in shared/fixtures/gpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recognize } from './index';
import { evaluate } from '../check/evaluate';
import { gpuCapture, sharedFixture, truncations } from './fixtures/load';
import { parseNvidiaSmiTable } from './nvidia-smi-table';
import { parseQueryComputeApps, parseQueryGpu } from './nvidia-smi-csv';
import { parseNvidiaSmiXml } from './nvidia-smi-xml';
import { parseDmon, parsePmon } from './nvidia-smi-dmon';
import type { NvidiaSmiData } from './nvidia-gpu';

const MiB = 2 ** 20;

test('default table: GPU, memory used / total, utilization, power, the process box', () => {
  const busy = gpuCapture('nvidia-smi.busy.txt');
  const d = parseNvidiaSmiTable(busy.output);
  assert.ok(d);
  assert.equal(d.driverVersion, '580.159.04');
  assert.equal(d.cudaVersion, '13.0');
  assert.deepEqual(
    [
      d.gpus[0]?.index,
      d.gpus[0]?.name,
      d.gpus[0]?.memoryUsedBytes,
      d.gpus[0]?.memoryTotalBytes,
      d.gpus[0]?.utilizationPct,
      d.gpus[0]?.powerDrawW,
      d.gpus[0]?.powerLimitW,
      d.gpus[0]?.temperatureC,
      d.gpus[0]?.pstate,
    ],
    [0, 'NVIDIA H200', 41843 * MiB, 143771 * MiB, 100, 690, 700, 60, 'P0'],
  );
  assert.deepEqual(d.processes, [
    { gpu: 0, gpuUuid: null, pid: 432, type: 'C', name: 'python3', usedMemoryBytes: 41834 * MiB },
  ]);
  const idle = parseNvidiaSmiTable(gpuCapture('nvidia-smi.idle.txt').output);
  assert.equal(idle?.gpus[0]?.memoryUsedBytes, 0);
  assert.deepEqual(idle?.processes, [], '"No running processes found"');
});

test('every form agrees on the busy GPU: table, CSV, XML', () => {
  const table = parseNvidiaSmiTable(gpuCapture('nvidia-smi.busy.txt').output) as NvidiaSmiData;
  const c = gpuCapture('nvidia-smi.query-gpu.busy.csv.txt');
  const csv = parseQueryGpu(c.output, c.command) as NvidiaSmiData;
  const xml = parseNvidiaSmiXml(sharedFixture('gpu', 'nvidia-smi.q.busy.xml')) as NvidiaSmiData;
  for (const d of [csv, xml]) {
    assert.equal(d.gpus[0]?.memoryUsedBytes, table.gpus[0]?.memoryUsedBytes);
    assert.equal(d.gpus[0]?.memoryTotalBytes, table.gpus[0]?.memoryTotalBytes);
    assert.equal(d.gpus[0]?.memoryFreeBytes, 101314 * MiB, 'free excludes the driver reservation');
    assert.equal(d.gpus[0]?.utilizationPct, 100);
    assert.equal(d.gpus[0]?.memoryUtilizationPct, 23);
    assert.equal(d.gpus[0]?.uuid, 'GPU-98f5b96d-b5d3-9169-dfcd-9d28452e8680');
    assert.equal(d.gpus[0]?.smClockMhz, 1440);
  }
  assert.equal(csv.gpus[0]?.powerDrawW, 690.03);
  assert.equal(xml.gpus[0]?.powerDrawW, 690.6, 'average power draw');
  assert.deepEqual(
    xml.processes.map((p) => [p.gpu, p.pid, p.name, p.usedMemoryBytes]),
    [[0, 432, 'python3', 41834 * MiB]],
  );
  assert.deepEqual(parseNvidiaSmiXml(sharedFixture('gpu', 'nvidia-smi.q.idle.xml'))?.processes, []);
});

test('CSV without header and units: fields come from the command line', () => {
  const c = gpuCapture('nvidia-smi.query-gpu.noheader.txt');
  const d = parseQueryGpu(c.output, c.command);
  assert.equal(d?.gpus[0]?.memoryTotalBytes, 143771 * MiB);
  assert.equal(d?.gpus[0]?.memoryFreeBytes, 143156 * MiB);
  assert.equal(d?.gpus[0]?.powerDrawW, 105.13);
  assert.equal(d?.gpus[0]?.temperatureC, 37);
  assert.equal(d?.gpus[0]?.memClockMhz, 3201);
  assert.equal(parseQueryGpu(c.output, ''), null, 'without the command the fields are unknown');
});

test('--query-compute-apps, with header; an empty answer is no processes', () => {
  const c = gpuCapture('nvidia-smi.query-apps.busy.csv.txt');
  assert.deepEqual(parseQueryComputeApps(c.output, c.command)?.processes, [
    { gpu: null, gpuUuid: null, pid: 432, type: null, name: 'python3', usedMemoryBytes: 41834 * MiB },
  ]);
  assert.deepEqual(parseQueryComputeApps('', c.command), { processes: [] });
  const noheader = parseQueryComputeApps(
    '432, python3, 41834\n',
    'nvidia-smi --query-compute-apps=pid,process_name,used_gpu_memory --format=csv,noheader,nounits',
  );
  assert.equal(noheader?.processes[0]?.usedMemoryBytes, 41834 * MiB);
});

test('dmon and pmon under load', () => {
  const d = parseDmon(gpuCapture('nvidia-smi.dmon.busy.txt').output);
  assert.equal(d?.rows.length, 5);
  assert.deepEqual(d?.gpus, [
    { index: 0, samples: 5, smAvg: 99.8, smMax: 100, memAvg: 23, tempMax: 60, powerAvg: 690.6 },
  ]);
  assert.deepEqual(d?.units.slice(0, 3), ['Idx', 'W', 'C']);
  const p = parsePmon(gpuCapture('nvidia-smi.pmon.busy.txt').output);
  assert.deepEqual(p?.processes, [{ gpu: 0, pid: 432, command: 'python3', smMax: 98, memMax: 22 }]);
  assert.equal(p?.rows[0]?.['enc'], null, "'-' is not available");
  assert.equal(parseDmon(gpuCapture('nvidia-smi.pmon.busy.txt').output), null);
  assert.equal(parsePmon(gpuCapture('nvidia-smi.dmon.busy.txt').output), null);
});

test('the dispatcher picks each form by command and by sniffing', () => {
  const cases: [string, string][] = [
    ['nvidia-smi.busy.txt', 'nvidia-smi'],
    ['nvidia-smi.query-gpu.busy.csv.txt', 'nvidia-smi-query-gpu'],
    ['nvidia-smi.query-gpu.noheader.txt', 'nvidia-smi-query-gpu'],
    ['nvidia-smi.query-apps.busy.csv.txt', 'nvidia-smi-compute-apps'],
    ['nvidia-smi.dmon.busy.txt', 'nvidia-smi-dmon'],
    ['nvidia-smi.pmon.busy.txt', 'nvidia-smi-pmon'],
  ];
  for (const [file, kind] of cases) {
    const c = gpuCapture(file);
    assert.equal(recognize(c.command, c.output)?.kind, kind, file);
    if (file !== 'nvidia-smi.query-gpu.noheader.txt')
      assert.equal(recognize('', c.output)?.kind, kind, `${file} sniffed`);
  }
  assert.equal(
    recognize('nvidia-smi -q -x', sharedFixture('gpu', 'nvidia-smi.q.busy.xml'))?.kind,
    'nvidia-smi-xml',
  );
  assert.equal(
    recognize('cat log.xml', sharedFixture('gpu', 'nvidia-smi.q.busy.xml'))?.kind,
    'nvidia-smi-xml',
  );
  // Output nvidia-smi prints that no recognizer reads stays plain text.
  for (const f of ['nvidia-smi.L.txt', 'nvidia-smi.topo.txt']) {
    const c = gpuCapture(f);
    assert.equal(recognize(c.command, c.output), null, f);
  }
});

test('checks: the busy GPU is ok at 29% memory; a nearly full one is critical with a clear message', () => {
  const busy = gpuCapture('nvidia-smi.busy.txt');
  const e = evaluate(recognize(busy.command, busy.output));
  assert.equal(e.level, 'ok');
  assert.equal(e.findings[0]?.message, 'GPU 0 memory used 29.1% ≤ 80% (ok)');
  const full = busy.output.replace('41843MiB / 143771MiB', '139600MiB / 143771MiB');
  const f = evaluate(recognize('nvidia-smi', full), {
    expect: ['gpu.memory.used_pct > 95%: critical', 'gpu.utilization < 10%: warning'],
  });
  assert.equal(f.level, 'critical');
  assert.deepEqual(
    f.findings.map((x) => x.message),
    [
      'GPU 0 memory used 97.1% > 95% (critical)',
      'GPU 0 utilization 100% ≥ 10% (ok)',
      'GPU 0 temperature 60 °C ≤ 85 °C (ok)',
    ],
  );
});

test('truncated and mangled captures never throw and never report a GPU that is not there', () => {
  const files = [
    'nvidia-smi.busy.txt',
    'nvidia-smi.query-gpu.busy.csv.txt',
    'nvidia-smi.dmon.busy.txt',
    'nvidia-smi.pmon.busy.txt',
    'nvidia-smi.query-apps.busy.csv.txt',
  ];
  for (const f of files) {
    const c = gpuCapture(f);
    for (const t of truncations(c.output, 60)) {
      const r = recognize(c.command, t);
      if (r && 'gpus' in (r.data as object)) assert.ok(((r.data as NvidiaSmiData).gpus.length ?? 0) <= 1);
    }
  }
  for (const t of truncations(sharedFixture('gpu', 'nvidia-smi.q.busy.xml'), 30)) {
    const d = parseNvidiaSmiXml(t);
    if (d) assert.equal(d.gpus.length, 1);
  }
  assert.equal(parseNvidiaSmiXml('<nvidia_smi_log><gpu>'), null);
  assert.equal(
    parseNvidiaSmiXml(
      '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><nvidia_smi_log>&e;</nvidia_smi_log>',
    ),
    null,
  );
  assert.equal(
    recognize(
      'nvidia-smi',
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n",
    ),
    null,
  );
});
