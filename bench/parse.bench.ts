// Runbook parsing cost, as ratios to markdown-it's own parse() of the same text in the same run.
//   parse 5 MB runbook: the seed guide repeated to 5 MB, parsed into the model, vs markdown-it parse()
//     alone (default preset, HTML on, as the parser configures it). Goal <= 1.5x.
//   re-parse 1 MB runbook after an edit: what the tree pays on each (debounced) edit: one line of a
//     1 MB runbook changed, parsed into the model, vs markdown-it parse() of the same edited text.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type { Measure } from './harness';
import { parseRunbook } from '../src/core/runbook/parse';

const seed = readFileSync(
  path.resolve(__dirname, '..', '..', 'shared', 'seed', '000_58837c42b8b59d6d.txt'),
  'utf8',
);

function repeatTo(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let k = 0; size < bytes; k++) {
    // Numbered copies: distinct section titles as a real long runbook would have.
    const copy = seed.replace(/^=== (.+) ===$/gm, `=== $1 (part ${k + 1}) ===`);
    parts.push(copy);
    size += copy.length + 2;
  }
  return parts.join('\n\n');
}

const md = new MarkdownIt({ html: true });
let big = '';
let oneMb = '';
let edits = 0;

function edited(): string {
  // A different one-line edit each time, so nothing can be cached between rounds.
  edits++;
  const at = oneMb.indexOf('Check load balancer metrics for traffic spikes');
  return `${oneMb.slice(0, at)}Check load balancer metrics (edit ${edits}) for traffic spikes${oneMb.slice(at + 46)}`;
}

const measures: Measure[] = [
  {
    name: 'parse 5 MB runbook',
    setup: () => {
      big = repeatTo(5 * 1024 * 1024);
    },
    baseline: { name: 'markdown-it parse()', run: () => md.parse(big, {}) },
    subject: { name: 'parseRunbook()', run: () => parseRunbook(big, { fileName: 'big.md' }) },
    rounds: 7,
    goal: 1.5,
  },
  {
    name: 're-parse 1 MB runbook after an edit',
    setup: () => {
      oneMb = repeatTo(1024 * 1024);
    },
    baseline: { name: 'markdown-it parse()', run: () => md.parse(edited(), {}) },
    subject: { name: 'parseRunbook()', run: () => parseRunbook(edited(), { fileName: 'edited.md' }) },
    rounds: 9,
  },
];

export default measures;
