// EXPLAIN [ANALYZE, BUFFERS, VERBOSE, SETTINGS] in FORMAT TEXT, parsed into the document PostgreSQL
// itself prints with FORMAT JSON: { Plan: { "Node Type", ..., Plans: [...] }, "Planning Time", ... }.
// Keys follow PostgreSQL's JSON names so the text and JSON paths meet in one shape.
//
// Text layout (PostgreSQL's explain.c): the root node line, then each child as `->  Node` indented
// two columns past its parent's name; node details (`Filter: …`, `Buffers: …`) two columns past
// the node name; sub-plans under a header line (`CTE name`, `InitPlan 1 (returns $0)`, `SubPlan 1`);
// then top-level lines (`Planning Time: … ms`, `Execution Time: … ms`, `Settings: …`, `JIT:`).
import { unframe } from './explain-frame';

export type PgNode = Record<string, unknown> & { Plans?: PgNode[] };
export interface PgExplain extends Record<string, unknown> {
  Plan: PgNode;
}

const NUM = String.raw`\d+(?:\.\d+)?`;
const COST = new RegExp(String.raw`\(cost=(${NUM})\.\.(${NUM}) rows=(${NUM}) width=(\d+)\)`);
const ACTUAL = new RegExp(String.raw`\(actual(?: time=(${NUM})\.\.(${NUM}))? rows=(${NUM}) loops=(\d+)\)`);
const NEVER = /\(never executed\)/;
/**
 * A node line split into its name and its figures: `Name  (cost=…) (actual …)`, either part
 * optional. Found by searching for the parenthesised figures, not by one anchored pattern with a
 * lazy name (which backtracks over the whole line).
 */
function nodeLine(body: string): {
  name: string;
  cost: RegExpExecArray | null;
  actual: RegExpExecArray | null;
  never: boolean;
} {
  const cost = COST.exec(body);
  const actual = ACTUAL.exec(body);
  const never = NEVER.exec(body);
  const cut = Math.min(cost?.index ?? Infinity, actual?.index ?? Infinity, never?.index ?? Infinity);
  return { name: (Number.isFinite(cut) ? body.slice(0, cut) : body).trim(), cost, actual, never: !!never };
}
const SUBPLAN_HEADER = /^(CTE \S.*|InitPlan \d+(?: \(returns .*\))?|InitPlan|SubPlan \d+|SubPlan)$/;
const TOP_TIME =
  /^(Planning Time|Planning time|Execution Time|Execution time|Total runtime):\s*(\d+(?:\.\d+)?) ms$/;

const JOIN_TYPES = ['Left', 'Right', 'Full', 'Semi', 'Anti', 'Right Semi', 'Right Anti'];

/** Node name text → PostgreSQL JSON fields (Node Type and the relation/index/alias it names). */
export function nodeFields(name: string): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  let n = name.trim();
  const partial = /^(Partial|Finalize) (.*)$/.exec(n);
  if (partial) {
    f['Partial Mode'] = partial[1];
    n = partial[2] as string;
  }
  f['Async Capable'] = false;
  if (n.startsWith('Async ')) {
    f['Async Capable'] = true;
    n = n.slice('Async '.length);
  }
  let parallel = false;
  if (n.startsWith('Parallel ')) {
    parallel = true;
    n = n.slice('Parallel '.length);
  }
  f['Parallel Aware'] = parallel;
  const join = new RegExp(`^(Nested Loop|Hash|Merge)(?: (${JOIN_TYPES.join('|')}))? Join$`).exec(n);
  if (join) {
    f['Node Type'] = join[1] === 'Nested Loop' ? 'Nested Loop' : `${join[1]} Join`;
    f['Join Type'] = join[2] ?? 'Inner';
    return f;
  }
  if (n === 'Nested Loop') {
    f['Node Type'] = 'Nested Loop';
    f['Join Type'] = 'Inner';
    return f;
  }
  const idx = /^(Index Scan|Index Only Scan)( Backward)? using (.+?) on (\S+)(?: (\S+))?$/.exec(n);
  if (idx) {
    f['Node Type'] = idx[1];
    f['Scan Direction'] = idx[2] ? 'Backward' : 'Forward';
    f['Index Name'] = idx[3];
    f['Relation Name'] = idx[4];
    if (idx[5]) f['Alias'] = idx[5];
    return f;
  }
  const bitmapIndex = /^Bitmap Index Scan on (.+)$/.exec(n);
  if (bitmapIndex) {
    f['Node Type'] = 'Bitmap Index Scan';
    f['Index Name'] = bitmapIndex[1];
    return f;
  }
  const modify = /^(Insert|Update|Delete|Merge) on (\S+)(?: (\S+))?$/.exec(n);
  if (modify) {
    f['Node Type'] = modify[1];
    f['Operation'] = modify[1];
    f['Relation Name'] = modify[2];
    if (modify[3]) f['Alias'] = modify[3];
    return f;
  }
  const custom = /^Custom Scan \((.+?)\)(?: on (\S+)(?: (\S+))?)?$/.exec(n);
  if (custom) {
    f['Node Type'] = 'Custom Scan';
    f['Custom Plan Provider'] = custom[1];
    if (custom[2]) f['Relation Name'] = custom[2];
    if (custom[3]) f['Alias'] = custom[3];
    return f;
  }
  const scan = /^(.+? Scan) on (\S+)(?: (\S+))?$/.exec(n);
  if (scan) {
    const type = scan[1] as string;
    f['Node Type'] = type;
    const target = scan[2] as string;
    if (type === 'CTE Scan' || type === 'WorkTable Scan') f['CTE Name'] = target;
    else if (type === 'Function Scan') f['Function Name'] = target;
    else if (type === 'Subquery Scan') f['Alias'] = target;
    else if (type === 'Named Tuplestore Scan') f['Tuplestore Name'] = target;
    else f['Relation Name'] = target;
    if (scan[3]) f['Alias'] = scan[3];
    return f;
  }
  // Before PostgreSQL 9.0 a subquery scan read "Subquery Scan name".
  const sub = /^Subquery Scan (\S+)$/.exec(n);
  if (sub) {
    f['Node Type'] = 'Subquery Scan';
    f['Alias'] = sub[1];
    return f;
  }
  f['Node Type'] = n;
  return f;
}

