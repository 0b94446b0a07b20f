// Recognizer cost, as ratios to the cheapest way of reading the same bytes in the same run.
//   EXPLAIN text, 5000 nodes: the text parser + plan analysis vs JSON.parse of the same plan in
//     FORMAT JSON (what a client pays when it asked for JSON instead). The baseline is V8's native
//     JSON parser; the subject also builds the analysed tree (exclusive times, estimates), so about
//     half its time is analysis a JSON plan pays too. Goal <= 25x (measured ~20x on a loaded host).
//   kubectl get pods, 20000 rows: recognize() (dispatch, column cutting, failure scan, metrics) vs
//     splitting the same text into lines and whitespace-separated cells. Goal <= 25x.
//   nvidia-smi -q -x, 64 GPUs: the XML recognizer vs fast-xml-parser's parse alone. Goal <= 2x.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Measure } from './harness';
import { recognize } from '../src/core/recognize/index';
import { parseExplain } from '../src/core/recognize/explain-plan';
import { parseExplainText } from '../src/core/recognize/explain-text';
import { tabwrite, KUBECTL } from '../src/core/recognize/fixtures/go-tabwriter';

const shared = path.resolve(__dirname, '..', '..', 'shared', 'fixtures');

let planText = '';
let planJson = '';
let podsText = '';
let xml = '';

function buildPlan(children: number): void {
  // An Append over many scans, in PostgreSQL's text layout (the one in the PEV2 fixtures).
  const lines = [
    ' Append  (cost=0.00..99999.00 rows=500000 width=8) (actual time=0.010..950.000 rows=500000 loops=1)',
  ];
  for (let i = 0; i < children; i++) {
    lines.push(
      `   ->  Seq Scan on part_${i} p${i}  (cost=0.00..19.00 rows=100 width=8) (actual time=0.002..0.150 rows=100 loops=1)`,
    );
    lines.push(`         Filter: (v > ${i})`);
    lines.push(`         Rows Removed by Filter: ${i % 50}`);
    lines.push('         Buffers: shared hit=3 read=1');
  }
  lines.push(' Planning Time: 12.500 ms', ' Execution Time: 980.000 ms');
  planText = lines.join('\n');
  planJson = JSON.stringify([parseExplainText(planText)]);
}

const measures: Measure[] = [
  {
    name: 'EXPLAIN text, 5000 nodes',
    setup: () => buildPlan(5000),
    baseline: { name: 'JSON.parse of the FORMAT JSON plan', run: () => JSON.parse(planJson) },
    subject: { name: 'parseExplain (text)', run: () => parseExplain(planText) },
    goal: 25,
  },
  {
    name: 'kubectl get pods, 20000 rows',
    setup: () => {
      const rows = ['NAMESPACE\tNAME\tREADY\tSTATUS\tRESTARTS\tAGE'];
      for (let i = 0; i < 20000; i++) {
        rows.push(
          `ns-${i % 40}\tapp-${i}-7d9c8b6b5d-x2kqp\t1/1\t${i % 97 ? 'Running' : 'CrashLoopBackOff'}\t${i % 13 ? '0' : `${i % 7} (5m ago)`}\t3d`,
        );
      }
      podsText = tabwrite(rows.join('\n') + '\n', KUBECTL);
    },
    baseline: {
      name: 'lines split into cells',
      run: () => podsText.split('\n').map((l) => l.trim().split(/\s+/)),
    },
    subject: { name: 'recognize()', run: () => recognize('kubectl get pods -A', podsText) },
    goal: 25,
  },
  {
    name: 'nvidia-smi -q -x, 64 GPUs',
    setup: () => {
      const one = readFileSync(path.join(shared, 'gpu', 'nvidia-smi.q.busy.xml'), 'utf8');
      const gpu = one.slice(one.indexOf('<gpu '), one.lastIndexOf('</gpu>') + '</gpu>'.length);
      xml = one.replace(gpu, Array.from({ length: 64 }, () => gpu).join('\n'));
    },
    baseline: {
      name: 'fast-xml-parser parse',
      run: () => new XMLParser({ ignoreAttributes: false }).parse(xml),
    },
    subject: { name: 'recognize()', run: () => recognize('nvidia-smi -q -x', xml) },
    goal: 2,
  },
];

export default measures;