/** Splits `a, b, (c, d)` at top-level commas, keeping parentheses, brackets and quotes whole. */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const kb = (s: string | undefined): number | undefined => {
  const m = /^(\d+(?:\.\d+)?)\s*kB$/.exec((s ?? '').trim());
  return m ? Number(m[1]) : undefined;
};

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** `shared hit=1 read=2, temp written=3` → Shared Hit Blocks … (all ten keys, as JSON output has). */
const BUFFER_KEYS = [
  ...['Shared', 'Local'].flatMap((scope) =>
    ['Hit', 'Read', 'Dirtied', 'Written'].map((k) => `${scope} ${k} Blocks`),
  ),
  'Temp Read Blocks',
  'Temp Written Blocks',
];

function buffers(v: string, into: Record<string, unknown>): void {
  for (const k of BUFFER_KEYS) if (into[k] === undefined) into[k] = 0;
  if (!v) return;
  for (const part of v.split(',')) {
    const m = /^\s*(shared|local|temp)\s+(.*)$/.exec(part);
    if (!m) continue;
    for (const kv of (m[2] as string).trim().split(/\s+/)) {
      const [k, val] = kv.split('=');
      if (k && val !== undefined && /^\d+$/.test(val))
        into[`${cap(m[1] as string)} ${cap(k)} Blocks`] = Number(val);
    }
  }
}

/** `read=0.014 write=0.005` (≤ 15) or `shared read=1.2, temp read=3 write=4` (16+). */
function ioTimings(v: string, into: Record<string, unknown>): void {
  // Three spellings: `read=… write=…` (≤ 14), `shared/local read=…, temp …` (15), and
  // `shared …, local …, temp …` (16+). JSON output lists every timing of its version, 0 when idle.
  const v16 = /(^|,)\s*(shared|local)\s/.test(v);
  const v15 = !v16 && /(^|,)\s*(shared\/local|temp)\s/.test(v);
  const defaults = v16
    ? ['Shared', 'Local', 'Temp'].flatMap((s) => [`${s} I/O Read Time`, `${s} I/O Write Time`])
    : v15
      ? ['I/O Read Time', 'I/O Write Time', 'Temp I/O Read Time', 'Temp I/O Write Time']
      : ['I/O Read Time', 'I/O Write Time'];
  for (const key of defaults) into[key] ??= 0;
  for (const part of v.split(',')) {
    const m = /^\s*(?:(shared\/local|shared|local|temp)\s+)?(.*)$/.exec(part);
    if (!m) continue;
    const scope = m[1] === undefined || m[1] === 'shared/local' ? '' : `${cap(m[1])} `;
    for (const kv of (m[2] as string).trim().split(/\s+/)) {
      const [k, val] = kv.split('=');
      if (!k || val === undefined || Number.isNaN(Number(val))) continue;
      into[`${scope}I/O ${cap(k)} Time`] = Number(val);
    }
  }
}

/** `Sort Method: quicksort  Memory: 25kB` and friends: two-space separated `Key: value` pairs. */
function pairs(line: string): [string, string][] {
  return line
    .split(/\s{2,}/)
    .map((p) => /^([^:]+):\s*(.*)$/.exec(p.trim()))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => [m[1] as string, m[2] as string]);
}

function groupInfo(rest: string): Record<string, unknown> {
  const g: Record<string, unknown> = {};
  const count = /^(\d+)/.exec(rest);
  if (count) g['Group Count'] = Number(count[1]);
  for (const [k, v] of pairs(rest.replace(/^\d+\s*/, ''))) {
    if (k === 'Sort Method' || k === 'Sort Methods') g['Sort Methods Used'] = v.split(/,\s*/);
    else if (/^(Average|Peak) (Memory|Disk)$/.test(k)) {
      const [which, space] = k.split(' ') as [string, string];
      const key = `Sort Space ${space}`;
      const obj = (g[key] as Record<string, number> | undefined) ?? {};
      const n = kb(v);
      if (n !== undefined) obj[`${which} Sort Space Used`] = n;
      g[key] = obj;
    }
  }
  return g;
}

const LIST_KEYS = new Set([
  'Sort Key',
  'Group Key',
  'Presorted Key',
  'Hash Key',
  'Partition Key',
  'Output',
  'Repeatable Seed',
]);
const LIST_AS_ARRAY = new Set([
  'Sort Key',
  'Group Key',
  'Presorted Key',
  'Hash Key',
  'Partition Key',
  'Output',
]);

const scalar = (v: string): unknown => {
  const t = v.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true') return true;
  if (t === 'false') return false;
  return t;
};

/** One detail line of a node. Returns false when the line is not a `Key: value` detail. */
function applyDetail(node: PgNode, line: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9 /_-]*?):(?:\s+(.*))?$/.exec(line.trim());
  if (!m) return false;
  const key = m[1] as string;
  const value = (m[2] ?? '').trim();
  switch (key) {
    case 'Buffers':
      buffers(value, node);
      return true;
    case 'I/O Timings':
      ioTimings(value, node);
      return true;
    case 'WAL':
      for (const kv of value.split(/\s+/)) {
        const [k, val] = kv.split('=');
        if (k && val) node[`WAL ${k === 'fpi' ? 'FPI' : cap(k)}`] = Number(val);
      }
      return true;
    case 'Heap Blocks':
      for (const kv of value.split(/\s+/)) {
        const [k, val] = kv.split('=');
        if (k && val) node[`${cap(k)} Heap Blocks`] = Number(val);
      }
      return true;
    case 'Sort Method': {
      // "Sort Method: quicksort  Memory: 25kB"; before 9.4 with two spaces after the colon.
      const sm = /^Sort Method:\s+(.+?)\s+(Memory|Disk):\s*(\d+)kB$/.exec(line.trim());
      if (sm) {
        node['Sort Method'] = sm[1];
        node['Sort Space Used'] = Number(sm[3]);
        node['Sort Space Type'] = sm[2];
      } else node['Sort Method'] = value;
      return true;
    }
    case 'Buckets':
    case 'Hits':
    case 'Planned Partitions':
    case 'Batches': {
      for (const [k, v] of pairs(line.trim())) {
        const orig = /^(\d+) \(originally (\d+)\)$/.exec(v);
        const n = orig ? Number(orig[1]) : Number(v);
        if (k === 'Buckets') {
          node['Hash Buckets'] = n;
          node['Original Hash Buckets'] = orig ? Number(orig[2]) : n;
        } else if (
          k === 'Batches' &&
          (key === 'Planned Partitions' || /Aggregate/.test(String(node['Node Type'])))
        )
          node['HashAgg Batches'] = n;
        else if (k === 'Batches') {
          node['Hash Batches'] = n;
          node['Original Hash Batches'] = orig ? Number(orig[2]) : n;
        } else if (k === 'Memory Usage') node['Peak Memory Usage'] = kb(v);
        else if (k === 'Disk Usage') node['Disk Usage'] = kb(v);
        else if (k === 'Planned Partitions') node['Planned Partitions'] = n;
        else if (['Hits', 'Misses', 'Evictions', 'Overflows'].includes(k)) node[`Cache ${k}`] = n;
        else node[k] = scalar(v);
      }
      return true;
    }
    case 'Full-sort Groups':
    case 'Pre-sorted Groups':
      node[key] = groupInfo(value);
      return true;
    default:
      if (LIST_AS_ARRAY.has(key)) node[key] = splitTopLevel(value);
      else if (LIST_KEYS.has(key)) node[key] = value;
      else node[key] = scalar(value);
      return true;
  }
}

interface Frame {
  kind: 'node' | 'group';
  /** Column where the node's name (or the group header) starts. */
  col: number;
  node?: PgNode;
  header?: string;
}

function settings(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of splitTopLevel(v)) {
    const m = /^(\S+) = '(.*)'$/.exec(part);
    if (m) out[m[1] as string] = (m[2] as string).replace(/''/g, "'");
  }
  return out;
}

function jitLine(line: string, jit: Record<string, unknown>): void {
  const m = /^(\w+):\s*(.*)$/.exec(line.trim());
  if (!m) return;
  const key = m[1] as string;
  const v = m[2] as string;
  if (key === 'Functions') jit['Functions'] = Number(v);
  else if (key === 'Options' || key === 'Timing') {
    const obj: Record<string, unknown> = {};
    for (const part of v.split(/,\s*/)) {
      const o = /^(\w+) (true|false)$/.exec(part.trim());
      const t = /^(\w+) (\d+(?:\.\d+)?) ms/.exec(part.trim());
      if (o) obj[o[1] as string] = o[2] === 'true';
      else if (t) obj[t[1] as string] = Number(t[2]);
    }
    jit[key] = obj;
  }
}

const indentOf = (l: string): number => l.length - l.trimStart().length;

/** Largest text plan parsed (a 20 MB plan is already unusual). */
const MAX_TEXT = 32 * 1024 * 1024;

/** Parses a text plan; null when no plan node is found. */
export function parseExplainText(text: string): PgExplain | null {
  if (text.length > MAX_TEXT) return null;
  const lines = unframe(text);
  // The root: the first line that reads as a node with cost or actual figures, or a `->` node.
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (
      /^->\s+/.test(l) ||
      ((COST.test(l) || ACTUAL.test(l) || NEVER.test(l)) && !/^[#-]|^EXPLAIN\b/i.test(l))
    ) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;

  const doc: PgExplain = { Plan: {} };
  const stack: Frame[] = [];
  let lastKey: { node: PgNode; key: string } | null = null;
  let block: { name: 'Planning' | 'JIT'; col: number; into: Record<string, unknown> } | null = null;
  let rootCol = -1;

  for (let i = start; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (!raw.trim()) continue;
    const col = indentOf(raw);
    const line = raw.trim();

    if (block && col > block.col) {
      if (block.name === 'JIT') jitLine(line, block.into);
      else applyDetail(block.into as PgNode, line);
      continue;
    }
    block = null;

    const top = TOP_TIME.exec(line);
    if (top) {
      const key =
        top[1] === 'Total runtime'
          ? 'Total Runtime'
          : top[1]?.startsWith('Planning')
            ? 'Planning Time'
            : 'Execution Time';
      doc[key] = Number(top[2]);
      continue;
    }
    if (/^Settings: /.test(line) && (col <= rootCol + 1 || stack.length === 0)) {
      doc['Settings'] = settings(line.slice('Settings: '.length));
      continue;
    }
    if (line === 'Planning:' || line === 'JIT:') {
      const into: Record<string, unknown> = {};
      doc[line === 'JIT:' ? 'JIT' : 'Planning'] = into;
      block = { name: line === 'JIT:' ? 'JIT' : 'Planning', col, into };
      continue;
    }
    const trig = /^Trigger (.+?): time=(\d+(?:\.\d+)?) calls=(\d+)$/.exec(line);
    if (trig) {
      const list = (doc['Triggers'] as unknown[] | undefined) ?? [];
      list.push({ 'Trigger Name': trig[1], Time: Number(trig[2]), Calls: Number(trig[3]) });
      doc['Triggers'] = list;
      continue;
    }
    if (/^(Query Identifier|Serialization|Memory):/.test(line) && col <= rootCol + 1) {
      applyDetail(doc as unknown as PgNode, line);
      continue;
    }

    const arrow = /^->\s+/.exec(line);
    const isRoot = i === start;
    if (arrow || isRoot) {
      const body = arrow ? line.slice(arrow[0].length) : line;
      const nameCol = col + (arrow ? arrow[0].length : 0);
      const m = nodeLine(body);
      // Node names are words ("Seq Scan on t"): anything else is not a plan line.
      if (!/^[A-Za-z]/.test(m.name)) {
        if (isRoot) return null;
        continue;
      }
      const node: PgNode = { ...nodeFields(m.name) };
      if (m.cost) {
        node['Startup Cost'] = Number(m.cost[1]);
        node['Total Cost'] = Number(m.cost[2]);
        node['Plan Rows'] = Number(m.cost[3]);
        node['Plan Width'] = Number(m.cost[4]);
      }
      if (m.actual) {
        if (m.actual[1] !== undefined) {
          node['Actual Startup Time'] = Number(m.actual[1]);
          node['Actual Total Time'] = Number(m.actual[2]);
        }
        node['Actual Rows'] = Number(m.actual[3]);
        node['Actual Loops'] = Number(m.actual[4]);
      } else if (m.never) {
        node['Actual Rows'] = 0;
        node['Actual Loops'] = 0;
      }
      if (isRoot) {
        doc.Plan = node;
        rootCol = col;
        stack.length = 0;
        stack.push({ kind: 'node', col: nameCol, node });
      } else {
        while (stack.length > 1 && (stack[stack.length - 1] as Frame).col >= col) stack.pop();
        let group: Frame | undefined;
        let parent = stack[stack.length - 1];
        if (parent?.kind === 'group') {
          group = parent;
          parent = stack[stack.length - 2];
        }
        if (!parent?.node) continue;
        if (group?.header) {
          node['Parent Relationship'] = group.header.startsWith('SubPlan') ? 'SubPlan' : 'InitPlan';
          node['Subplan Name'] = group.header;
        }
        (parent.node.Plans ??= []).push(node);
        stack.push({ kind: 'node', col: nameCol, node });
      }
      lastKey = null;
      continue;
    }

    if (SUBPLAN_HEADER.test(line)) {
      while (stack.length > 1 && (stack[stack.length - 1] as Frame).col >= col) stack.pop();
      stack.push({ kind: 'group', col, header: line });
      continue;
    }

    // A detail of the innermost node that encloses this column.
    let k = stack.length - 1;
    while (k > 0 && ((stack[k] as Frame).kind !== 'node' || (stack[k] as Frame).col >= col)) k--;
    const owner = (stack[k] as Frame | undefined)?.node;
    if (!owner) continue;
    const keyMatch = /^([A-Za-z][A-Za-z0-9 /_-]*?):(?:\s|$)/.exec(line);
    if (keyMatch && applyDetail(owner, line)) {
      lastKey = { node: owner, key: keyMatch[1] as string };
      continue;
    }
    // A continuation of a multi-line detail (a long Output or Filter wrapped by the author or psql).
    if (lastKey && typeof lastKey.node[lastKey.key] === 'string') lastKey.node[lastKey.key] += `\n${line}`;
    else if (lastKey && Array.isArray(lastKey.node[lastKey.key]))
      (lastKey.node[lastKey.key] as string[]).push(line);
  }
  if (!Object.keys(doc.Plan).length) return null;
  relationships(doc.Plan, hasKey(doc.Plan, 'Shared Hit Blocks'));
  return doc;
}

/**
 * What JSON output states and text leaves implicit: how each child hangs under its parent
 * (explain.c: a join's outer then inner plan; an Append's members; a Subquery Scan's subquery),
 * and the alias of a relation scanned under its own name.
 */
function hasKey(node: PgNode, key: string): boolean {
  return key in node || (node.Plans ?? []).some((c) => hasKey(c, key));
}

function relationships(node: PgNode, buffersOn: boolean): void {
  const type = String(node['Node Type'] ?? '');
  // With BUFFERS, text omits a node's Buffers line when every count is zero; JSON lists the zeros.
  if (buffersOn) buffers('', node);
  const rel = node['Relation Name'] ?? node['CTE Name'] ?? node['Function Name'];
  if (typeof rel === 'string' && node['Alias'] === undefined) {
    const last = /(?:^|\.)("(?:[^"]|"")+"|[^.]+)$/.exec(rel)?.[1] ?? rel;
    node['Alias'] = last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last;
  }
  let k = 0;
  for (const child of node.Plans ?? []) {
    if (child['Parent Relationship'] === undefined) {
      if (/^(Append|Merge Append|BitmapAnd|BitmapOr)$/.test(type)) child['Parent Relationship'] = 'Member';
      else if (type === 'Subquery Scan') child['Parent Relationship'] = 'Subquery';
      else child['Parent Relationship'] = k++ === 0 ? 'Outer' : 'Inner';
    }
    relationships(child, buffersOn);
  }
}
